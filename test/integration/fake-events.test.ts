// The fake cloud's health events over real HTTP (docs/huami-api.md "Health events"): auth,
// parameters, both paging variants, band-only accounts, faults, and ground truth that agrees
// with band_data.json (stress low while asleep, ODI `cost` = the night's length, readiness
// `sleepRHR` = `slp.rhr`) and with the decoder.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeEvents } from '../../src/decode/events/index.js';
import { DEMO_USER_ID, startFakeServer, type FakeServer } from '../../src/fake/index.js';
import type { EventItem } from '../../src/fake/index.js';

const NOW = () => new Date('2026-03-31T10:00:00Z');
const ZONE = 'Europe/Berlin';
let srv: FakeServer;
let token: string;

const FROM = Date.parse('2026-03-20T23:00:00Z');
const TO = Date.parse('2026-03-31T10:00:00Z');

async function events(params: Record<string, string>, opts: { path?: string; tok?: string | null; s?: FakeServer } = {}): Promise<Response> {
  const s = opts.s ?? srv;
  const q = new URLSearchParams({ from: String(FROM), to: String(TO), limit: '1000', timeZone: ZONE, ...params });
  const tok = opts.tok === undefined ? token : opts.tok;
  return fetch(`${s.url}${opts.path ?? `/users/${DEMO_USER_ID}/events`}?${q}`, { headers: tok === null ? {} : { apptoken: tok } });
}
const body = async (r: Response) => (await r.json()) as { items: EventItem[]; next?: EventItem };

beforeAll(async () => {
  srv = await startFakeServer({ seed: 3, from: '2026-01-01', now: NOW, timezone: ZONE, quiet: true });
  token = srv.accounts.issueAppToken(DEMO_USER_ID);
});
afterAll(() => srv.close());

describe('fake events: requests', () => {
  it('needs the apptoken header, eventType, from and to', async () => {
    expect((await events({ eventType: 'all_day_stress' }, { tok: null })).status).toBe(401);
    expect((await events({ eventType: 'all_day_stress' }, { tok: 'nope' })).status).toBe(401);
    expect((await events({})).status).toBe(400);
    expect((await events({ eventType: 'all_day_stress', from: '2026-03-01' })).status).toBe(400);
    expect((await events({ eventType: 'readiness' }, { path: '/v2/users/me/events' })).status).toBe(400); // v2 needs subType
  });

  it('answers {items} in timestamp order within [from, to], numbers as strings, `data` a JSON string', async () => {
    const { items, next } = await body(await events({ eventType: 'all_day_stress' }));
    expect(next).toBeUndefined();
    expect(items.length).toBeGreaterThan(8);
    const ts = items.map((i) => i.timestamp as number);
    expect([...ts].sort((a, b) => a - b)).toEqual(ts);
    for (const i of items) {
      expect(i.timestamp as number).toBeGreaterThanOrEqual(FROM);
      expect(i.timestamp as number).toBeLessThanOrEqual(TO);
      expect(typeof i.avgStress).toBe('string');
      expect(typeof i.data).toBe('string');
      expect((i.timestamp as number) % 1000).toBe(1); // local midnight + 1 ms
    }
  });

  it('pages both ways: an item-shaped `next` cursor, or a silent cut at `limit`', async () => {
    const all = (await body(await events({ eventType: 'blood_oxygen' }))).items;
    expect(all.length).toBeGreaterThan(12);
    const limit = 5;
    // Variant 'next': continue from next.timestamp until no next.
    const got: EventItem[] = [];
    let from = FROM;
    for (let n = 0; n < 50; n++) {
      const page = await body(await events({ eventType: 'blood_oxygen', limit: String(limit), from: String(from) }));
      got.push(...page.items);
      if (!page.next) break;
      expect(page.items.length).toBe(limit);
      expect(Object.keys(page.next)).toEqual(expect.arrayContaining(['eventType', 'subType', 'timestamp']));
      from = page.next.timestamp as number;
    }
    expect(got).toEqual(all);
    // Variant 'truncate': no cursor; a full page means "maybe more": continue after the last item.
    srv.events.switches.eventsPaging = 'truncate';
    try {
      const first = await body(await events({ eventType: 'blood_oxygen', limit: String(limit) }));
      expect(first.next).toBeUndefined();
      expect(first.items).toEqual(all.slice(0, limit));
    } finally {
      srv.events.switches.eventsPaging = 'next';
    }
  });

  it('reverse=true answers newest first', async () => {
    const asc = (await body(await events({ eventType: 'PaiHealthInfo' }))).items;
    const desc = (await body(await events({ eventType: 'PaiHealthInfo', reverse: 'true' }))).items;
    expect(desc).toEqual([...asc].reverse());
  });

  it('a band-only account answers no items; faults hit event paths like band_data', async () => {
    srv.events.setBandOnly(DEMO_USER_ID, true);
    try {
      expect((await body(await events({ eventType: 'all_day_stress' }))).items).toEqual([]);
    } finally {
      srv.events.setBandOnly(DEMO_USER_ID, false);
    }
    srv.faults.serverErrors({ count: 1, status: 503, paths: [/\/events$/] });
    expect((await events({ eventType: 'all_day_stress' })).status).toBe(503);
    srv.faults.emptyAnswer({ count: 1, paths: [/\/events$/] });
    expect(await body(await events({ eventType: 'all_day_stress' }))).toEqual({ items: [] });
    srv.faults.rateLimit({ count: 1, retryAfterSeconds: 2, paths: [/\/events$/] });
    const limited = await events({ eventType: 'all_day_stress' });
    expect([limited.status, limited.headers.get('retry-after')]).toEqual([429, '2']);
    expect((await events({ eventType: 'all_day_stress' })).status).toBe(200);
  });
});

