// The health events of the fake cloud (docs/huami-api.md "Health events"): all-day stress,
// PAI, SpO₂ spot checks, nightly ODI and desaturations, and readiness, generated from the same
// per-user ground truth as band_data.json, so a day's stress follows its heart rate (low while
// asleep), PAI counts its heart-rate minutes, and ODI and readiness belong to its nights
// (`cost` = the main sleep's seconds, `sleepRHR` = the summary's `slp.rhr`). Each generator
// returns the served item(s) plus the truth tests compare against.
import { DateTime } from 'luxon';
import { addDays, dayClock, localDate } from './clock.js';
import { rngFor } from './rng.js';
import type { FakeDataStore } from './store.js';
import type { FakeDay } from './types.js';

/** Uncertain behaviours of the events endpoints (docs/huami-api.md "Fake server switches"). */
export interface EventSwitches {
  /** More items than `limit`: 'next' answers an item-shaped `next` cursor, 'truncate' cuts silently. */
  eventsPaging: 'next' | 'truncate';
  /** readiness items: 'value' (version 2: numbers under `value`) or 'flat' (version 1: strings at the top level). */
  readinessShape: 'value' | 'flat';
}

export type EventItem = Record<string, unknown>;

export interface StressTruth { date: string; item: EventItem; samples: { time: number; value: number }[]; avg: number; min: number; max: number; proportions: [number, number, number, number] }
export interface PaiTruth { date: string; item: EventItem; dailyPai: number; totalPai: number; zoneMinutes: [number, number, number]; zonePai: [number, number, number]; lowerLimits: [number, number, number]; restHr: number; maxHr: number }
export interface ClickTruth { item: EventItem; time: number; spo2: number; history: number[]; isAuto: boolean }
export interface NightTruth {
  wakeDate: string; st: number; ed: number;
  odi: { item: EventItem; odiNum: number; odi: number; score: number };
  osa: { item: EventItem; time: number; drop: number }[];
  /** Served readiness items (one or two); `shown` is the one the app shows (the later timestampUpdate). */
  readiness: EventItem[];
  shown: Record<string, number>;
}

const MAX_HR = 185; // 220 − age 35 (the profile's birthday)

