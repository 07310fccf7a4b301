// The fake cloud and the decoder were written from the same description (docs/huami-api.md) by different hands.
// On VALID fake data, under every uncertain variant the fake can play, the decoder must
// raise no warning at all, every nap must land on its record's own local date, and the
// sleep points must not depend on which date owns a night. A warning here means the two
// disagree about the format (this test found the nap anchor of days without a night).
import { afterAll, describe, expect, it } from 'vitest';
import { decodeResponse } from '../../src/decode/index.js';
import { dayWindow, parseLocalDate } from '../../src/decode/time.js';
import { IANAZone } from 'luxon';
import { DEMO_USER_ID, startFakeServer, type FakeServer, type FakeServerOptions } from '../../src/fake/index.js';
import type { Point } from '../../src/schema/point.js';

const FROM = '2025-10-01';
const TO = '2026-04-30'; // spans both DST switches of Europe/Berlin and America/New_York
const NOW = new Date('2026-05-10T12:00:00Z');
const servers: FakeServer[] = [];
afterAll(async () => {
  for (const s of servers) await s.close();
});

async function decodeAll(opts: FakeServerOptions, zone: string) {
  const fake = await startFakeServer({ ...opts, from: FROM, now: () => NOW, timezone: zone, quiet: true });
  servers.push(fake);
  const token = fake.accounts.issueAppToken(DEMO_USER_ID);
  const res = await fetch(`${fake.url}/v1/data/band_data.json?query_type=detail&userid=${DEMO_USER_ID}&from_date=${FROM}&to_date=${TO}&device_type=android_phone`, { headers: { apptoken: token } });
  expect(res.status).toBe(200);
  return decodeResponse(await res.json(), { timeZone: zone, user: 'u' });
}

const sleepLines = (points: Point[]) =>
  points
    .filter((p) => p.measurement === 'sleep_stage' || p.measurement === 'sleep_daily')
    .map((p) => `${p.measurement} ${JSON.stringify(p.tags)} ${JSON.stringify(p.fields)} ${p.time}`)
    .sort();

describe('fake cloud ↔ decoder agreement on valid data', () => {
  for (const zone of ['Europe/Berlin', 'America/New_York']) {
    for (const napAnchor of ['sleep-anchor', 'own-midnight'] as const) {
      it(`${zone}, naps anchored ${napAnchor}: no warnings, naps on their own date, same sleep under both night conventions`, async () => {
        const wake = await decodeAll({ nightConvention: 'wake-date', napAnchor, tzField: 'standard' }, zone);
        const evening = await decodeAll({ nightConvention: 'evening-date', napAnchor, tzField: 'actual' }, zone);
        expect(wake.warnings).toEqual([]);
        expect(evening.warnings).toEqual([]);
        expect(wake.days.length).toBeGreaterThan(150);

        const iana = IANAZone.create(zone);
        let naps = 0;
        for (const day of [...wake.days, ...evening.days]) {
          const w = dayWindow(parseLocalDate(day.date)!, iana);
          for (const p of day.points) {
            if (p.measurement !== 'sleep_stage' || p.tags.sleep !== 'nap' || p.tags.phase === 'end') continue;
            naps++;
            expect(p.time, `nap of ${day.date}`).toBeGreaterThanOrEqual(w.start);
            expect(p.time, `nap of ${day.date}`).toBeLessThan(w.end);
          }
        }
        expect(naps).toBeGreaterThan(10);
        // Compare the nights both responses hold: the wake-date response starts with the night
        // before FROM, the evening-date one ends with the night after TO. 18:00 UTC is outside
        // every night in both zones, so the window cuts no night in two.
        const lo = Date.parse(`${FROM}T18:00:00Z`) / 1000 + 86_400;
        const hi = Date.parse(`${TO}T18:00:00Z`) / 1000 - 86_400;
        const mainNights = (r: typeof wake) => sleepLines(r.days.flatMap((d) => d.points).filter((p) => p.tags.sleep === 'main' && p.time >= lo && p.time < hi));
        const nights = mainNights(wake);
        expect(nights.length).toBeGreaterThan(150 * 10);
        expect(nights).toEqual(mainNights(evening));
      });
    }
  }
});
