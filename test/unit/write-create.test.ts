import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { createLogger } from '../../src/log.js';
import { createWriter, writerOptions } from '../../src/write/index.js';
import { V1Writer } from '../../src/write/v1.js';
import { V2Writer } from '../../src/write/v2.js';

const logger = createLogger('silent');

describe('createWriter', () => {
  it.each([
    ['nothing v2-specific → 1.x', {}, V1Writer],
    ['a bucket → 2.x', { INFLUX_BUCKET: 'b', INFLUX_ORG: 'o' }, V2Writer],
    ['a token → 2.x', { INFLUX_TOKEN: 't', INFLUX_BUCKET: 'b' }, V2Writer],
    ['INFLUX_API_VERSION=1 wins over a token', { INFLUX_API_VERSION: '1', INFLUX_TOKEN: 't' }, V1Writer],
  ] as const)('%s', async (_n, env, cls) => {
    const w = createWriter(writerOptions(loadConfig({ DEMO_MODE: 'off', ...env }).raw), logger);
    expect(w).toBeInstanceOf(cls);
    await w.close();
  });
});
