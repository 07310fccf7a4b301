// The fake login endpoints against docs/huami-api.md "Login flows", spoken to with plain fetch
// so the client's own assumptions cannot hide a deviation.
import { createCipheriv } from 'node:crypto';
import { startFakeServer, type FakeServer } from '../../src/fake/index.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_EMAIL, DEMO_PASSWORD, DEMO_USER_ID } from '../../src/fake/accounts.js';

const S3 = 'https://s3-us-west-2.amazonaws.com/hm-registration/successsignin.html';
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

function encrypt(plain: string): Buffer {
  const c = createCipheriv('aes-128-cbc', Buffer.from('xeNtBVqzDc6tuNTh'), Buffer.from('MAAAYAAAAAAAAABg'));
  return Buffer.concat([c.update(plain, 'utf8'), c.final()]);
}

let srv: FakeServer;
beforeEach(async () => {
  srv = await startFakeServer({ quiet: true });
});
afterEach(async () => {
  await srv.close();
});

async function legacy(password: string, extra: Record<string, string> = {}): Promise<Response> {
  const body = new URLSearchParams({ state: 'REDIRECTION', client_id: 'HuaMi', redirect_uri: S3, token: 'access', password, ...extra });
  return fetch(`${srv.url}/registrations/${encodeURIComponent(DEMO_EMAIL)}/tokens`, { method: 'POST', headers: FORM, body, redirect: 'manual' });
}

async function accessCode(): Promise<string> {
  const loc = new URL((await legacy(DEMO_PASSWORD)).headers.get('location') ?? '');
  return loc.searchParams.get('access') ?? '';
}

async function clientLogin(fields: Record<string, string>): Promise<Response> {
  const body = new URLSearchParams({ grant_type: 'access_token', third_name: 'huami', app_name: 'com.xiaomi.hm.health', country_code: 'DE', ...fields });
  return fetch(`${srv.url}/v2/client/login`, { method: 'POST', headers: FORM, body });
}

describe('registration (step 1)', () => {
  it('legacy login answers 303 to the S3 URL with access, refresh, region, country_code, state, expiration, appname', async () => {
    const res = await legacy(DEMO_PASSWORD);
    expect(res.status).toBe(303);
    const loc = new URL(res.headers.get('location') ?? '');
    expect(`${loc.origin}${loc.pathname}`).toBe(S3);
    const q = Object.fromEntries(loc.searchParams);
    expect(q).toMatchObject({ state: 'REDIRECTION', region: 'eu-central-1', country_code: 'DE', appname: 'com.xiaomi.hm.health' });
    expect(q.access).toMatch(/^AC_/);
    expect(q.refresh).toMatch(/^RF_/);
    // 10 days ahead, in epoch seconds (the one published redirect)
    expect(Number(q.expiration) - Date.now() / 1000).toBeGreaterThan(10 * 86400 - 60);
    expect(Number(q.expiration) - Date.now() / 1000).toBeLessThanOrEqual(10 * 86400);
  });

  it('encrypted login decrypts the AES body and answers the same 303', async () => {
    const plain = new URLSearchParams({ emailOrPhone: DEMO_EMAIL, password: DEMO_PASSWORD, state: 'REDIRECTION', client_id: 'HuaMi', redirect_uri: S3, token: 'access', country_code: 'US' });
    const res = await fetch(`${srv.url}/v2/registrations/tokens`, { method: 'POST', headers: { ...FORM, 'x-hm-ekv': '1', appname: 'com.huami.midong' }, body: encrypt(plain.toString()), redirect: 'manual' });
    expect(res.status).toBe(303);
    const q = new URL(res.headers.get('location') ?? '').searchParams;
    expect(q.get('access')).toMatch(/^AC_/);
    expect(q.get('appname')).toBe('com.huami.midong');
    expect(srv.accounts.counters.encrypted).toBe(1);
  });

  it('a plain-text body on the encrypted endpoint is a 400', async () => {
    const res = await fetch(`${srv.url}/v2/registrations/tokens`, { method: 'POST', headers: FORM, body: `emailOrPhone=${DEMO_EMAIL}&password=x`, redirect: 'manual' });
    expect(res.status).toBe(400);
  });

  it('a wrong password is still a 303, with error=401 and no access code', async () => {
    const res = await legacy('wrong');
    expect(res.status).toBe(303);
    const q = new URL(res.headers.get('location') ?? '').searchParams;
    expect(Object.fromEntries(q)).toEqual({ error: '401', state: 'REDIRECTION', region: 'eu-central-1' });
  });

  it('too many logins answer 429 with code 12 and no Location', async () => {
    srv.accounts.loginRateLimit = { max: 1, windowSeconds: 3600 };
    expect((await legacy(DEMO_PASSWORD)).status).toBe(303);
    const res = await legacy(DEMO_PASSWORD);
    expect(res.status).toBe(429);
    expect(res.headers.get('location')).toBeNull();
    expect(await res.json()).toEqual({ code: 12, message: 'too many requests' });
    expect(srv.accounts.rateLimited).toBe(1);
  });

  it('json_response=true answers 200 JSON with top-level access or ok+redirectUri (the two reported shapes)', async () => {
    const a = await legacy(DEMO_PASSWORD, { json_response: 'true' });
    expect(a.status).toBe(200);
    expect(await a.json()).toMatchObject({ access: expect.stringMatching(/^AC_/), country_code: 'DE', region: 'eu-central-1' });
    srv.accounts.jsonResponseShape = 'redirectUri';
    const b = (await (await legacy(DEMO_PASSWORD, { json_response: 'true' })).json()) as { ok: boolean; redirectUri: string };
    expect(b.ok).toBe(true);
    expect(new URL(b.redirectUri).searchParams.get('access')).toMatch(/^AC_/);
  });
});

