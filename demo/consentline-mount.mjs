// The real `consentline/server` inside the demo, with its embedded defaults: leases in memory,
// records (lease periods, consent receipts) in a SQLite file in a temp folder, removed on close.
// Mounted by demo/server.mjs at /v1/ (pools, receipts, attribution) beside the /pool/ reference
// server. The handler comes from the build (dist/server/index.js, made by `npm run demo`) and is
// loaded at the first /v1/ request, so a server that never gets one loads nothing.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The demo's numbers: the site's office number and the tracking numbers its visitors lease. */
export const DEMO_POOL = {
  numbers: { '+15551234567': ['+18885550201', '+18885550202', '+18885550203', '+18885550204', '+18885550205'] },
  overflow: { '+15551234567': '+18885550299' },
  ttl: 60,
  quarantine: 30,
};

/**
 * Creates the mount. `token` guards the read APIs (attribution, receipts): random per start unless
 * given. `log` receives the server's JSON log lines (none by default). Returns
 * `{ route, token, ready, close }`: `route(req, res, body, url)` is a demo/server.mjs route handler,
 * `ready()` loads the handler and resolves to `{ kind: 'ready', file }` or `{ kind: 'failed', reason }`.
 */
export function createConsentlineMount({
  token = randomBytes(18).toString('base64url'),
  log = () => {},
  pool = DEMO_POOL,
} = {}) {
  let dir;
  let loading;
  const ready = () => {
    loading ??= (async () => {
      try {
        dir = mkdtempSync(join(tmpdir(), 'consentline-demo-'));
        const file = join(dir, 'records.db');
        const { createConsentlineServer, createMemoryLeaseStore, createSqliteRecordStore } = await import(
          '../dist/server/index.js'
        );
        const server = createConsentlineServer({
          leases: createMemoryLeaseStore(pool),
          records: await createSqliteRecordStore({ file }),
          token,
          // Lists live leases at /v1/pool/state so the demo can show them. Never in production.
          dev: true,
          log,
        });
        return { kind: 'ready', file, server };
      } catch (error) {
        return { kind: 'failed', reason: `${error.message} (run npm install and npm run build)` };
      }
    })();
    return loading;
  };

  // demo/server.mjs has read the body already (for its request log): the handler gets it back.
  const route = async (req, res, body, url) => {
    const loaded = await ready();
    if (loaded.kind === 'failed') {
      res.writeHead(503, { 'content-type': 'application/json', 'access-control-allow-origin': '*' });
      res.end(JSON.stringify({ error: loaded.reason }));
      return true;
    }
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (typeof value === 'string') headers.set(name, value);
    }
    const method = req.method ?? 'GET';
    const hasBody = method !== 'GET' && method !== 'HEAD';
    const request = new Request(url.href, { method, headers, ...(hasBody ? { body } : {}) });
    const response = await loaded.server.fetch(request, { address: req.socket.remoteAddress });
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
    return true;
  };

  return {
    route,
    token,
    ready,
    async close() {
      if (loading) {
        const loaded = await loading;
        if (loaded.kind === 'ready') await loaded.server.close();
      }
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
