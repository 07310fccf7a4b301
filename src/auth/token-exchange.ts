// Step 2 and the refresh (docs/huami-api.md "Client login", "App token refresh"): access code → login_token + app_token
// at /v2/client/login, and login_token → new app_token at /v1/client/app_tokens. Both
// report failure inside HTTP 200 bodies, so the body is checked before the schema.
import { HuamiError } from '../fetch/errors.js';
import { LOGIN_DN } from './hosts.js';
import type { Transport } from '../fetch/http.js';
import { AppTokensSchema, ClientLoginSchema, type ClientLoginResponse } from '../fetch/schemas.js';

// error_code values, strings with a leading zero (docs/huami-api.md "Body-level error codes").
const ERROR_MEANING: Record<string, string> = {
  '0100': 'the request lacked parameters',
  '0105': 'the login token is invalid or expired',
  '0106': 'the access code is invalid, used or expired',
  '0113': 'wrong region',
  '0115': 'account disabled',
  '0117': 'account not registered with Huami (a Xiaomi/Google/Apple identity never linked: open the Zepp app once, or supply HUAMI_APP_TOKEN)',
  '0121': 'account frozen',
};

function parseJson(text: string, what: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(text);
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new HuamiError('HUAMI_REMOTE_ERROR', `${what} answered something that is not a JSON object`, { body: text });
}

/** `error_code`, `error`, `data.code`, `result` ≠ ok or numeric `code` ≠ 1 in a 200 body is a failure. */
function bodyError(body: Record<string, unknown>): string | undefined {
  const code = body.error_code ?? body.error ?? (body.data as { code?: unknown } | undefined)?.code;
  if (code !== undefined && code !== null) return String(code);
  if (body.result !== undefined && body.result !== 'ok') return `result=${String(body.result)}`;
  if (typeof body.code === 'number' && body.code !== 1) return `code=${body.code}`;
  return undefined;
}

export interface ExchangeInput {
  host: string;
  accessCode: string;
  countryCode: string;
  appName: string;
  deviceId: string;
  /** Phone numbers log in as `huami_phone`. */
  phone: boolean;
}

/** POST /v2/client/login: an access code (fresh, or stored and still before its expiration) → tokens. */
export async function exchangeAccessCode(transport: Transport, input: ExchangeInput, secrets: readonly string[]): Promise<ClientLoginResponse> {
  const form = new URLSearchParams({
    app_name: input.appName,
    app_version: '6.14.0',
    code: input.accessCode,
    country_code: input.countryCode,
    device_id: input.deviceId,
    device_model: input.phone ? 'phone' : 'android_phone',
    dn: LOGIN_DN,
    grant_type: 'access_token',
    third_name: input.phone ? 'huami_phone' : 'huami',
    allow_registration: 'false',
    source: `${input.appName}:6.14.0:50818`,
    lang: 'en',
  });
  const res = await transport.request({
    host: input.host,
    path: '/v2/client/login',
    method: 'POST',
    kind: 'login',
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=UTF-8', app_name: input.appName, appname: input.appName },
    body: form.toString(),
  });
  const body = parseJson(res.body, '/v2/client/login');
  const err = bodyError(body);
  if (err) {
    const code = err === '0117' ? 'HUAMI_ACCOUNT_NOT_REGISTERED' : 'HUAMI_LOGIN_FAILED';
    // The 0117 body carries the identity provider's tokens: never put it in the message.
    throw new HuamiError(code, `/v2/client/login refused: ${err} (${ERROR_MEANING[err] ?? 'unknown code'})`, { status: res.status, remoteCode: err, secrets });
  }
  const parsed = ClientLoginSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new HuamiError('HUAMI_SCHEMA_MISMATCH', `/v2/client/login answer lacks ${issue?.path.join('.') ?? '?'}: ${issue?.message ?? ''}`, { status: res.status, secrets });
  }
  return parsed.data;
}

/** GET /v1/client/app_tokens: a new app_token from the login_token, no password. */
export async function refreshAppToken(
  transport: Transport,
  input: { host: string; loginToken: string; appName: string },
  secrets: readonly string[],
): Promise<{ appToken: string; appTtl: number | undefined }> {
  const res = await transport.request({
    host: input.host,
    path: '/v1/client/app_tokens',
    method: 'GET',
    kind: 'login',
    query: { app_name: input.appName, dn: LOGIN_DN, login_token: input.loginToken },
  });
  const body = parseJson(res.body, '/v1/client/app_tokens');
  const err = bodyError(body);
  if (err) {
    throw new HuamiError('HUAMI_TOKEN_EXPIRED', `/v1/client/app_tokens refused: ${err} (${ERROR_MEANING[err] ?? 'unknown code'})`, { status: res.status, remoteCode: err, secrets });
  }
  const parsed = AppTokensSchema.safeParse(body);
  if (!parsed.success) throw new HuamiError('HUAMI_SCHEMA_MISMATCH', '/v1/client/app_tokens answer lacks token_info.app_token', { status: res.status, secrets });
  return { appToken: parsed.data.token_info.app_token, appTtl: parsed.data.token_info.app_ttl };
}
