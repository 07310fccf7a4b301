// The status page in a real browser (Debian chromium through playwright-core), against the
// built daemon syncing an account of the fake Huami cloud: what it shows matches the daemon's
// own state and /metrics; "Sync now" (the browser logged in with basic auth, HTTP_AUTH_TOKEN as
// the password) stays on the page, shows the run's progress while it goes and the new state
// when it ends, all without reloading; no secret is on the page; a page of another site cannot
// press "Sync now".
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEMO_EMAIL, DEMO_PASSWORD, startFakeServer, type FakeServer } from '../../src/fake/index.js';
import { addDays, todayIn } from '../../src/sync/dates.js';
import { createTestDatabase, freePort } from '../support/influxd.js';
import { ROOT, ensureBuilt, metricValue, spawnDaemon, type DaemonProcess } from '../support/daemon-cli.js';
import { tempDir } from '../support/tmp.js';

const AUTH = 'browser-test-token-4711';
const ZONE = 'Europe/Berlin';
const TODAY = todayIn(ZONE, new Date());
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
let fake: FakeServer;
let daemon: DaemonProcess;
let browser: Browser;
let stateDir: string;

interface AccountJson { account: string; daysBehind: number; lastWrittenDay: string; lastDataAt?: number; failedDays: { date: string; code: string }[] }

beforeAll(async () => {
  ensureBuilt();
  fake = await startFakeServer({ from: addDays(TODAY, -30), timezone: ZONE, quiet: true });
  // A day Huami answers with a broken summary: a failed day for the page to list.
  fake.faults.malformedDay(addDays(TODAY, -2), 'bad-json');
  stateDir = tempDir('mifit-browser-');
  const db = await createTestDatabase(inject('influxUrl'), 'browser');
  daemon = await spawnDaemon({
    DEMO_MODE: 'off', HUAMI_BASE_URL: fake.url, HUAMI_EMAIL: DEMO_EMAIL, HUAMI_PASSWORD: DEMO_PASSWORD, ACCOUNT_NAME: 'anna',
    INFLUX_URL: inject('influxUrl'), INFLUX_API_VERSION: '1', INFLUX_DATABASE: db,
    SYNC_START_DATE: addDays(TODAY, -5), SYNC_LOOKBACK_DAYS: '4', HUAMI_CHUNK_DAYS: '1', TIMEZONE: ZONE,
    STATE_DIR: stateDir, HTTP_PORT: String(await freePort()), HTTP_AUTH_TOKEN: AUTH,
  });
  await daemon.waitForHealth(200, 60_000);
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await daemon?.stop();
  await fake?.close();
});

describe('status page in a browser', () => {
  it('shows the daemon state; "Sync now" stays on the page, shows progress and the finished run without a reload', async () => {
    const page = await browser.newPage({ httpCredentials: { username: 'owner', password: AUTH } });
    await page.goto(daemon.url);
    const field = (name: string) => page.locator(`[data-field="${name}"]`).first().innerText();
    const state = await daemon.state();
    const anna = state.accounts.find((a) => a.account === 'anna') as AccountJson | undefined;
    expect(anna).toBeDefined();

    // What the page shows = the daemon's JSON state = /metrics.
    const runsShown = Number(await field('runs'));
    expect(runsShown).toBe(state.runCount);
    expect(metricValue(await daemon.metrics(), 'mifit_sync_runs_total', 'account="anna"')).toBe(runsShown);
    const row = page.locator('tr[data-account="anna"]');
    expect(await row.locator('[data-field="days-behind"]').innerText()).toBe(String(anna!.daysBehind));
    expect(await row.locator('[data-field="last-day"]').innerText()).toBe(anna!.lastWrittenDay);
    expect(await row.locator('[data-field="last-error"]').innerText()).toBe('none');
    expect(await row.locator('[data-field="token-age"]').innerText()).toMatch(/min|h|d/);
    expect(await row.locator('[data-field="token-expires"]').innerText()).toMatch(/\(in \d+ d\)$/);
    expect(await row.locator('[data-field="last-sync"]').innerText()).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2} \+0[12]:00 \(/);
    // The newest band upload and the failed days, as the daemon holds them.
    const upload = await row.locator('[data-field="newest-upload"]').innerText();
    if (anna!.lastDataAt === undefined) expect(upload).toBe('—');
    else expect(upload).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2} \+0[12]:00 \(.* ago\)$/);
    const failedShown = await row.locator('[data-field="failed-days"] [data-date]').allInnerTexts();
    expect(failedShown).toEqual(anna!.failedDays.map((f) => f.date));
    expect(metricValue(await daemon.metrics(), 'mifit_sync_days_failed', 'account="anna"')).toBe(anna!.failedDays.length);
    const html = await page.content();
    for (const secret of [AUTH, DEMO_PASSWORD]) expect(html).not.toContain(secret);

    // "Sync now": the browser sends its basic-auth login along, and the post is same-origin;
    // Huami slowed so the run lasts a few seconds.
    await page.evaluate(() => ((globalThis as unknown as { stillTheSamePage: boolean }).stillTheSamePage = true));
    fake.faults.slow({ ms: 600, paths: [/band_data/] });
    try {
      await page.click('button:has-text("Sync now")');
      await expect.poll(() => page.locator('[data-field="sync-answer"]').getAttribute('data-status'), { timeout: 10_000 }).toBe('202');
      expect(await field('sync-answer')).toBe('Sync started.');
      // While it runs: the account, the day it is at and days done of planned.
      await expect.poll(() => field('progress'), { timeout: 20_000 }).toMatch(/^anna: \d{4}-\d{2}-\d{2}, \d+ of \d+ days \(\d+ %\)$/);
      expect(await field('state')).toBe('a sync is running');
      // When it ends: the new run count and idle, still on the same page.
      await expect.poll(async () => Number(await field('runs')), { timeout: 30_000 }).toBe(runsShown + 1);
      expect(await field('state')).toBe('idle');
      expect(await page.locator('[data-field="progress-box"]').isHidden()).toBe(true);
    } finally {
      fake.faults.clear();
      fake.faults.malformedDay(addDays(TODAY, -2), 'bad-json');
    }
    expect(await page.evaluate(() => (globalThis as unknown as { stillTheSamePage?: boolean }).stillTheSamePage)).toBe(true);
    expect(page.url()).toBe(`${daemon.url}/`);
    expect(metricValue(await daemon.metrics(), 'mifit_sync_runs_total', 'account="anna",result="success"')).toBe(runsShown + 1);
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
