import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RawArchive } from '../../src/store/raw-archive.js';
import { StateStore, unionSpans, type DayState } from '../../src/store/state.js';
import { tempDir } from '../support/tmp.js';

const tmp = (): string => tempDir('sync-state-');

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
  it('does not write an in-flight mark again when the file already says the same, and writes any other state', async () => {
    const store = new StateStore(tmp(), 'acc');
    const spans = [{ measurement: 'heart_rate' as const, start: 1000, end: 87400 }];
    const mark: DayState = { date: '2026-03-01', fetchedAt: 5, hash: null, writtenAt: null, spans, points: 0, user: 'anna' };
    const file = join(store.daysDir, '2026-03.json');
    await store.writeDay(mark);
    // A stand-in text on disk shows whether the next call wrote the file.
    writeFileSync(file, 'not written\n');
    await store.writeDay({ ...mark, spans: [...spans] });
    expect(readFileSync(file, 'utf8')).toBe('not written\n');
    // A mark with more spans (the new version reaches further) is written.
    const wider = { ...mark, spans: [...spans, { measurement: 'heart_rate' as const, start: 87400, end: 90000 }] };
    await store.writeDay(wider);
    expect(await store.readDay('2026-03-01')).toEqual(wider);
    // The day's final state, then the same mark again (a later rewrite): both written.
    await store.writeDay({ ...mark, writtenAt: 9, hash: 'h', points: 3 });
    expect((await store.readDay('2026-03-01'))?.writtenAt).toBe(9);
    await store.writeDay(mark);
    expect(await store.readDay('2026-03-01')).toEqual(mark);
  });

  it('round-trips day states and leaves no temp files behind', async () => {
    const dir = tmp();
    const store = new StateStore(dir, 'anna');
    await store.writeDay(day('2026-01-02'));
    await store.writeDay(day('2026-01-01', { writtenAt: null, hash: null }));
    const all = await store.loadAll();
    expect([...all.keys()]).toEqual(['2026-01-01', '2026-01-02']);
    expect(all.get('2026-01-02')).toEqual(day('2026-01-02'));
    expect(all.get('2026-01-01')?.writtenAt).toBeNull();
    expect(readdirSync(join(dir, 'anna', 'days')).sort()).toEqual(['2026-01.json']);
  });

  it('packs the days of a month in one file, written once for states set together, and keeps every day across later writes', async () => {
    const dir = tmp();
    const store = new StateStore(dir, 'anna');
    const january = Array.from({ length: 31 }, (_, i) => day(`2026-01-${String(i + 1).padStart(2, '0')}`, { points: i }));
    await Promise.all([...january, day('2026-02-01')].map((d) => store.writeDay(d)));
    expect(readdirSync(join(dir, 'anna', 'days')).sort()).toEqual(['2026-01.json', '2026-02.json']);
    // A later write of one day (the month no longer held) keeps the others; two writes of one day: the later wins.
    await Promise.all([store.writeDay(day('2026-01-05', { points: 100 })), store.writeDay(day('2026-01-05', { points: 101 }))]);
    const again = await new StateStore(dir, 'anna').loadAll();
    expect(again.size).toBe(32);
    expect(again.get('2026-01-05')?.points).toBe(101);
    expect(again.get('2026-01-31')).toEqual(january[30]);
    expect(JSON.parse(readFileSync(join(dir, 'anna', 'days', '2026-01.json'), 'utf8'))['2026-01-20'].points).toBe(19);
  });

  it('takes the day files of an older version into their month file on its first write, and reads them until then', async () => {
    const dir = tmp();
    const days = join(dir, 'anna', 'days');
    mkdirSync(days, { recursive: true });
    writeFileSync(join(days, '2026-01-01.json'), JSON.stringify(day('2026-01-01')));
    writeFileSync(join(days, '2026-01-02.json'), '{"fetchedAt":1,"hash":"h","writt'); // interrupted
    writeFileSync(join(days, '2026-02-01.json'), JSON.stringify(day('2026-02-01', { points: 7 })));
    const store = new StateStore(dir, 'anna');
    const before = await store.loadAll();
    expect(before.get('2026-01-01')).toEqual(day('2026-01-01'));
    expect(before.get('2026-01-02')?.writtenAt).toBeNull();
    await store.writeDay(day('2026-01-03'));
    expect(readdirSync(days).sort()).toEqual(['2026-01.json', '2026-02-01.json']);
    const after = await new StateStore(dir, 'anna').loadAll();
    expect(after).toEqual(new Map([...before, ['2026-01-03', day('2026-01-03')]]));
    expect(await store.readDay('2026-02-01')).toEqual(day('2026-02-01', { points: 7 }));
  });

  it('reads an entry of the wrong shape as an interrupted rewrite and a month file that is not JSON as days never fetched', async () => {
    const dir = tmp();
    const days = join(dir, 'anna', 'days');
    mkdirSync(days, { recursive: true });
    writeFileSync(join(days, '2026-01.json'), JSON.stringify({ '2026-01-01': day('2026-01-01'), '2026-01-02': { writtenAt: 'yesterday' }, '2026-02-03': day('2026-02-03'), notes: 1 }));
    writeFileSync(join(days, '2026-02.json'), '{"2026-02-01": {"fetchedAt"');
    const all = await new StateStore(dir, 'anna').loadAll();
    expect([...all.keys()]).toEqual(['2026-01-01', '2026-01-02']);
    expect(all.get('2026-01-02')).toEqual({ date: '2026-01-02', fetchedAt: null, hash: null, writtenAt: null, spans: [], points: 0, user: '' });
    expect(await new StateStore(dir, 'anna').readDay('2026-02-01')).toBeUndefined();
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

  it('treats a day file that is not JSON or not of the day shape as an interrupted rewrite with unknown spans', async () => {
    const dir = tmp();
    const store = new StateStore(dir, 'anna');
    await store.writeDay(day('2026-01-02'));
    const days = join(dir, 'anna', 'days');
    writeFileSync(join(days, '2026-01-03.json'), '{"fetchedAt":1,"hash":"h","writt');
    writeFileSync(join(days, '2026-01-04.json'), JSON.stringify({ ...day('2026-01-04'), writtenAt: 'yesterday' }));
    writeFileSync(join(days, '2026-01-05.json'), JSON.stringify({ ...day('2026-01-05'), spans: [{ measurement: 'heart_rate', start: '10' }] }));
    const dirty = (date: string): DayState => ({ date, fetchedAt: null, hash: null, writtenAt: null, spans: [], points: 0, user: '' });
    const all = await store.loadAll();
    expect([...all.values()]).toEqual([day('2026-01-02'), dirty('2026-01-03'), dirty('2026-01-04'), dirty('2026-01-05')]);
    expect(await store.readDay('2026-01-04')).toBeUndefined();
    expect(await store.readDay('2026-01-06')).toBeUndefined();
  });

  it('reads a day file with absent fields as written from unknown content', async () => {
    const dir = tmp();
    mkdirSync(join(dir, 'anna', 'days'), { recursive: true });
    writeFileSync(join(dir, 'anna', 'days', '2026-01-07.json'), JSON.stringify({ writtenAt: 3 }));
    expect(await new StateStore(dir, 'anna').readDay('2026-01-07')).toEqual({ date: '2026-01-07', fetchedAt: null, hash: '', writtenAt: 3, spans: [], points: 0, user: '' });
  });

  it('keeps the valid facts of an account file and drops a field of the wrong type', async () => {
    const dir = tmp();
    const store = new StateStore(dir, 'anna');
    mkdirSync(join(dir, 'anna'), { recursive: true });
    writeFileSync(join(dir, 'anna', 'account.json'), JSON.stringify({ user: 'anna', timezone: 'Europe/Berlin', syncStart: '2025-01-01', lastDataAt: 'soon' }));
    expect(await store.readAccount()).toEqual({ user: 'anna', timezone: 'Europe/Berlin', syncStart: '2025-01-01' });
    writeFileSync(join(dir, 'anna', 'account.json'), '[1, 2');
    expect(await store.readAccount()).toBeUndefined();
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
