// The messages between the daemon and its sync worker (src/daemon/worker-protocol.ts): how a
// worker's end is put in words, errors crossing the process boundary, and which messages count.
import { describe, expect, it } from 'vitest';
import { describeExit, fromWire, isFromWorker, toWire, workerExitedError, WORKER_EXITED } from '../../src/daemon/worker-protocol.js';

describe('describeExit', () => {
  it('names SIGKILL with its likely cause and says that nothing is lost', () => {
    const m = describeExit(null, 'SIGKILL');
    expect(m).toMatch(/^the sync worker exited with signal SIGKILL \(out of memory/);
    expect(m).toMatch(/fetched on the next run/);
  });
  it('names any other signal', () => {
    expect(describeExit(null, 'SIGSEGV')).toMatch(/^the sync worker exited with signal SIGSEGV;/);
  });
  it('names the exit code when there is no signal', () => {
    expect(describeExit(1, null)).toMatch(/^the sync worker exited with code 1 before the run ended/);
    expect(describeExit(null, null)).toMatch(/with code unknown/);
  });
  it('gives the error the stable code the status page and /metrics show', () => {
    const e = workerExitedError(null, 'SIGKILL');
    expect(e.code).toBe('SYNC_WORKER_EXITED');
    expect(WORKER_EXITED).toBe('SYNC_WORKER_EXITED');
    expect(e.message).toBe(describeExit(null, 'SIGKILL'));
  });
});

describe('errors across the process boundary', () => {
  it('keep name, code and message (what the runner reads to tell an abort from a failure)', () => {
    const abort = Object.assign(new Error('stopped'), { name: 'AbortError', code: 'ABORT_ERR' });
    const back = fromWire(toWire(abort));
    expect(back).toBeInstanceOf(Error);
    expect({ name: back.name, code: back.code, message: back.message }).toEqual({ name: 'AbortError', code: 'ABORT_ERR', message: 'stopped' });
  });
  it('survive a structured-clone trip (what the IPC channel does) and thrown non-errors', () => {
    const w = structuredClone(toWire(Object.assign(new Error('InfluxDB refused'), { code: 'INFLUX_UNREACHABLE' })));
    expect(fromWire(w)).toMatchObject({ name: 'Error', code: 'INFLUX_UNREACHABLE', message: 'InfluxDB refused' });
    expect(toWire('plain text')).toEqual({ name: 'Error', code: undefined, message: 'plain text' });
    expect(toWire({ code: 42, message: 7 })).toEqual({ name: 'Error', code: undefined, message: '[object Object]' });
    expect(fromWire({ name: 'Error', code: undefined, message: 'x' }).code).toBeUndefined();
  });
});

describe('isFromWorker', () => {
  it('accepts the worker messages, with an id where the work is named', () => {
    expect(isFromWorker({ type: 'huami', status: 200 })).toBe(true);
    expect(isFromWorker({ type: 'progress', id: 1, progress: { account: 'a', day: '2026-01-01', done: 1, total: 2 } })).toBe(true);
    expect(isFromWorker({ type: 'synced', id: 3, outcome: { results: [], tokens: [] } })).toBe(true);
    expect(isFromWorker({ type: 'checked', id: 3, checks: [] })).toBe(true);
    expect(isFromWorker({ type: 'failed', id: 3, error: { name: 'Error', code: undefined, message: 'x' } })).toBe(true);
  });
  it('ignores anything else', () => {
    for (const m of [null, undefined, 'synced', 3, {}, { type: 'synced' }, { type: 'synced', id: '3' }, { type: 'init', id: 1 }, { type: 'NODE_HANDLE', id: 1 }]) expect(isFromWorker(m), JSON.stringify(m)).toBe(false);
  });
});