describe('/v2/client/login (step 2)', () => {
  it('answers the full success shape with a string user_id and regional domains for the dn hosts', async () => {
    const res = await clientLogin({ code: await accessCode(), dn: 'api-mifit.huami.com,account.huami.com' });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      result: 'ok',
      token_info: { login_token: expect.stringMatching(/^LT_/), app_token: expect.stringMatching(/^AT_/), user_id: DEMO_USER_ID, ttl: expect.any(Number), app_ttl: expect.any(Number) },
      regist_info: { region: 'eu-central-1', country_code: 'DE', is_new_user: 0 },
      thirdparty_info: { email: DEMO_EMAIL, third_id: DEMO_USER_ID },
      domain: { 'id-dns': 'api-mifit-de2.huami.com' },
      domains: [
        { host: 'api-mifit.huami.com', cnames: ['api-mifit-de2.huami.com'] },
        { host: 'account.huami.com', cnames: ['account-de2.huami.com'] },
      ],
    });
  });

  it('the access code is reusable until its expiration, then answers 0106 inside HTTP 200', async () => {
    const code = await accessCode();
    expect((await (await clientLogin({ code })).json()) as object).toHaveProperty('result', 'ok');
    expect((await (await clientLogin({ code })).json()) as object).toHaveProperty('result', 'ok');
    srv.accounts.expireAccessCodes(DEMO_USER_ID);
    const res = await clientLogin({ code });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ error_code: '0106' });
    expect(await (await clientLogin({ code: 'never-issued' })).json()).toEqual({ error_code: '0106' });
  });

  it('an identity never linked to Huami answers 0117 with data', async () => {
    const body = await (await clientLogin({ code: 'xiaomi-code', grant_type: 'request_token', third_name: 'xiaomi-hm-mifit' })).json();
    expect(body).toMatchObject({ error_code: '0117', data: { refreshToken: null } });
  });

  it('missing parameters are an HTTP 400', async () => {
    const res = await fetch(`${srv.url}/v2/client/login`, { method: 'POST', headers: FORM, body: 'grant_type=access_token' });
    expect(res.status).toBe(400);
  });

  it('logging in again with the same app name kicks the previous app token of that app only', async () => {
    const phone = srv.accounts.issueAppToken(DEMO_USER_ID, 'com.huami.midong');
    await clientLogin({ code: await accessCode(), app_name: 'com.xiaomi.hm.health' });
    expect(srv.accounts.checkAppToken(phone)).toEqual({ userId: DEMO_USER_ID });
    await clientLogin({ code: await accessCode(), app_name: 'com.huami.midong' });
    expect(srv.accounts.checkAppToken(phone)).toBe('expired');
    expect(srv.accounts.kicked).toEqual([{ userId: DEMO_USER_ID, appName: 'com.huami.midong' }]);
  });
});

describe('/v1/client/app_tokens (refresh)', () => {
  it('mints a new app token from a valid login token and answers 0105 for an expired one', async () => {
    const login = (await (await clientLogin({ code: await accessCode() })).json()) as { token_info: { login_token: string } };
    const q = new URLSearchParams({ login_token: login.token_info.login_token, app_name: 'com.xiaomi.hm.health', dn: 'api-mifit.huami.com' });
    const ok = (await (await fetch(`${srv.url}/v1/client/app_tokens?${q}`)).json()) as { result: string; token_info: { app_token: string; app_ttl: number } };
    expect(ok.result).toBe('ok');
    expect(srv.accounts.checkAppToken(ok.token_info.app_token)).toEqual({ userId: DEMO_USER_ID });
    srv.accounts.expireLoginTokens(DEMO_USER_ID);
    expect(await (await fetch(`${srv.url}/v1/client/app_tokens?${q}`)).json()).toEqual({ result: 'error', error_code: '0105' });
  });
});
