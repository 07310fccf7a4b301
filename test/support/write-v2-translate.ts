// The pure parts of the 1.8-style /api/v2 translation used by v2-proxy.ts: bucket → db/rp
// and the delete predicate subset → InfluxQL pieces.

/** bucket "db/rp" or "db" → [db, rp] (1.8's bucket2dbrp). */
export function bucketToDbRp(bucket: string): [string, string] | string {
  const i = bucket.indexOf('/');
  if (i < 0) return bucket ? [bucket, ''] : `bucket name "${bucket}" is missing a slash; not in "database/retention-policy" format`;
  const db = bucket.slice(0, i);
  return db ? [db, bucket.slice(i + 1)] : `bucket name "${bucket}" is in db/rp form but has an empty database`;
}

/** Parse the predicate subset the writer emits: `k="v" AND k="v" ...` (k bare or "quoted"). */
export function parsePredicate(predicate: string): { measurement?: string; tags: [string, string][] } | string {
  const token = /\s*(?:"((?:[^"\\]|\\.)*)"|([A-Za-z_][A-Za-z0-9_]*)|(=))/y;
  const unq = (s: string) => s.replace(/\\(.)/g, '$1');
  const out: { measurement?: string; tags: [string, string][] } = { tags: [] };
  let pos = 0;
  const next = (): { ident?: string; bare?: string; eq?: true } | undefined => {
    token.lastIndex = pos;
    const m = token.exec(predicate);
    if (!m) return undefined;
    pos = token.lastIndex;
    if (m[1] !== undefined) return { ident: unq(m[1]) };
    if (m[2] !== undefined) return { bare: m[2] };
    return { eq: true };
  };
  for (;;) {
    const k = next();
    const key = k?.ident ?? k?.bare;
    if (key === undefined) return `bad tag key at position ${pos}`;
    if (!next()?.eq) return `unsupported operator at position ${pos} (the translation knows only =)`;
    const v = next();
    if (v?.ident === undefined) return `bad tag value at position ${pos} (expected "value")`;
    if (key === '_measurement') out.measurement = v.ident;
    else out.tags.push([key, v.ident]);
    if (/^\s*$/.test(predicate.slice(pos))) return out;
    const and = next();
    if (and?.bare?.toUpperCase() !== 'AND') return `unsupported logical expression at position ${pos} (only AND)`;
  }
}

export const qIdent = (s: string) => `"${s.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
export const qStr = (s: string) => `'${s.replace(/[\\']/g, (c) => `\\${c}`)}'`;
