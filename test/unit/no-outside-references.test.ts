// The repository explains itself: comments and docs cite docs/huami-api.md, docs/metrics.md
// or docs/architecture.md by section name, never a document a clone does not have (section
// signs, ../shared paths, peers.md/style.md, issue numbers, codenames of outside sources),
// and every cited section exists.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SCANNED = ['src', 'test', 'scripts', 'docs', 'grafana', 'README.md'];
const TEXT = /\.(ts|mts|mjs|js|json|md|sh|ya?ml|lp)$/;
/** This file names the patterns it forbids. */
const SELF = 'test/unit/no-outside-references.test.ts';

/** What a comment or doc line must not contain, with the reason shown on failure. */
const FORBIDDEN: readonly { re: RegExp; what: string }[] = [
  { re: /§/, what: 'section sign (cite docs/<file>.md "<section>" instead)' },
  { re: /\.\.\/shared|shared\/reference/i, what: 'path outside the repository' },
  { re: /\b(peers|style|test-infra)\.md\b/i, what: 'document outside the repository' },
  { re: /\bissues? #?\d+/i, what: 'issue number' },
  { re: /\bgotcha \d+/i, what: 'numbered item of an outside document' },
  {
    re: /\b(TONY|HELIO|WEDDLE|DOFEK|CN-SKILL|MICW|HT-old|HT-new|ROLANDSZ|MIREQ|EVAN|GREGOR|N0P|BENT|ALEXX|FENG|SITOI|IMDUFFY|PROBE|OTT|GO-STRUCTS|Z2I|GB2I|AHG|HAZ)\b|\b(HT|GG|FG|GB|ZD|ZX|OD|ZL|MATO) ?#\d+/,
    what: 'codename of an outside source',
  },
];

function files(path: string): string[] {
  const abs = join(ROOT, path);
  if (!statSync(abs).isDirectory()) return [path];
  return readdirSync(abs, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && TEXT.test(e.name))
    .map((e) => relative(ROOT, join(e.parentPath, e.name)));
}

const scanned = SCANNED.flatMap(files).filter((f) => f !== SELF).sort();
const lines = (file: string): string[] => readFileSync(join(ROOT, file), 'utf8').split('\n');

/** Heading texts of a markdown document, outside code fences. */
function headings(doc: string): string[] {
  const out: string[] = [];
  let fence = false;
  for (const line of lines(doc)) {
    if (line.startsWith('```')) fence = !fence;
    const m = fence ? null : /^#{1,6}\s+(.+?)\s*$/.exec(line);
    if (m?.[1]) out.push(m[1]);
    // "Writer — `src/write/index.ts`" is cited as "Writer".
    const short = m?.[1]?.split(' — ')[0];
    if (short && short !== m?.[1]) out.push(short);
  }
  return out;
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces → hyphens. */
function slug(heading: string): string {
  return heading.toLowerCase().replace(/[^\p{L}\p{N} _-]/gu, '').replace(/ /g, '-');
}

const DOCS = ['docs/huami-api.md', 'docs/metrics.md', 'docs/architecture.md'];
const sections = new Map(DOCS.map((d) => [d, new Set(headings(d))]));
// `docs/x.md "A"`, `docs/x.md "A", "B"`, `docs/x.md "A" and "B"`.
const CITATION = /(docs\/(?:huami-api|metrics|architecture)\.md)((?:(?:\s*,\s*|\s+and\s+|\s+)"[^"\n]+")+)/g;

describe('no references outside the repository', () => {
  it('scans the source, tests, scripts, docs and README', () => {
    expect(scanned).toContain('docs/huami-api.md');
    expect(scanned).toContain('src/auth/ladder.ts');
    expect(scanned).toContain('README.md');
    expect(scanned.length).toBeGreaterThan(100);
  });

  it('no file cites a section sign, ../shared, peers.md, style.md, an issue number or a source codename', () => {
    const hits: string[] = [];
    for (const file of scanned) {
      lines(file).forEach((line, i) => {
        for (const { re, what } of FORBIDDEN) {
          const m = re.exec(line);
          if (m) hits.push(`${file}:${i + 1}: ${what}: "${m[0]}"`);
        }
      });
    }
    expect(hits).toEqual([]);
  });

  it('every docs/<file>.md "<section>" citation names a section that exists', () => {
    const broken: string[] = [];
    let count = 0;
    for (const file of scanned) {
      lines(file).forEach((line, i) => {
        for (const m of line.matchAll(CITATION)) {
          const doc = m[1] as string;
          for (const [, name] of (m[2] as string).matchAll(/"([^"\n]+)"/g)) {
            count++;
            if (!sections.get(doc)?.has(name as string)) broken.push(`${file}:${i + 1}: ${doc} has no section "${name}"`);
          }
        }
      });
    }
    expect(broken).toEqual([]);
    expect(count).toBeGreaterThan(20); // the code does cite the document
  });

  it('docs/huami-api.md has unique section names and its in-page links resolve', () => {
    const names = headings('docs/huami-api.md');
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
    const anchors = new Set(names.map(slug));
    const text = readFileSync(join(ROOT, 'docs/huami-api.md'), 'utf8');
    const dead = [...text.matchAll(/\]\(#([^)]+)\)/g)].map((m) => m[1]).filter((a) => !anchors.has(a as string));
    expect(dead).toEqual([]);
  });
});
