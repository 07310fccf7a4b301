// Huami host names (docs/huami-api.md "Hosts and regions") and how a request reaches them: the real host by
// default, or every host mapped onto one base URL (HUAMI_BASE_URL: the fake server, a proxy).

/** Generic hosts the client talks to; regional ones come from the login's `domains`. */
export const HOSTS = {
  legacyRegistration: 'api-user.huami.com',
  encryptedRegistration: 'api-user-us2.zepp.com',
  account: 'account.huami.com', // /v2/client/login, /v1/client/app_tokens
  data: 'api-mifit.huami.com', // the generic data host works for most accounts
} as const;

/** The `dn` list a login sends; the server answers with a regional cname for each. */
export const LOGIN_DN = [
  'account.huami.com',
  'api-user.huami.com',
  'api-watch.huami.com',
  'api-analytics.huami.com',
  'app-analytics.huami.com',
  'api-mifit.huami.com',
].join(',');

/** Absolute URL of `path` on `host`, or on `baseUrl` when every host is routed there. */
export function hostUrl(host: string, path: string, baseUrl?: string): URL {
  if (baseUrl) {
    const base = new URL(baseUrl);
    const prefix = base.pathname.replace(/\/+$/, '');
    return new URL(`${prefix}${path}`, base);
  }
  return new URL(path, `https://${host}`);
}

/** The regional host for `generic` from a login's `domains`, else `generic` itself. */
export function pickHost(domains: readonly { host: string; cnames?: readonly string[] }[] | undefined, generic: string): string {
  const hit = domains?.find((d) => d.host === generic);
  return hit?.cnames?.find((c) => c.length > 0) ?? generic;
}
