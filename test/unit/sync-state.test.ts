import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RawArchive } from '../../src/store/raw-archive.js';
import { StateStore, unionSpans, type DayState } from '../../src/store/state.js';

const dirs: string[] = [];
const tmp = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'sync-state-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const day = (date: string, over: Partial<DayState> = {}): DayState => ({
  date,
  fetchedAt: 1,
  hash: 'h',
  writtenAt: 2,
  spans: [{ measurement: 'heart_rate', start: 10, end: 20 }],
  points: 5,
  user: 'anna',
  ...over,
});

describe('sync state store', () => {
  it('round-trips day states and leaves no temp files behind', async () => {
    const dir = tmp();
    const store = new StateStore(dir, 'anna');
    await store.writeDay(day('2026-01-02'));
    await store.writeDay(day('2026-01-01', { writtenAt: null, hash: null }));
    const all = await store.loadAll();
    expect([...all.keys()]).toEqual(['2026-01-01', '2026-01-02']);
    expect(all.get('2026-01-02')).toEqual(day('2026-01-02'));
    expect(all.get('2026-01-01')?.writtenAt).toBeNull();
    expect(readdirSync(join(dir, 'anna', 'days')).sort()).toEqual(['2026-01-01.json', '2026-01-02.json']);
  });

  it('returns an empty map for an account that never ran', async () => {
    expect((await new StateStore(tmp(), 'nobody').loadAll()).size).toBe(0);
  });

  it('keeps account facts between runs', async () => {
    const store = new StateStore(tmp(), 'anna');
    expect(await store.readAccount()).toBeUndefined();
    await store.writeAccount({ user: 'anna', timezone: 'Europe/Berlin', lastSuccessAt: 5 });
    expect(await store.readAccount()).toEqual({ user: 'anna', timezone: 'Europe/Berlin', lastSuccessAt: 5 });
  });

  it('unions spans without duplicates, telling tag predicates apart', () => {
    const a = [{ measurement: 'sleep_stage' as const, start: 1, end: 2, tags: { sleep: 'main' } }];
    const b = [
      { measurement: 'sleep_stage' as const, start: 1, end: 2, tags: { sleep: 'main' } },
      { measurement: 'sleep_stage' as const, start: 1, end: 2, tags: { sleep: 'nap' } },
    ];
    expect(unionSpans(a, b)).toEqual([a[0], b[1]]);
  });
});

describe('sync raw archive', () => {
  it('keeps a day gzip-compressed and gives back the same items', async () => {
    const dir = tmp();
    const archive = new RawArchive(dir, 'anna');
    const items = [{ date_time: '2026-01-01', summary: 'eyJ2Ijo2fQ==', data_hr: '/'.repeat(1920) }];
    await archive.save('2026-01-01', items);
    expect(await archive.load('2026-01-01')).toEqual(items);
    expect(await archive.load('2026-01-02')).toBeUndefined();
    expect(await archive.dates()).toEqual(['2026-01-01']);
    expect(readdirSync(join(dir, 'anna', 'raw'))).toEqual(['2026-01-01.json.gz']);
  });
});
