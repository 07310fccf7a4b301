// Huami sport `type` codes → the readable `sport` tag and the family that decides which summary
// fields a workout has (docs/metrics.md `workout`). Codes not listed become `sport_<code>`.
export type SportFamily = 'foot' | 'cycle' | 'swim' | 'other';

const TABLE: Record<number, [string, SportFamily]> = {
  1: ['outdoor_run', 'foot'], 6: ['walking', 'foot'], 8: ['treadmill', 'foot'], 9: ['outdoor_cycling', 'cycle'],
  10: ['indoor_cycling', 'cycle'], 14: ['pool_swim', 'swim'], 15: ['open_water_swim', 'swim'], 16: ['free_training', 'other'],
  22: ['hiking', 'foot'], 23: ['indoor_rowing', 'other'], 52: ['strength', 'other'], 92: ['badminton', 'other'],
  105: ['skiing', 'other'], 130: ['cross_training', 'other'], 207: ['e_mtb', 'cycle'], 208: ['gravel_cycling', 'cycle'],
  224: ['mountain_hiking', 'foot'],
};

/** The sport's tag value and family. */
export function sportOf(code: number): { name: string; family: SportFamily } {
  const e = TABLE[code];
  return e ? { name: e[0], family: e[1] } : { name: `sport_${code}`, family: 'other' };
}
