// The 2.x writer against VictoriaMetrics: an independent implementation of /api/v2/write.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { V2Writer } from '../../src/write/v2.js';
import { startVictoria, type VictoriaProcess } from '../support/victoria.js';
import { fastRetry, heartRate, mixedPoints, quietLogger, T0 } from '../support/write-fixtures.js';

let vm: VictoriaProcess;
beforeAll(async () => {
  vm = await startVictoria();
});
afterAll(async () => {
  await vm.destroy();
});

describe('V2Writer against VictoriaMetrics', () => {
  it('passes check() and writes values that /api/v1/export returns exactly', async () => {
    const w = new V2Writer({ url: vm.url, token: 'ignored', org: 'home', bucket: 'mifit', batchSize: 4, timeoutMs: 10_000, logger: quietLogger, retry: fastRetry });
    await w.check();
    await w.write([...mixedPoints('alice'), ...heartRate('alice', 10)]);
    await w.close();
    await vm.flush();
    const hr = await vm.exportSeries('{__name__="heart_rate_bpm"}');
    expect(hr).toHaveLength(1);
    expect(hr[0]?.metric.user).toBe('alice');
    expect(hr[0]?.values).toEqual(heartRate('alice', 10).map((p) => p.fields.bpm));
    expect(hr[0]?.timestamps).toEqual(heartRate('alice', 10).map((p) => p.time * 1000));
    const dur = await vm.exportSeries('{__name__="sync_run_duration_s"}');
    expect(dur[0]?.values).toEqual([2, 1.25]);
    const stage = await vm.exportSeries('{__name__="sleep_stage_duration_min"}');
    expect(stage[0]?.metric).toMatchObject({ user: 'alice', phase: 'rem', sleep: 'main' });
    expect(stage[0]?.timestamps).toEqual([(T0 + 60) * 1000]);
  });
});
