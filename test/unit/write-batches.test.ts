// deliverBatch/writeInBatches with an in-process `send` standing in for the HTTP request:
// the order of batches, the 413 split and the retry loop are logic, not I/O.
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import type { Point } from '../../src/schema/point.js';
import { encodeLines } from '../../src/schema/line-protocol.js';
import { batchesOf, deliverBatch, writeInBatches } from '../../src/write/batches.js';
import type { LineChunk } from '../../src/write/types.js';
import type { Exchange } from '../../src/write/classify.js';
import type { Target } from '../../src/write/describe.js';
import { WriteError } from '../../src/write/errors.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../../src/write/retry.js';

const logger = createLogger('silent');
const target: Target = { api: 1, url: 'http://influx:8086', name: 'mifit' };
const sleeps: number[] = [];
const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, maxRetries: 2, random: () => 0, sleep: async (ms) => void sleeps.push(ms) };
const chunk = (text: string): LineChunk => ({ bytes: Buffer.from(text), lines: text.split('\n').length - 1 });
const hr = (i: number): Point => ({ measurement: 'heart_rate', tags: { user: 'u' }, fields: { bpm: 60 + (i % 40) }, time: 1700000000 + i * 60 });

describe('deliverBatch', () => {
  it('halves a batch the server finds too large until every half fits, keeping the order', async () => {
    const sent: string[][] = [];
    const send = async (body: Buffer): Promise<Exchange> => {
      const lines = body.toString().split('\n');
      if (lines.length > 3) return { status: 413, body: '{"error":"Request Entity Too Large"}' };
      sent.push(lines);
      return { status: 204 };
    };
    const lines = Array.from({ length: 10 }, (_, i) => `heart_rate,user=u bpm=${60 + i}i ${1700000000 + i * 60}`);
    await deliverBatch(chunk(`${lines.join('\n')}\n`), send, policy, target, logger);
    expect(sent.flat()).toEqual(lines);
    expect(sent.every((b) => b.length <= 3)).toBe(true);
  });

  it('gives up with INFLUX_TOO_LARGE when even one point is too large', async () => {
    const send = async (): Promise<Exchange> => ({ status: 413, body: 'too large' });
    const err = await deliverBatch(chunk('m v=1i 1\n'), send, policy, target, logger).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WriteError);
    expect((err as WriteError).code).toBe('INFLUX_TOO_LARGE');
  });

  it('retries a 503 with backoff and succeeds when the server recovers', async () => {
    sleeps.length = 0;
    const answers: Exchange[] = [{ status: 503, body: '' }, { status: 503, body: '' }, { status: 204 }];
    await deliverBatch(chunk('m v=1i 1\n'), async () => answers.shift()!, policy, target, logger);
    expect(answers).toHaveLength(0);
    expect(sleeps).toEqual([1000, 2000]);
  });

  it('after the retries are used up rejects with a retryable WriteError', async () => {
    const err = (await deliverBatch(chunk('m v=1i 1\n'), async () => ({ errorCode: 'ECONNREFUSED' }), policy, target, logger).catch(
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
    await writeInBatches(points, 5, async (batch) => {
      inFlight++;
      expect(inFlight).toBe(1);
      await new Promise((r) => setTimeout(r, 1));
      batches.push(batch.lines);
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

describe('batches of encoded lines', () => {
  const text = (from: number, n: number): string => Array.from({ length: n }, (_, i) => `m v=${from + i}i ${from + i}\n`).join('');

  it('cuts chunks into batches of the batch size, a chunk spanning two batches, in order', () => {
    // Chunks of 3, 0, 4 and 2 lines (lines 0–8) in batches of 4: 0–3, 4–7, 8.
    const chunks = [chunk(text(0, 3)), chunk(''), chunk(text(3, 4)), chunk(text(7, 2))];
    const out = [...batchesOf(chunks, 4)].map((b) => ({ lines: b.lines, text: b.bytes.toString() }));
    expect(out).toEqual([
      { lines: 4, text: 'm v=0i 0\nm v=1i 1\nm v=2i 2\nm v=3i 3\n' },
      { lines: 4, text: 'm v=4i 4\nm v=5i 5\nm v=6i 6\nm v=7i 7\n' },
      { lines: 1, text: 'm v=8i 8\n' },
    ]);
  });

  it('writes encoded lines as bodies of the batch size without a trailing newline', async () => {
    const bodies: string[] = [];
    const send = async (body: Buffer): Promise<Exchange> => {
      bodies.push(body.toString());
      return { status: 204 };
    };
    await writeInBatches({ chunks: [chunk(text(0, 2)), chunk(text(2, 3))], count: 5 }, 2, (b) => deliverBatch(b, send, policy, target, logger));
    expect(bodies).toEqual(['m v=0i 0\nm v=1i 1', 'm v=2i 2\nm v=3i 3', 'm v=4i 4']);
  });

  it('writes points as the same bodies as their encoded lines', async () => {
    const points = Array.from({ length: 7 }, (_, i) => hr(i));
    const viaPoints: string[] = [];
    const viaLines: string[] = [];
    const collect = (into: string[]) => async (b: LineChunk) => void into.push(b.bytes.toString());
    await writeInBatches(points, 3, collect(viaPoints));
    await writeInBatches({ chunks: [{ bytes: encodeLines(points, 0, 4), lines: 4 }, { bytes: encodeLines(points, 4), lines: 3 }], count: 7 }, 3, collect(viaLines));
    expect(viaPoints).toHaveLength(3);
    expect(viaLines).toEqual(viaPoints);
    expect(viaPoints[2]).toBe('heart_rate,user=u bpm=66i 1700000360\n');
  });
});
