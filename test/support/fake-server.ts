// The fake Huami cloud over real HTTP for a test file, without each file repeating its
// start/stop hooks: `useFakeServer('file', opts)` starts one in beforeAll and closes it in
// afterAll, `useFakeServer('test', opts)` gives every test a fresh one (beforeEach/afterEach).
// The returned object stands for the server of the moment (fake.url, fake.faults, ...).
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { startFakeServer, type FakeServer, type FakeServerOptions } from '../../src/fake/index.js';

export function useFakeServer(scope: 'file' | 'test', opts: FakeServerOptions = {}): FakeServer {
  let current: FakeServer | undefined;
  (scope === 'file' ? beforeAll : beforeEach)(async () => {
    current = await startFakeServer(opts);
  });
  (scope === 'file' ? afterAll : afterEach)(async () => {
    const s = current;
    current = undefined;
    await s?.close();
  });
  return new Proxy({} as FakeServer, {
    get(_target, prop) {
      if (!current) throw new Error(`the fake server is not running (use it inside a test or a hook, scope '${scope}')`);
      const v: unknown = Reflect.get(current, prop);
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(current) : v;
    },
  });
}
