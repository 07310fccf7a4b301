// Step 1 of a password login, legacy or encrypted (docs/huami-api.md "Registration", "Registration answer"): credentials →
// access code. Both answer 303; the Location carries either `access` or `error`.
import { createCipheriv } from 'node:crypto';
import { HuamiError } from '../fetch/errors.js';
import { HOSTS } from './hosts.js';
import { headerValue, type HuamiResponse, type Transport } from '../fetch/http.js';

// AES-128-CBC, PKCS#7, fixed ASCII key and IV.
const AES_KEY = Buffer.from('xeNtBVqzDc6tuNTh', 'ascii');
const AES_IV = Buffer.from('MAAAYAAAAAAAAABg', 'ascii');
const REDIRECT_URI = 'https://s3-us-west-2.amazonaws.com/hm-registration/successsignin.html';

/** What step 1 yields. `expiresAt` is epoch ms (Location `expiration` is epoch seconds). */
export interface AccessGrant {
  accessCode: string;
  expiresAt: number | undefined;
  region: string | undefined;
  countryCode: string | undefined;
}

export interface RegistrationInput {
  email: string;
  password: string;
  appName: string;
  countryCode: string;
}

/** The encrypted flow's request body: the urlencoded form, encrypted. */
export function encryptForm(form: URLSearchParams): Buffer {
  const c = createCipheriv('aes-128-cbc', AES_KEY, AES_IV);
  return Buffer.concat([c.update(form.toString(), 'utf8'), c.final()]);
}

function baseForm(input: RegistrationInput): URLSearchParams {
  const f = new URLSearchParams({ state: 'REDIRECTION', client_id: 'HuaMi', redirect_uri: REDIRECT_URI });
  f.append('token', 'access');
  f.append('token', 'refresh');
  f.set('country_code', input.countryCode);
  return f;
}

/** Read the Location of a registration answer into a grant, or the matching HuamiError. */
export function parseRegistrationAnswer(res: HuamiResponse, secrets: readonly string[]): AccessGrant {
  const location = headerValue(res.headers.location);
  if (res.status < 300 || res.status >= 400 || !location) {
    throw new HuamiError('HUAMI_LOGIN_FAILED', `registration answered HTTP ${res.status} without a redirect`, { status: res.status, body: res.body, secrets });
  }
  const q = new URL(location, 'https://invalid.invalid').searchParams;
  const access = q.get('access');
  const region = q.get('region') ?? undefined;
  if (!access) {
    const error = q.get('error') ?? 'none';
    // error=401 is a wrong password or an unknown account; 403/404/408 come from a single source.
    if (error === '401' || error === '404' || error === '408') {
      throw new HuamiError('HUAMI_AUTH_WRONG_PASSWORD', `e-mail or password rejected (error=${error}, region ${region ?? 'unknown'}); check HUAMI_EMAIL/HUAMI_PASSWORD, or log in to the Zepp app once`, {
        status: res.status,
        remoteCode: error,
        secrets,
      });
    }
    throw new HuamiError('HUAMI_LOGIN_FAILED', `registration redirect carries error=${error} (403 is reported to mean blocked by risk control)`, { status: res.status, remoteCode: error, secrets });
  }
  const expiration = Number(q.get('expiration'));
  // When country_code is missing, derive it from the region (eu-central-1 → EU).
  const countryCode = q.get('country_code') ?? (region ? region.slice(0, 2).toUpperCase() : undefined);
  return { accessCode: access, expiresAt: Number.isFinite(expiration) && expiration > 0 ? expiration * 1000 : undefined, region, countryCode };
}

async function send(transport: Transport, req: Parameters<Transport['request']>[0], secrets: readonly string[]): Promise<AccessGrant> {
  try {
    return parseRegistrationAnswer(await transport.request(req), secrets);
  } catch (err) {
    if (err instanceof HuamiError && err.status === 429) {
      throw new HuamiError('HUAMI_LOGIN_RATE_LIMITED', 'login answered 429 (too many logins from this address)', { status: 429, cause: err, secrets });
    }
    // A refused request shape shows as a plain 4xx (e.g. 400 for the legacy flow on Zepp accounts).
    if (err instanceof HuamiError && err.code === 'HUAMI_HTTP' && !err.retryable) {
      throw new HuamiError('HUAMI_LOGIN_FAILED', `login refused: ${err.message}`, { status: err.status, cause: err, secrets });
    }
    throw err;
  }
}

/** POST /v2/registrations/tokens with the AES body. */
export function registerEncrypted(transport: Transport, input: RegistrationInput): Promise<AccessGrant> {
  const form = baseForm(input);
  form.set('emailOrPhone', input.email);
  form.set('password', input.password);
  return send(
    transport,
    {
      host: HOSTS.encryptedRegistration,
      path: '/v2/registrations/tokens',
      method: 'POST',
      kind: 'login',
      headers: {
        'content-type': 'application/x-www-form-urlencoded; charset=UTF-8',
        app_name: input.appName,
        appname: input.appName,
        appplatform: 'android_phone',
        'x-hm-ekv': '1', // fine here: the answer is a redirect, not an encrypted body
        v: '2.0',
      },
      body: encryptForm(form),
    },
    [input.password],
  );
}

/** POST /registrations/{account}/tokens, plain urlencoded. */
export function registerLegacy(transport: Transport, input: RegistrationInput): Promise<AccessGrant> {
  const form = baseForm(input);
  form.set('password', input.password);
  return send(
    transport,
    {
      host: HOSTS.legacyRegistration,
      path: `/registrations/${encodeURIComponent(input.email)}/tokens`,
      logPath: '/registrations/{account}/tokens',
      method: 'POST',
      kind: 'login',
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=UTF-8', appname: input.appName },
      body: form.toString(),
    },
    [input.password],
  );
}
