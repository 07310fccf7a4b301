// deliverBatch/writeInBatches with an in-process `send` standing in for the HTTP request:
// the order of batches, the 413 split and the retry loop are logic, not I/O.
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import type { Point } from '../../src/schema/point.js';
import { deliverBatch, serialise, writeInBatches } from '../../src/write/batches.js';
import type { Exchange } from '../../src/write/classify.js';
import type { Target } from '../../src/write/describe.js';
import { WriteError } from '../../src/write/errors.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../../src/write/retry.js';

const logger = createLogger('silent');
const target: Target = { api: 1, url: 'http://influx:8086', name: 'mifit' };
const sleeps: number[] = [];
const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, maxRetries: 2, random: () => 0, sleep: async (ms) => void sleeps.push(ms) };
const hr = (i: number): Point => ({ measurement: 'heart_rate', tags: { user: 'u' }, fields: { bpm: 60 + (i % 40) }, time: 1700000000 + i * 60 });

describe('deliverBatch', () => {
  it('halves a batch the server finds too large until every half fits, keeping the order', async () => {
    const sent: string[][] = [];
    const send = async (body: string): Promise<Exchange> => {
      const lines = body.split('\n');
      if (lines.length > 3) return { status: 413, body: '{"error":"Request Entity Too Large"}' };
      sent.push(lines);
      return { status: 204 };
    };
    const lines = serialise(Array.from({ length: 10 }, (_, i) => hr(i)), 0, 10);
    await deliverBatch(lines, send, policy, target, logger);
    expect(sent.flat()).toEqual(lines);
    expect(sent.every((b) => b.length <= 3)).toBe(true);
  });

  it('gives up with INFLUX_TOO_LARGE when even one point is too large', async () => {
    const send = async (): Promise<Exchange> => ({ status: 413, body: 'too large' });
    const err = await deliverBatch(['m v=1i 1'], send, policy, target, logger).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WriteError);
    expect((err as WriteError).code).toBe('INFLUX_TOO_LARGE');
  });

  it('retries a 503 with backoff and succeeds when the server recovers', async () => {
    sleeps.length = 0;
    const answers: Exchange[] = [{ status: 503, body: '' }, { status: 503, body: '' }, { status: 204 }];
    await deliverBatch(['m v=1i 1'], async () => answers.shift()!, policy, target, logger);
    expect(answers).toHaveLength(0);
    expect(sleeps).toEqual([1000, 2000]);
  });

  it('after the retries are used up rejects with a retryable WriteError', async () => {
    const err = (await deliverBatch(['m v=1i 1'], async () => ({ errorCode: 'ECONNREFUSED' }), policy, target, logger).catch(
      (e: unknown) => e,
    )) as WriteError;
    expect(err.code).toBe('INFLUX_UNREACHABLE');
    expect(err.retryable).toBe(true);
    expect(err.message).toContain('after 3 attempts');
  });
});

describe('writeInBatches', () => {
  it('sends batches of the configured size in order and never more than one at a time', async () => {
    const points = Array.from({ length: 12 }, (_, i) => hr(i));
    const batches: number[] = [];
    let inFlight = 0;
    await writeInBatches(points, 5, async (lines) => {
      inFlight++;
      expect(inFlight).toBe(1);
      await new Promise((r) => setTimeout(r, 1));
      batches.push(lines.length);
      inFlight--;
    });
    expect(batches).toEqual([5, 5, 2]);
  });

  it('stops at the first failing batch and rejects with its error', async () => {
    const points = Array.from({ length: 10 }, (_, i) => hr(i));
    let calls = 0;
    const err = await writeInBatches(points, 3, async () => {
      calls++;
      if (calls === 2) throw new WriteError('INFLUX_REJECTED', 'no', { retryable: false });
    }).catch((e: unknown) => e);
    expect((err as WriteError).code).toBe('INFLUX_REJECTED');
    expect(calls).toBe(2);
  });
});