describe('fake events: ground truth', () => {
  const dates = Array.from({ length: 10 }, (_, i) => `2026-03-${String(21 + i).padStart(2, '0')}`);

  it('stress: the service arithmetic (truncated mean, zones 0–39/40–59/60–79/80–100, shares sum to 100) and low while asleep', () => {
    let asleep = 0, awake = 0, nAsleep = 0, nAwake = 0;
    for (const d of dates) {
      const t = srv.events.stress(DEMO_USER_ID, d);
      if (!t) continue;
      const v = t.samples.map((x) => x.value);
      // Inside the local day (23 hours on 2026-03-29) and strictly in order.
      const start = Number(t.item.timestamp) - 1;
      const end = d === '2026-03-29' ? start + 23 * 3_600_000 : start + 24 * 3_600_000;
      t.samples.forEach((x, i) => {
        expect(x.time).toBeGreaterThanOrEqual(start);
        expect(x.time).toBeLessThan(end);
        if (i > 0) expect(x.time).toBeGreaterThan((t.samples[i - 1] as { time: number }).time);
      });
      expect(t.avg).toBe(Math.trunc(v.reduce((a, b) => a + b, 0) / v.length));
      expect(t.proportions.reduce((a, b) => a + b, 0)).toBe(100);
      const share = (lo: number, hi: number) => (v.filter((x) => x >= lo && x <= hi).length * 100) / v.length;
      [share(0, 39), share(40, 59), share(60, 79), share(80, 100)].forEach((exact, i) => expect(Math.abs((t.proportions[i] as number) - exact)).toBeLessThan(1));
      const day = srv.data.day(DEMO_USER_ID, d);
      const st = day?.summary.slp.st ?? 0, ed = day?.summary.slp.ed ?? 0;
      for (const x of t.samples) {
        if (x.time / 1000 >= st && x.time / 1000 < ed) { asleep += x.value; nAsleep++; } else { awake += x.value; nAwake++; }
      }
    }
    expect(nAsleep).toBeGreaterThan(100);
    expect(asleep / nAsleep).toBeLessThan(awake / nAwake);
  });

  it('ODI: cost = the main sleep in seconds from band_data, odi = odiNum per hour truncated, one osa_event per desaturation', () => {
    let nights = 0;
    for (const d of dates) {
      const n = srv.events.night(DEMO_USER_ID, d, ZONE);
      const slp = srv.data.day(DEMO_USER_ID, d)?.summary.slp; // wake-date convention: the night is in its wake date's record
      if (!n || !slp) continue;
      nights++;
      expect(Number(n.odi.item.cost)).toBe(slp.ed - slp.st);
      expect(Number(n.odi.item.odi)).toBe(Math.trunc((n.odi.odiNum / ((slp.ed - slp.st) / 3600)) * 100) / 100);
      expect(n.osa.length).toBe(n.odi.odiNum);
      for (const o of n.osa) expect(o.time / 1000 >= slp.st && o.time / 1000 < slp.ed).toBe(true);
      expect(n.shown.sleepRHR).toBe(slp.rhr);
    }
    expect(nights).toBeGreaterThan(5);
  });

  it('PAI lags: nothing for today, and the served days decode to the truth', async () => {
    expect(srv.events.pai(DEMO_USER_ID, '2026-03-31')).toBeUndefined();
    const { items } = await body(await events({ eventType: 'PaiHealthInfo' }));
    const { days, warnings } = decodeEvents('PaiHealthInfo', items, { timeZone: ZONE, user: 'demo' });
    expect(warnings).toEqual([]);
    for (const day of days) {
      const t = srv.events.pai(DEMO_USER_ID, day.date);
      expect(day.points[0]?.fields).toMatchObject({ pai: t?.dailyPai, total_pai: t?.totalPai, low_zone_min: t?.zoneMinutes[0], high_zone_lower_bpm: t?.lowerLimits[2] });
    }
  });

  it('decoding the served stress and readiness gives the truth: every sample, and the readiness the app shows', async () => {
    const stress = decodeEvents('all_day_stress', (await body(await events({ eventType: 'all_day_stress' }))).items, { timeZone: ZONE, user: 'demo' });
    expect(stress.warnings).toEqual([]);
    for (const day of stress.days) {
      const t = srv.events.stress(DEMO_USER_ID, day.date);
      expect(day.points.filter((p) => p.measurement === 'stress_sample').map((p) => [p.time, p.fields.stress])).toEqual(t?.samples.map((x) => [Math.floor(x.time / 1000), x.value]));
    }
    for (const shape of ['value', 'flat'] as const) {
      srv.events.switches.readinessShape = shape;
      try {
        const path = shape === 'value' ? '/v2/users/me/events' : undefined;
        const items = (await body(await events({ eventType: 'readiness', subType: 'watch_score' }, { path }))).items;
        const { days } = decodeEvents('readiness', items, { timeZone: ZONE, user: 'demo' });
        expect(days.length).toBeGreaterThan(5);
        for (const day of days) {
          const shown = srv.events.night(DEMO_USER_ID, day.date, ZONE)?.shown;
          expect(day.points[0]?.fields.computed_s).toBe(Math.floor((shown?.timestampUpdate ?? 0) / 1000));
          expect(day.points[0]?.fields.sleep_hrv_ms).toBe(shown?.sleepHRV);
        }
      } finally {
        srv.events.switches.readinessShape = 'value';
      }
    }
  });
});
