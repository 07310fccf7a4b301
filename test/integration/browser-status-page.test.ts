// The status page in a real browser (Debian chromium through playwright-core): what it
// shows matches the daemon's own state and /metrics, "Sync now" (the browser logged in with
// basic auth, HTTP_AUTH_TOKEN as the password) starts a run that the page then counts, no
// secret is on the page, and a page of another site cannot press "Sync now".
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { chromium, type Browser } from 'playwright-core';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/fake/index.js';
import { createTestDatabase, freePort } from '../support/influxd.js';
import { ROOT, ensureBuilt, metricValue, spawnDaemon, type DaemonProcess } from '../support/daemon-cli.js';

const AUTH = 'browser-test-token-4711';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
let daemon: DaemonProcess;
let browser: Browser;
let stateDir: string;

beforeAll(async () => {
  ensureBuilt();
  stateDir = mkdtempSync(join(tmpdir(), 'mifit-browser-'));
  const db = await createTestDatabase(inject('influxUrl'), 'browser');
  daemon = await spawnDaemon({
    DEMO_MODE: 'auto', // no account configured: the demo account
    INFLUX_URL: inject('influxUrl'), INFLUX_API_VERSION: '1', INFLUX_DATABASE: db,
    SYNC_START_DATE: DateTime.utc().minus({ days: 3 }).toISODate()!, TIMEZONE: 'Europe/Berlin',
    STATE_DIR: stateDir, HTTP_PORT: String(await freePort()), HTTP_AUTH_TOKEN: AUTH,
  });
  await daemon.waitForHealth(200, 60_000);
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await daemon?.stop();
  rmSync(stateDir, { recursive: true, force: true });
});

describe('status page in a browser', () => {
  it('shows the daemon state, runs a sync on "Sync now" and counts it', async () => {
    const page = await browser.newPage({ httpCredentials: { username: 'owner', password: AUTH } });
    await page.goto(daemon.url);
    const field = (name: string) => page.locator(`[data-field="${name}"]`).first().innerText();
    const state = await daemon.state();
    const demo = state.accounts.find((a) => a.account === 'demo') as { daysBehind: number; lastWrittenDay: string } | undefined;
    expect(demo).toBeDefined();

    // What the page shows = the daemon's JSON state = /metrics.
    expect(await field('demo')).toMatch(/Demo mode/);
    const runsShown = Number(await field('runs'));
    expect(runsShown).toBe(state.runCount);
    expect(metricValue(await daemon.metrics(), 'mifit_sync_runs_total', 'account="demo"')).toBe(runsShown);
    const row = page.locator('tr[data-account="demo"]');
    expect(await row.locator('[data-field="days-behind"]').innerText()).toBe(String(demo!.daysBehind));
    expect(await row.locator('[data-field="last-day"]').innerText()).toBe(demo!.lastWrittenDay);
    expect(await row.locator('[data-field="last-error"]').innerText()).toBe('none');
    expect(await row.locator('[data-field="token-age"]').innerText()).toMatch(/min|h|d/);
    expect(await row.locator('[data-field="token-expires"]').innerText()).toMatch(/\(in \d+ d\)$/);
    expect(await row.locator('[data-field="last-sync"]').innerText()).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2} \+0[12]:00 \(/);
    const html = await page.content();
    for (const secret of [AUTH, DEMO_PASSWORD]) expect(html).not.toContain(secret);

    // "Sync now": the browser sends its basic-auth login along, and the post is same-origin.
    await page.click('button:has-text("Sync now")');
    expect(await page.locator('[data-field="sync-answer"]').getAttribute('data-status')).toBe('202');
    await expect.poll(async () => (await daemon.state()).runCount, { timeout: 30_000 }).toBe(runsShown + 1);
    await page.goto(daemon.url);
    expect(Number(await field('runs'))).toBe(runsShown + 1);
    expect(metricValue(await daemon.metrics(), 'mifit_sync_runs_total', 'account="demo",result="success"')).toBe(runsShown + 1);
    mkdirSync(join(ROOT, 'test-output'), { recursive: true });
    await page.screenshot({ path: join(ROOT, 'test-output/status-page.png'), fullPage: true });
    await page.close();
  }, 90_000);

  it('asks a browser without the token to log in and shows nothing else', async () => {
    const page = await browser.newPage();
    // (A headless browser cannot show the login dialog; its request API sees the answer.)
    const res = await page.request.get(daemon.url);
    expect(res.status()).toBe(401);
    expect(res.headers()['www-authenticate']).toMatch(/^Basic realm="mifit-sync"/);
    const text = await res.text();
    expect(text).toMatch(/valid token/);
    expect(text).not.toContain('data-field');
    await page.close();
  }, 30_000);

  it('refuses "Sync now" posted by a page of another site, although the browser is logged in', async () => {
    // An "evil" page on another origin that auto-submits a form to /sync.
    const evil: Server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(`<form method="post" action="${daemon.url}/sync"><button>go</button></form><script>document.forms[0].submit()</script>`);
    });
    await new Promise<void>((resolve) => evil.listen(0, '127.0.0.1', resolve));
    const page = await browser.newPage({ httpCredentials: { username: 'owner', password: AUTH } });
    try {
      await page.goto(daemon.url); // logged in: the browser now sends the credentials to the daemon
      const runs = (await daemon.state()).runCount;
      const answer = page.waitForResponse((r) => r.url() === `${daemon.url}/sync`);
      await page.goto(`http://localhost:${(evil.address() as AddressInfo).port}/`);
      expect((await answer).status()).toBe(403);
      expect((await daemon.state()).running).toBe(false);
      expect((await daemon.state()).runCount).toBe(runs);
    } finally {
      await page.close();
      await new Promise((resolve) => evil.close(resolve));
    }
  }, 30_000);
});
