// The band of each fake user: one stable identity per (seed, userId), shared by band_data
// items (`device_id`, `source`, `uuid`, summary `sn`) and /users/{uid}/devices.
import { hash32 } from './rng.js';
import type { FakeDevice } from './types.js';

const hex = (n: number, len: number) => n.toString(16).toUpperCase().padStart(len, '0').slice(-len);

/** Device identity of a user; `recordWidth` 8 plays a newer strap, 3 a Mi Band (real `source` ids). */
export function deviceFor(seed: number, userId: string, recordWidth: 3 | 8): FakeDevice {
  const a = hash32(`${seed}|${userId}|device`), b = hash32(`${userId}|${seed}|sn`), c = hash32(`uuid|${userId}|${seed}`);
  const mac = [a >>> 24, (a >>> 16) & 255, (a >>> 8) & 255, a & 255, b >>> 24, (b >>> 16) & 255].map((x) => hex(x, 2)).join(':');
  const uuidHex = `${hex(a, 8)}${hex(b, 8)}${hex(c, 8)}${hex(a ^ c, 8)}`.toLowerCase();
  return {
    deviceId: `FAKEDEVICE${hex(a, 8)}`,
    sn: `FAKESN${hex(b, 8)}`,
    mac,
    source: recordWidth === 8 ? 10289411 : 24,
    uuid: `${uuidHex.slice(0, 8)}-${uuidHex.slice(8, 12)}-${uuidHex.slice(12, 16)}-${uuidHex.slice(16, 20)}-${uuidHex.slice(20, 32)}`,
    displayName: recordWidth === 8 ? 'Amazfit Helio Strap' : 'Mi Smart Band 6',
  };
}
