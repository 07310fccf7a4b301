// Body-scale weigh-ins of the fake ground truth (docs/huami-api.md "Weight records"): the account
// owner (member id -1) weighs most mornings, one family member some evenings. Most records are
// full body-composition readings (`weightType` 0, fat + bone + muscle mass = weight), some carry
// the weight only (`weightType` 1, a reading without impedance; 7, imported from Apple Health,
// without height or BMI), and each member has one `weightType` 3 record with broken values.
import { addDays, dayClock } from './clock.js';
import { hash32, rngFor } from './rng.js';

export interface FakeMember {
  /** `memberId` / `fuid`: "-1" for the owner. */
  id: string;
  nickname: string;
  heightCm: number;
  baseKg: number;
  gender: number;
  birthday: string;
}

export interface FakeWeighIn {
  userId: string;
  memberId: string;
  generatedTime: number;
  weightType: number;
  summary: Record<string, number | string>;
}

/** Owner height and weight equal the profile's (`/users/{uid}`). */
export const OWNER_HEIGHT_CM = 178;
export const OWNER_WEIGHT_KG = 72.5;

/** The members of an account: the owner and one family member. */
export function membersOf(userId: string): FakeMember[] {
  return [
    { id: '-1', nickname: 'me', heightCm: OWNER_HEIGHT_CM, baseKg: OWNER_WEIGHT_KG, gender: 1, birthday: '1990-05' },
    { id: String(10_000_000 + (hash32(`member|${userId}`) % 80_000_000)), nickname: 'Kim', heightCm: 165, baseKg: 61, gender: 0, birthday: '1993-11' },
  ];
}

const r1 = (v: number) => Math.round(v * 10) / 10;
const r2 = (v: number) => Math.round(v * 100) / 100;

/** One member's weigh-in of one day, or undefined when they did not step on the scale. */
function weighInOf(seed: number, userId: string, m: FakeMember, date: string, zone: string, brokenDate: string): FakeWeighIn | undefined {
  const owner = m.id === '-1';
  const rng = rngFor(seed, userId, `weigh|${m.id}|${date}`);
  if (date !== brokenDate && !rng.chance(owner ? 0.5 : 0.2)) return undefined;
  const clock = dayClock(date, zone);
  const minute = owner ? rng.int(420, 510) : rng.int(1140, 1260);
  const t = (clock.minuteEpoch(minute) ?? clock.anchor + minute * 60) + rng.int(0, 59);
  const dayIndex = Math.round((clock.anchor - 946_684_800) / 86_400);
  const weight = Math.round((m.baseKg + 1.2 * Math.sin(dayIndex / 45) + (rng.next() - 0.5) * 0.6) * 20) / 20; // 50 g steps
  const bmi = r1(weight / (m.heightCm / 100) ** 2);
  const weightType = date === brokenDate ? 3 : rng.chance(0.08) ? 1 : rng.chance(0.06) ? 7 : 0;
  let summary: Record<string, number | string>;
  if (weightType === 3) {
    summary = { weight: 0.4, height: 0, bmi: 0.1, fatRate: -1, bodyWaterRate: 0, boneMass: 0, metabolism: 0, muscleRate: 0, visceralFat: 0, impedance: 0, bodyScore: 0, deviceType: 1, source: 1 };
  } else if (weightType === 7) {
    summary = { weight, deviceType: 0, source: 7 };
  } else if (weightType === 1) {
    summary = { weight, height: m.heightCm, bmi, deviceType: 1, source: 1 };
  } else {
    const fatRate = r2((owner ? 17 : 24) + (rng.next() - 0.5) * 2);
    const boneMass = r2(owner ? 2.9 : 2.3);
    const muscle = r2(weight - (weight * fatRate) / 100 - boneMass);
    const impedance = rng.int(420, 520);
    summary = {
      weight, height: m.heightCm, bmi, fatRate, bodyWaterRate: r2(55 + (rng.next() - 0.5) * 3), boneMass,
      metabolism: Math.round(owner ? 1600 : 1320 + rng.int(-20, 20)), muscleRate: muscle, muscleAge: owner ? 33 : 30,
      proteinRatio: r2(19 + rng.next() * 2), standBodyWeight: r1(m.heightCm / 100 * (m.heightCm / 100) * 22),
      visceralFat: owner ? 8 : 5, impedance, encryptImpedance: String(impedance), bodyScore: rng.int(78, 92),
      bodyStyle: 5, deviceType: 1, source: 1,
    };
  }
  return { userId, memberId: m.id, generatedTime: t, weightType, summary };
}

/** Every weigh-in of one member from `from` to `to` (local dates), oldest first. */
export function weighInsOf(seed: number, userId: string, m: FakeMember, zone: string, from: string, to: string, until: number): FakeWeighIn[] {
  const out: FakeWeighIn[] = [];
  const brokenDate = addDays(from, 20);
  for (let d = from; d <= to; d = addDays(d, 1)) {
    const w = weighInOf(seed, userId, m, d, zone, brokenDate);
    if (w && w.generatedTime <= until) out.push(w);
  }
  return out;
}
