// A minimal node:http frame around the fake auth routes, plus an apptoken-checked
// /users/{uid}/devices, for testing the auth endpoints without the full fake server.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeAccounts, type FakeAccountsOptions } from '../../src/fake/accounts.js';
import { handleAuthRoute } from '../../src/fake/auth-routes.js';

export interface AuthServer {
  url: string;
  accounts: FakeAccounts;
  requests: { method: string; path: string; status: number }[];
  close(): Promise<void>;
}

/** Start the auth-only fake on a free port. */
/** `extraRoute` answers first when it returns true (e.g. a hand-made band_data.json body). */
export async function startAuthServer(
  opts: Partial<FakeAccountsOptions> = {},
  extraRoute?: (req: IncomingMessage, res: ServerResponse, url: URL) => boolean,
): Promise<AuthServer> {
  const now = opts.now ?? (() => new Date());
  const accounts = new FakeAccounts({ ...opts, now });
  const requests: AuthServer['requests'] = [];
  let url = '';
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const u = new URL(req.url ?? '/', url);
      res.on('finish', () => requests.push({ method: req.method ?? '', path: u.pathname, status: res.statusCode }));
      if (extraRoute?.(req, res, u)) return;
      if (handleAuthRoute(req, res, u, Buffer.concat(chunks), { accounts, now, publicUrl: url })) return;
      const devices = /^\/users\/([^/]+)\/devices$/.exec(u.pathname);
      if (devices) {
        const check = accounts.checkAppToken(String(req.headers.apptoken ?? ''));
        if (typeof check === 'string' || check.userId !== devices[1]) {
          res.writeHead(401, { 'content-type': 'application/json' }).end('{"code":0,"message":"invalid token"}');
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"items":[]}');
        return;
      }
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"code":404,"message":"routes not found"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    accounts,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
