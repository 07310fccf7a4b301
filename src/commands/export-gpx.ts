// `mifit-sync export-gpx --account NAME [--from D] [--to D] DIR`: one GPX 1.1 file per workout
// with a track (src/export/gpx.ts), from the raw workout archive of `sync`
// (STATE_DIR/<account>/raw-workouts), without asking Huami. Files are named
// <local date>-<sport>-<trackid>.gpx; workouts without positions (indoor sports) are counted, not written.
// Exit 0 when done, 1 when the account has no archived workouts or DIR cannot be written, 2 on a usage error.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config/load.js';
import { decodeWorkout } from '../decode/workouts/index.js';
import { workoutToGpx } from '../export/gpx.js';
import { createLogger } from '../log.js';
import { WorkoutStore } from '../store/workouts.js';
import { StateStore } from '../store/state.js';
import { userTag } from '../sync/account.js';
import { selectIdentified } from '../sync/select.js';

const USAGE = 'usage: mifit-sync export-gpx --account NAME [--from YYYY-MM-DD] [--to YYYY-MM-DD] DIR';
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export async function run(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, options: { account: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' } } });
  } catch (err) {
    process.stderr.write(`mifit-sync export-gpx: ${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const { account: which, from, to } = parsed.values;
  const [dir, ...extra] = parsed.positionals;
  const bad = !dir || extra.length ? 'expected exactly one DIR' : !which ? '--account NAME is required' : [from, to].find((d) => d !== undefined && !DATE.test(d)) ? '--from/--to must be YYYY-MM-DD' : undefined;
  if (bad || !dir) {
    process.stderr.write(`mifit-sync export-gpx: ${bad}\n${USAGE}\n`);
    return 2;
  }
  const config = loadConfig(env);
  const [sel] = await selectIdentified(config, which, createLogger('silent'));
  if (!sel) {
    process.stderr.write(`mifit-sync export-gpx: no configured account "${which}" (see mifit-sync status)\n`);
    return 1;
  }
  const ws = new WorkoutStore(new StateStore(config.raw.STATE_DIR, sel.id.key).dir);
  const tracks = await ws.rawTracks();
  if (!tracks.length) {
    process.stderr.write(`mifit-sync export-gpx: account "${which}" has no archived workouts yet; run mifit-sync sync first\n`);
    return 1;
  }
  const user = userTag(sel.account, undefined, sel.id.userId);
  await mkdir(dir, { recursive: true });
  let written = 0, noTrack = 0;
  for (const trackid of tracks) {
    const kept = await ws.loadRaw(trackid);
    if (!kept?.detail) continue;
    const w = decodeWorkout(kept.history, kept.detail, { timeZone: sel.account.timezone, user });
    if ((from && w.date < from) || (to && w.date > to)) continue;
    if (!w.points.some((p) => p.measurement === 'workout_sample' && typeof p.fields.lat === 'number')) {
      noTrack++;
      continue;
    }
    const sport = w.points.find((p) => p.measurement === 'workout')?.tags.sport ?? 'workout';
    await writeFile(join(dir, `${w.date}-${sport}-${trackid}.gpx`), workoutToGpx({ points: w.points }));
    written++;
  }
  process.stdout.write(`export-gpx ${user}: ${written} GPX file(s) in ${dir}; ${noTrack} workout(s) without a track (indoor) left out\n`);
  return 0;
}