/** Whole shares summing to 100 by the largest remainder (ties to the lower zone). */
export function largestRemainder(counts: readonly number[]): number[] {
  const total = counts.reduce((a, b) => a + b, 0);
  if (total === 0) return counts.map(() => 0);
  const exact = counts.map((c) => (c * 100) / total);
  const out = exact.map(Math.floor);
  let left = 100 - out.reduce((a, b) => a + b, 0);
  const order = exact.map((e, i) => ({ i, r: e - Math.floor(e) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    out[i] = (out[i] as number) + 1;
    left--;
  }
  return out;
}

/** A double printed the way the service prints ODI (C's %.17g): "0.26000000000000001". */
export function printDouble(x: number): string {
  const s = x.toPrecision(17);
  return s.includes('e') ? s : s.replace(/\.?0+$/, '');
}

const str = (n: number) => String(n);

/** A served day's valid heart-rate minutes, in minute order: epoch seconds, bpm, asleep (1) or not (0). */
interface HrMinutes { n: number; t: Float64Array; bpm: Uint8Array; asleep: Uint8Array }

function computeHrMinutes(day: FakeDay): HrMinutes {
  const clock = dayClock(day.date, day.timezone);
  const w = day.data.length / 1440;
  const out: HrMinutes = { n: 0, t: new Float64Array(1440), bpm: new Uint8Array(1440), asleep: new Uint8Array(1440) };
  for (let i = 0; i < 1440; i++) {
    const b = day.hr[i] as number;
    if (b < 20 || b > 250) continue;
    const t = clock.minuteEpoch(i);
    if (t === null) continue;
    const kind = (day.data[i * w] as number) & 0x0f;
    out.t[out.n] = t;
    out.bpm[out.n] = b;
    out.asleep[out.n++] = kind === 9 || kind === 11 || kind === 12 ? 1 : 0;
  }
  return { n: out.n, t: out.t.slice(0, out.n), bpm: out.bpm.slice(0, out.n), asleep: out.asleep.slice(0, out.n) };
}

/** Generates and caches nothing itself: every call derives from the store's cached days. */
export class FakeEvents {
  readonly switches: EventSwitches;
  private readonly bandOnlyUsers = new Set<string>();
  /** hrMinutes per served record (the store's cached object: a regenerated day is a new key). */
  private readonly hrCache = new WeakMap<FakeDay, HrMinutes>();

  constructor(private readonly store: FakeDataStore, private readonly seed: number, private readonly now: () => Date, private readonly zoneFor: (userId: string) => string, switches: EventSwitches) {
    this.switches = { ...switches };
  }

  /** Make an account "band only" (an old Mi Band: the events endpoints answer no items), or a watch again. */
  setBandOnly(userId: string, bandOnly: boolean): void {
    if (bandOnly) this.bandOnlyUsers.add(userId);
    else this.bandOnlyUsers.delete(userId);
  }

  /** The IANA zone the user's days are generated in. */
  zoneOf(userId: string): string {
    return this.zoneFor(userId);
  }

  isBandOnly(userId: string): boolean {
    return this.bandOnlyUsers.has(userId);
  }

  private day(userId: string, date: string): FakeDay | undefined {
    return this.store.entry(userId, date)?.day;
  }

  /** Valid heart-rate minutes of a served day, computed once per cached record; shared, never mutate. */
  private hrMinutes(day: FakeDay): HrMinutes {
    let out = this.hrCache.get(day);
    if (!out) this.hrCache.set(day, (out = computeHrMinutes(day)));
    return out;
  }

  /** all_day_stress of a local day: one sample per 5-minute block with a heart-rate reading. */
  stress(userId: string, date: string): StressTruth | undefined {
    const day = this.day(userId, date);
    if (!day || this.isBandOnly(userId)) return undefined;
    const rng = rngFor(this.seed, userId, `stress|${date}`);
    const rest = day.summary.slp.rhr || 58;
    const samples: { time: number; value: number }[] = [];
    let block = -1;
    const anchor = dayClock(date, day.timezone).anchor;
    const hr = this.hrMinutes(day);
    for (let k = 0; k < hr.n; k++) {
      const t = hr.t[k] as number, bpm = hr.bpm[k] as number, asleep = hr.asleep[k] === 1;
      const b = Math.floor((t - anchor) / 300);
      if (b === block) continue;
      block = b;
      const value = asleep ? rng.int(3, 30) : Math.max(1, Math.min(100, Math.round(18 + (bpm - rest) * 1.6 + rng.int(-10, 14))));
      // Some instants lie off the 5-minute grid, but inside their block (so inside the day, in order).
      const room = (b + 1) * 300 - (t - anchor) - 1;
      const offGrid = rng.chance(0.06) && room > 1 ? rng.int(1, Math.min(170, room)) * 1000 : 0;
      samples.push({ time: t * 1000 + offGrid, value });
    }
    if (samples.length === 0) return undefined;
    const values = samples.map((s) => s.value);
    const sum = values.reduce((a, b) => a + b, 0);
    const avg = Math.trunc(sum / values.length); // the service truncates
    const counts = [0, 0, 0, 0];
    for (const v of values) { const z = v >= 80 ? 3 : v >= 60 ? 2 : v >= 40 ? 1 : 0; counts[z] = (counts[z] as number) + 1; }
    const p = largestRemainder(counts) as [number, number, number, number];
    const min = Math.min(...values), max = Math.max(...values);
    const item: EventItem = {
      userId, eventType: 'all_day_stress', subType: 'all_day_stress', timestamp: anchor * 1000 + 1, deviceType: '0',
      deviceSn: day.device.sn, deviceId: day.device.deviceId, deviceSource: str(day.device.source), deviceMac: day.device.mac,
      avgStress: str(avg), minStress: str(min), maxStress: str(max),
      relaxProportion: str(p[0]), normalProportion: str(p[1]), mediumProportion: str(p[2]), highProportion: str(p[3]),
      data: JSON.stringify(samples),
    };
    return { date, item, samples, avg, min, max, proportions: p };
  }

  private paiOfDay(userId: string, date: string): Omit<PaiTruth, 'item' | 'totalPai'> | undefined {
    const day = this.day(userId, date);
    if (!day) return undefined;
    const restHr = day.summary.slp.rhr || 58;
    const lowerLimits = [0.35, 0.5, 0.65].map((f) => Math.round(restHr + (MAX_HR - restHr) * f)) as [number, number, number];
    const zoneMinutes: [number, number, number] = [0, 0, 0];
    const hr = this.hrMinutes(day);
    for (let k = 0; k < hr.n; k++) {
      if (hr.asleep[k]) continue;
      const bpm = hr.bpm[k] as number;
      const z = bpm >= lowerLimits[2] ? 2 : bpm >= lowerLimits[1] ? 1 : bpm >= lowerLimits[0] ? 0 : -1;
      if (z === 0 || z === 1 || z === 2) zoneMinutes[z]++;
    }
    const zonePai = [Math.round(zoneMinutes[0] * 0.1), Math.round(zoneMinutes[1] * 0.3), Math.round(zoneMinutes[2] * 0.6)] as [number, number, number];
    const dailyPai = Math.min(75, zonePai[0] + zonePai[1] + zonePai[2]);
    return { date, dailyPai, zoneMinutes, zonePai, lowerLimits, restHr, maxHr: MAX_HR };
  }

  /** PaiHealthInfo of a local day, once the service has computed it (2 to 30 hours after the day ends). */
  pai(userId: string, date: string): PaiTruth | undefined {
    const day = this.day(userId, date);
    if (!day || this.isBandOnly(userId)) return undefined;
    const clock = dayClock(date, day.timezone);
    const lagH = rngFor(this.seed, userId, `pai-lag|${date}`).int(2, 30);
    if (this.now().getTime() / 1000 < clock.nextAnchor + lagH * 3600) return undefined;
    const base = this.paiOfDay(userId, date);
    if (!base) return undefined;
    const week = [6, 5, 4, 3, 2, 1, 0].map((k) => (k === 0 ? base.dailyPai : (this.paiOfDay(userId, addDays(date, -k))?.dailyPai ?? 0)));
    // A decaying window: close to, not exactly, the 7-day sum.
    const totalPai = Math.round(week.reduce((a, v, i) => a + v * (0.7 + 0.05 * i), 0));
    const quarterHours = clock.offsetAtMidnight / 900;
    const item: EventItem = {
      userId, eventType: 'PaiHealthInfo', subType: 'PaiHealthInfo', timestamp: clock.anchor * 1000,
      dailyPai: str(base.dailyPai), totalPai: str(totalPai), restHr: str(base.restHr), maxHr: str(base.maxHr),
      lowZoneLowerLimit: str(base.lowerLimits[0]), lowZoneMinutes: str(base.zoneMinutes[0]), lowZonePai: str(base.zonePai[0]),
      mediumZoneLowerLimit: str(base.lowerLimits[1]), mediumZoneMinutes: str(base.zoneMinutes[1]), mediumZonePai: str(base.zonePai[1]),
      highZoneLowerLimit: str(base.lowerLimits[2]), highZoneMinutes: str(base.zoneMinutes[2]), highZonePai: str(base.zonePai[2]),
      activityScores: JSON.stringify(week), nextActivityScores: JSON.stringify([totalPai, ...week.slice(1, 6)]),
      age: '35', gender: 1, index: '0', version: '1', timeZone: str(quarterHours),
      deviceId: day.device.deviceId, deviceSource: str(day.device.source), sn: day.device.sn,
      time: str(clock.anchor * 1000), uploadTimestamp: str((clock.nextAnchor + lagH * 3600) * 1000),
    };
    return { ...base, item, totalPai };
  }

  /** SpO₂ spot checks of a local day (0–2, while awake and worn), up to now. */
  clicks(userId: string, date: string, zoneName: string): ClickTruth[] {
    const day = this.day(userId, date);
    if (!day || this.isBandOnly(userId)) return [];
    const rng = rngFor(this.seed, userId, `spo2|${date}`);
    const from = dayClock(date, day.timezone).anchor + 36_000;
    const hr = this.hrMinutes(day);
    const awake: number[] = [];
    for (let k = 0; k < hr.n; k++) if (!hr.asleep[k] && (hr.t[k] as number) >= from) awake.push(hr.t[k] as number);
    const out: ClickTruth[] = [];
    const count = rng.int(0, 2);
    for (let n = 0; n < count && awake.length > 0; n++) {
      const t0 = awake[rng.int(0, awake.length - 1)] as number;
      const time = t0 * 1000 + rng.int(0, 59) * 1000;
      if (time > this.now().getTime() || out.some((c) => c.time === time)) continue;
      const spo2 = rng.int(94, 99);
      const len = rng.chance(0.1) ? 0 : rng.int(30, 60); // sometimes all padding
      const history = Array.from({ length: 60 }, (_, i) => (i < len ? Math.min(100, spo2 + rng.int(-2, 1)) : 0));
      const isAuto = rng.chance(0.3);
      const extra = { spo2, spo2History: history, isAuto, deviceSource: day.device.source, sn: day.device.sn, timestamp: time, timezone: zoneName, deviceId: day.device.deviceId, subType: 'click' };
      out.push({ item: { userId, eventType: 'blood_oxygen', subType: 'click', timestamp: time, timezone: zoneName, extra: JSON.stringify(extra) }, time, spo2, history, isAuto });
    }
    return out.sort((a, b) => a.time - b.time);
  }

  /** The main sleep that ends on `wakeDate`, from whichever record files it. */
  private mainSleep(userId: string, wakeDate: string): { st: number; ed: number; rhr: number } | undefined {
    const zone = this.zoneFor(userId);
    for (const d of [wakeDate, addDays(wakeDate, -1)]) {
      const slp = this.day(userId, d)?.summary.slp;
      if (slp && slp.stage.length > 0 && slp.st !== slp.ed && localDate(slp.ed * 1000, zone) === wakeDate) return { st: slp.st, ed: slp.ed, rhr: slp.rhr };
    }
    return undefined;
  }

  /** ODI, desaturations and readiness of the night that ends on `wakeDate`, once computed. */
  night(userId: string, wakeDate: string, zoneName: string): NightTruth | undefined {
    if (this.isBandOnly(userId)) return undefined;
    const sleep = this.mainSleep(userId, wakeDate);
    if (!sleep) return undefined;
    const zone = this.zoneFor(userId);
    const midnight = dayClock(wakeDate, zone).anchor * 1000;
    const rng = rngFor(this.seed, userId, `night-events|${wakeDate}`);
    const nowMs = this.now().getTime();
    const cost = sleep.ed - sleep.st;
    const odiNum = rng.int(0, 9);
    const odi = Math.trunc((odiNum / (cost / 3600)) * 100) / 100;
    const score = rng.int(60, 100);
    const osa = Array.from({ length: odiNum }, () => sleep.st * 1000 + rng.int(0, cost - 1) * 1000).sort((a, b) => a - b)
      .map((time) => ({ time, drop: rng.int(3, 9) }))
      .map((o) => ({ ...o, item: { userId, eventType: 'blood_oxygen', subType: 'osa_event', timestamp: o.time, timezone: zoneName, extra: JSON.stringify({ spo2_decrease: o.drop }) } as EventItem }));
    const odiItem: EventItem = { userId, eventType: 'blood_oxygen', subType: 'odi', timestamp: midnight, timezone: zoneName, odi: printDouble(odi), odiNum: str(odiNum), valid: '1', score: str(score), cost: str(cost), dispCode: '0' };
    const computed = sleep.ed * 1000 + rng.int(5, 90) * 60_000;
    if (nowMs < computed) return undefined; // not computed yet: no item at all
    const building = wakeDate < addDays(this.store.firstDay(), 7); // baselines still building
    const hrvBaseline = 40 + (rngFor(this.seed, userId, 'hrv-baseline').int(0, 30));
    const scores = (r: typeof rng) => ({
      sleepHRV: r.int(28, 85), sleepRHR: sleep.rhr || 255,
      hrvScore: building ? 255 : r.int(40, 98), rhrScore: building ? 255 : r.int(40, 98), skinTempScore: building ? 255 : r.int(40, 98),
      rdnsScore: building ? 255 : r.int(35, 95), phyScore: building ? 255 : r.int(35, 95), mentScore: building ? 255 : r.int(35, 95),
      ahiScore: building || r.chance(0.4) ? 255 : r.int(60, 100),
      hrvBaseline: building ? 255 : hrvBaseline, rhrBaseline: building ? 255 : 58,
      skinTempBaseLine: building ? 32767 : r.int(3300, 3500), mentBaseLine: building ? 255 : r.int(40, 70), phyBaseline: building ? 255 : r.int(40, 70),
      ahiBaseline: -1, afibBaseLine: 255, status: 1, algVer: 2, algSubVer: 3, skinTempCalibrated: r.int(-80, 80),
    });
    const final = { ...scores(rng), timestamp: midnight, timestampUpdate: computed };
    const readiness = [final];
    if (rng.chance(0.2)) readiness.unshift({ ...scores(rng), timestamp: midnight, timestampUpdate: sleep.ed * 1000 + rng.int(1, 4) * 60_000 }); // a first, superseded computation
    const deviceId = this.day(userId, wakeDate)?.device.deviceId ?? '';
    const items = readiness.map((r) => this.readinessItem(userId, { ...r, deviceId }));
    return { wakeDate, st: sleep.st, ed: sleep.ed, odi: { item: odiItem, odiNum, odi, score }, osa, readiness: items, shown: final };
  }

  private readinessItem(userId: string, r: Record<string, number | string>): EventItem {
    const head = { userId, eventType: 'readiness', subType: 'watch_score' };
    if (this.switches.readinessShape === 'value') return { ...head, timestamp: r.timestampUpdate, value: r };
    return { ...head, ...Object.fromEntries(Object.entries(r).map(([k, v]) => [k, String(v)])), timestamp: r.timestamp, timestampUpdate: r.timestampUpdate };
  }

  /** Every item of one eventType (optionally one subType) whose `timestamp` lies in [fromMs, toMs], ascending. */
  items(userId: string, eventType: string, subType: string | undefined, fromMs: number, toMs: number, zoneName: string): EventItem[] {
    if (this.isBandOnly(userId)) return [];
    const zone = this.zoneFor(userId);
    const first = localDate(Math.max(fromMs, Date.parse('2000-01-02T00:00:00Z')), zone);
    const last = localDate(Math.min(toMs, this.now().getTime() + 86_400_000), zone);
    const out: EventItem[] = [];
    const want = (s: string) => subType === undefined || subType === '' || subType === s;
    for (let d = addDays(first, -1), n = 0; d <= addDays(last, 1) && n < 800; d = addDays(d, 1), n++) {
      if (eventType === 'all_day_stress') { const s = this.stress(userId, d); if (s) out.push(s.item); }
      else if (eventType === 'PaiHealthInfo') { const p = this.pai(userId, d); if (p) out.push(p.item); }
      else if (eventType === 'blood_oxygen') {
        if (want('click')) out.push(...this.clicks(userId, d, zoneName).map((c) => c.item));
        const night = want('odi') || want('osa_event') ? this.night(userId, d, zoneName) : undefined;
        if (night && want('odi')) out.push(night.odi.item);
        if (night && want('osa_event')) out.push(...night.osa.map((o) => o.item));
      } else if (eventType === 'readiness' && want('watch_score')) out.push(...(this.night(userId, d, zoneName)?.readiness ?? []));
    }
    const ts = (i: EventItem) => Number(i.timestamp);
    return out.filter((i) => ts(i) >= fromMs && ts(i) <= toMs).sort((a, b) => ts(a) - ts(b));
  }
}

/** A local date or date-time (the dateString variant's `from`/`to`) in `zone` → epoch ms; NaN when unreadable. */
export function localIsoToMs(text: string, zone: string): number {
  const dt = DateTime.fromISO(text, { zone });
  return dt.isValid ? dt.toMillis() : Number.NaN;
}
