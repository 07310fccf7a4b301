// The sport and body-scale endpoints (docs/huami-api.md "Workouts", "Weight records"): workout
// history pages, one workout's detail, the scale's family members, weight record pages and the
// profile height. Each answer is checked at the boundary (the envelope and the fields the sync
// relies on); the items themselves are kept raw for the pure decoders (src/decode/workouts,
// src/decode/weight.ts), which are total.
import { z } from 'zod';
import { HuamiError } from './errors.js';

/** What the sport calls need from the client (HuamiClient.dataJson). */
export interface SportCaller {
  /** HTTP attempts made so far (retries included). */
  readonly requestCount: number;
  dataJson(req: { path: string; method?: 'GET' | 'POST'; query?: Record<string, string>; form?: Record<string, string> }): Promise<unknown>;
}

const id = z.union([z.string(), z.number()]).transform((v) => String(v));

const HistoryAnswer = z.object({
  code: z.literal(1),
  data: z.object({
    next: z.union([z.number(), z.string()]).transform(Number).optional(),
    summary: z.array(z.looseObject({ trackid: id, source: z.string().optional() })).default([]),
  }),
});

const DetailAnswer = z.object({ code: z.literal(1), data: z.record(z.string(), z.unknown()) });

const WeightAnswer = z.object({
  items: z.array(z.looseObject({ generatedTime: z.union([z.number(), z.string()]) })).default([]),
  next: z.union([z.number(), z.string()]).transform(Number).optional().nullable(),
});

const MembersAnswer = z.object({ code: z.literal(1), data: z.object({ list: z.array(z.looseObject({ fuid: id })).default([]) }) });

const ProfileAnswer = z.looseObject({ height: z.union([z.number(), z.string()]).optional() });

/** A history item as kept: the raw object, plus its identity. */
export interface HistoryItem {
  trackid: string;
  source: string;
  raw: Record<string, unknown>;
}

export interface HistoryPage {
  items: HistoryItem[];
  /** Cursor of the next (older) page; undefined on the last page. */
  next: number | undefined;
}

function parse<T>(schema: z.ZodType<T, unknown>, body: unknown, what: string): T {
  const r = schema.safeParse(body);
  if (r.success) return r.data;
  const msg = (body as { message?: unknown } | null)?.message;
  const code = (body as { code?: unknown } | null)?.code;
  const said = typeof msg === 'string' ? ` (code ${String(code)}: ${msg.slice(0, 80)})` : '';
  throw new HuamiError('HUAMI_SCHEMA_MISMATCH', `${what} is not the expected answer${said}: ${r.error.issues[0]?.message ?? ''} at ${r.error.issues[0]?.path.join('.') ?? ''}`);
}

/** One history page, newest first; `before` = the cursor (`data.next` of the previous page). */
export async function historyPage(c: SportCaller, before?: number): Promise<HistoryPage> {
  const body = await c.dataJson({ path: '/v1/sport/run/history.json', ...(before !== undefined ? { query: { trackid: String(before) } } : {}) });
  const a = parse(HistoryAnswer, body, 'run/history.json');
  // zod's copy of an item with dozens of fields is a dictionary-mode object of ~3 kB; a first
  // run holds every item of the history (3,000 in ten years) until its detail is written. A
  // JSON round trip gives the same fields in the same order (the same hash) as a compact object.
  const items = a.data.summary.map((raw) => ({ trackid: raw.trackid, source: raw.source ?? '', raw: JSON.parse(JSON.stringify(raw)) as Record<string, unknown> }));
  const next = a.data.next;
  return { items, next: next !== undefined && Number.isFinite(next) && next > 0 && items.length > 0 ? next : undefined };
}

/** The detail of one workout (the `data` object). A failure envelope (unknown track) is HUAMI_REMOTE_ERROR, not retryable. */
export async function workoutDetail(c: SportCaller, trackid: string, source: string): Promise<Record<string, unknown>> {
  const body = await c.dataJson({ path: '/v1/sport/run/detail.json', query: { trackid, source } });
  const code = (body as { code?: unknown } | null)?.code;
  if (code !== undefined && code !== 1) {
    const msg = (body as { message?: unknown }).message;
    throw new HuamiError('HUAMI_REMOTE_ERROR', `run/detail.json for track ${trackid} answered code ${String(code)}${typeof msg === 'string' ? `: ${msg.slice(0, 80)}` : ''}`);
  }
  return parse(DetailAnswer, body, `run/detail.json of track ${trackid}`).data;
}

/** The scale's family member ids (the owner, "-1", is not in the list). */
export async function familyMembers(c: SportCaller): Promise<string[]> {
  const body = await c.dataJson({ path: '/huami.health.scale.familymember.get.json', method: 'POST', form: { fuid: 'all', userid: '{uid}' } });
  return parse(MembersAnswer, body, 'familymember.get.json').data.list.map((m) => m.fuid).filter((f) => f !== '-1');
}

export interface WeightPage {
  items: Record<string, unknown>[];
  /** `toTime` of the next (older) page; undefined on the last page (no `next`, or 0). */
  next: number | undefined;
}

/** One weightRecords page of a member: records with generatedTime ≤ toTime, newest first. */
export async function weightPage(c: SportCaller, memberId: string, toTime: number, limit = 200): Promise<WeightPage> {
  const body = await c.dataJson({ path: `/users/{uid}/members/${encodeURIComponent(memberId)}/weightRecords`, query: { limit: String(limit), toTime: String(toTime) } });
  const a = parse(WeightAnswer, body, `weightRecords of member ${memberId}`);
  const next = a.next ?? undefined;
  return { items: a.items as Record<string, unknown>[], next: next !== undefined && Number.isFinite(next) && next > 0 && next < toTime && a.items.length > 0 ? next : undefined };
}

/** The owner's height (cm) from the profile; undefined when the profile has none. */
export async function profileHeight(c: SportCaller): Promise<number | undefined> {
  const a = parse(ProfileAnswer, await c.dataJson({ path: '/users/{uid}' }), 'the user profile');
  const h = Number(a.height);
  return Number.isFinite(h) && h > 0 ? h : undefined;
}
