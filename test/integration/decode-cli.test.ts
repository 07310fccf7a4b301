// The built CLI (`node dist/cli.js decode`, build first: tsc -p tsconfig.build.json) on golden
// cases: stdout is the golden line protocol, stderr the warnings, and real InfluxDB 1.6.7
// accepts the output with the declared field types.
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { tempDir } from '../support/tmp.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, inject, it } from 'vitest';
import { createTestDatabase, influxQuery, rows } from '../support/influxd.js';
import { RawArchive } from '../../src/store/raw-archive.js';
import { gzipSync } from 'node:zlib';
import { DEMO_USER_ID, startFakeServer } from '../../src/fake/index.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = join(ROOT, 'dist/cli.js');
const golden = (name: string, file: string): string => join(ROOT, 'test/golden', name, file);

async function decode(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [CLI, 'decode', ...args], { env: { PATH: process.env.PATH, ...env }, maxBuffer: 64 << 20 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('mifit-sync decode', () => {
  it('prints the golden line protocol on stdout and one warning line per problem, naming the day, on stderr', async () => {
    const r = await decode([golden('malformed-bad-base64', 'response.json'), '--timezone', 'Europe/Berlin', '--user', 'alice']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(readFileSync(golden('malformed-bad-base64', 'expected.lp'), 'utf8'));
    const warnings = JSON.parse(readFileSync(golden('malformed-bad-base64', 'expected-warnings.json'), 'utf8')) as { day: string; code: string }[];
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(warnings.length);
    lines.forEach((l, i) => expect(l).toMatch(new RegExp(`^warning ${warnings[i]?.day}: \\[${warnings[i]?.code}\\] `)));
  });

  it('defaults the zone to TIMEZONE from the configuration and the user to the item uid', async () => {
    const r = await decode([golden('dst-berlin-fall-back', 'response.json')], { TIMEZONE: 'Europe/Berlin' });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(readFileSync(golden('dst-berlin-fall-back', 'expected.lp'), 'utf8').replaceAll('user=alice', 'user=1000000001'));
  });

  it.each(['string-numbers', 'readiness-255-flat'])('recognises a saved events answer without being told (%s): the golden line protocol', async (name) => {
    const input = JSON.parse(readFileSync(join(ROOT, 'test/golden/events', name, 'input.json'), 'utf8')) as { pages: unknown[] };
    const file = join(tempDir('mifit-decode-events-'), 'events.json');
    writeFileSync(file, JSON.stringify(input.pages[0]));
    const r = await decode([file, '--timezone', 'Europe/Berlin', '--user', 'alice']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(readFileSync(join(ROOT, 'test/golden/events', name, 'expected.lp'), 'utf8'));
  });

  it("reads the raw archive's own .json.gz files (what sync keeps for reprocess)", async () => {
    const dir = tempDir('mifit-decode-gz-');
    const response = JSON.parse(readFileSync(golden('dst-berlin-fall-back', 'response.json'), 'utf8')) as { data: unknown[] };
    // The archive's writer, as sync uses it: gzip of the day's items.
    const archive = new RawArchive(dir, 'alice');
    await archive.save('2025-10-26', response.data);
    const r = await decode([join(archive.dir, '2025-10-26.json.gz'), '--timezone', 'Europe/Berlin', '--user', 'alice']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(readFileSync(golden('dst-berlin-fall-back', 'expected.lp'), 'utf8'));
  });

  it('names a damaged gzip file as such', async () => {
    const dir = tempDir('mifit-decode-gz-');
    writeFileSync(join(dir, 'cut.json.gz'), Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x01]));
    const r = await decode([join(dir, 'cut.json.gz')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/starts like gzip but does not unpack/);
  });

  it('writes output that real InfluxDB 1.6.7 accepts, with integer fields stored as integers', async () => {
    const url = inject('influxUrl');
    const db = await createTestDatabase(url, 'decodecli');
    const r = await decode([golden('today-not-synced', 'response.json'), '--timezone', 'Europe/Berlin', '--user', 'alice']);
    const res = await fetch(`${url}/write?db=${db}&precision=s`, { method: 'POST', body: r.stdout });
    expect(res.status).toBe(204);
    expect(rows(await influxQuery(url, 'SELECT count("steps") FROM "activity_minute"', db))[0]?.count).toBe(800);
    const types = rows(await influxQuery(url, 'SHOW FIELD KEYS FROM "sleep_daily"', db)).map((x) => x.fieldType);
    expect(new Set(types)).toEqual(new Set(['integer']));
    const stages = rows(await influxQuery(url, `SELECT "duration_min" FROM "sleep_stage" WHERE "phase" = 'end'`, db));
    expect(stages).toHaveLength(1);
  });

  it.each([
    ['a missing file', ['/nonexistent/band_data.json'], 1, /cannot read it \(ENOENT\); check the path/],
    ['a file that is not JSON', ['NOTJSON'], 1, /is not JSON/],
    ['JSON that is not a band_data response', ['NOTRESPONSE'], 1, /no "data" array/],
    ['an unknown zone', ['x.json', '--timezone', 'Mars/Base'], 2, /not an IANA time zone/],
    ['no FILE', [], 2, /expected exactly one FILE/],
  ])('exits with a reason for %s', async (_name, args, code, pattern) => {
    const dir = tempDir('mifit-decode-');
    writeFileSync(join(dir, 'notjson'), 'this is not json');
    // (`{"items": []}` is an events answer with no item: decoded to nothing, exit 0.)
    writeFileSync(join(dir, 'notresponse'), '{"records": []}');
    const real = args.map((a) => (a === 'NOTJSON' ? join(dir, 'notjson') : a === 'NOTRESPONSE' ? join(dir, 'notresponse') : a));
    const r = await decode(real);
    expect(r.code).toBe(code);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(pattern);
  });

  it('recognises a workout history page, a detail answer, an archived workout and weight records without being told', async () => {
    const fake = await startFakeServer({ quiet: true, timezone: 'Europe/Berlin' });
    try {
      const token = fake.accounts.issueAppToken(DEMO_USER_ID);
      const get = async (path: string): Promise<any> => (await fetch(`${fake.url}${path}`, { headers: { apptoken: token } })).json();
      const dir = await tempDir('decode-sport');
      const save = (name: string, body: unknown, zip = false): string => {
        const file = join(dir, name);
        writeFileSync(file, zip ? gzipSync(JSON.stringify(body)) : JSON.stringify(body));
        return file;
      };
      const args = ['--timezone', 'Europe/Berlin', '--user', 'alice'];
      const history = await get('/v1/sport/run/history.json');
      const items = history.data.summary as Record<string, unknown>[];
      expect(items.length).toBeGreaterThan(0);
      // History: one summary line per item, no samples.
      const h = await decode([save('history.json', history), ...args]);
      expect(h.code).toBe(0);
      const hl = h.stdout.trim().split('\n');
      expect(hl).toHaveLength(items.length);
      for (const [k, item] of items.entries()) {
        expect(hl[k]).toMatch(new RegExp(`^workout,sport=\\w+,track=${String(item.trackid)},user=alice .*duration_s=${Number(item.end_time) - Number(item.trackid)}i.* ${String(item.trackid)}$`));
      }
      expect(h.stderr).toContain('summaries only');
      // An outdoor workout's detail: samples only (no sport in a detail), from the start on.
      const w = fake.data.workouts(DEMO_USER_ID).find((x) => x.track.length > 0);
      if (!w) throw new Error('the fake has no outdoor workout');
      const detail = await get(`/v1/sport/run/detail.json?trackid=${w.trackid}&source=${w.source}`);
      const d = await decode([save('detail.json', detail), ...args]);
      expect(d.code).toBe(0);
      const dl = d.stdout.trim().split('\n');
      for (const l of dl) expect(l.startsWith(`workout_sample,sport=unknown,track=${w.trackid},user=alice `), l).toBe(true);
      const instants = new Set([...w.track.map((p) => p.t), ...w.hr.map((p) => p.t)]);
      expect(dl).toHaveLength(instants.size);
      expect(dl[0]).toMatch(new RegExp(` ${w.trackid}$`));
      expect(dl[0]).toContain(`lat=${(w.track[0]?.lat ?? NaN) / 1e8}`);
      // The raw archive's file of that workout: the summary (with its sport) and the same samples.
      const item = items.find((i) => Number(i.trackid) === w.trackid) ?? (await get(`/v1/sport/run/history.json?startTrackId=${w.trackid}`)).data.summary.at(-1);
      const a = await decode([save(`${w.trackid}.json.gz`, { history: item, detail: detail.data }, true), ...args]);
      expect(a.code).toBe(0);
      const al = a.stdout.trim().split('\n');
      expect(al[0]).toMatch(new RegExp(`^workout,sport=(outdoor_run|walking|outdoor_cycling),track=${w.trackid},`));
      expect(al.slice(1).map((l) => l.replace(/,sport=\w+,/, ',sport=unknown,'))).toEqual(dl);
      // Weight records: one weigh_in per valid record, the broken one (type 3) left out with a warning.
      const records = await get(`/users/${DEMO_USER_ID}/members/-1/weightRecords?limit=200`);
      const valid = (records.items as { weightType: number; summary: { weight: number } }[]).filter((r) => r.weightType !== 3);
      for (const file of [save('weight.json', records), save('-1.json.gz', records.items, true)]) {
        const r = await decode([file, ...args]);
        expect(r.code).toBe(0);
        const lines = r.stdout.trim().split('\n');
        expect(lines).toHaveLength(valid.length);
        // In the answer's order (newest first).
        lines.forEach((l, k) => {
          expect(l).toMatch(/^weigh_in,member=owner,user=alice /);
          expect(Number(/weight_kg=([\d.]+)/.exec(l)?.[1])).toBe(valid[k]?.summary.weight);
        });
        expect((records.items as { weightType: number }[]).some((x) => x.weightType === 3) ? r.stderr : '[WEIGHIN_BROKEN]').toContain('[WEIGHIN_BROKEN]');
      }
    } finally {
      await fake.close();
    }
  });
});
