// An independent GPX reader for the export tests: Debian's python3-gpxpy (installed by
// scripts/install-deps.sh), run with Debian's interpreter (a pyenv python3 on PATH would not
// see it; GPX_PYTHON overrides). Gives back the version and every track point.
import { execFileSync } from 'node:child_process';

const PYTHON = process.env.GPX_PYTHON ?? '/usr/bin/python3';
const READER = `
import sys, json, gpxpy
g = gpxpy.parse(open(sys.argv[1]))
out = []
for trk in g.tracks:
    for seg in trk.segments:
        for p in seg.points:
            hr = None
            for e in p.extensions:
                for c in e.iter():
                    if c.tag.endswith('}hr'):
                        hr = int(c.text)
            out.append([p.latitude, p.longitude, p.elevation, int(p.time.timestamp()), hr])
print(json.dumps({"version": g.version, "points": out}))
`;

/** A GPX file as gpxpy reads it: [lat, lon, elevation, epoch s, heart rate] per point. */
export function readGpx(file: string): { version: string; points: (number | null)[][] } {
  return JSON.parse(execFileSync(PYTHON, ['-c', READER, file], { encoding: 'utf8' })) as { version: string; points: (number | null)[][] };
}
