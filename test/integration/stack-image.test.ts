// The image's runtime stage, rebuilt natively: only what the Dockerfile copies (package
// files, `npm ci --omit=dev`, dist/) must be enough to run the daemon — a runtime import
// of a devDependency would fail here, as it would in the container.
import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestDatabase, freePort } from '../support/influxd.js';
import { ROOT, ensureBuilt, spawnDaemon, type DaemonProcess } from '../support/daemon-cli.js';
import { tempDir } from '../support/tmp.js';

let app: string;
let daemon: DaemonProcess | undefined;
const runtimeStage = readFileSync(join(ROOT, 'Dockerfile'), 'utf8').split(/^FROM /m).find((s) => s.includes('AS runtime')) ?? '';

beforeAll(() => {
  ensureBuilt();
  app = tempDir('mifit-image-');
});
afterAll(async () => {
  await daemon?.stop();
});

describe('the runtime stage of the image', () => {
  it('copies only the package files and dist/ and installs production dependencies', () => {
    const copies = [...runtimeStage.matchAll(/^COPY (.*)$/gm)].map((m) => m[1]);
    expect(copies).toEqual(['package.json package-lock.json ./', '--from=build /app/dist ./dist']);
    expect(runtimeStage).toMatch(/RUN npm ci --omit=dev --ignore-scripts/);
  });

  it('runs the daemon in demo mode from those files alone', async () => {
    for (const f of ['package.json', 'package-lock.json']) cpSync(join(ROOT, f), join(app, f));
    const npm = spawnSync('npm', ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline'], { cwd: app, encoding: 'utf8' });
    expect(npm.status, npm.stderr).toBe(0);
    cpSync(join(ROOT, 'dist'), join(app, 'dist'), { recursive: true });
    const db = await createTestDatabase(inject('influxUrl'), 'image');
    daemon = await spawnDaemon(
      {
        INFLUX_URL: inject('influxUrl'), INFLUX_API_VERSION: '1', INFLUX_DATABASE: db, STATE_DIR: join(app, 'data'),
        HTTP_PORT: String(await freePort()), SYNC_START_DATE: new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10), NODE_ENV: 'production',
      },
      20_000,
      app,
    );
    await daemon.waitForHealth(200, 60_000);
    expect((await daemon.state()).demo).toBe(true);
    const { code } = await daemon.stop();
    expect(code).toBe(0);
  }, 120_000);
});
