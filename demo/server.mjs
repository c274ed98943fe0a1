// The demo and test server: serves demo/site/ at / and dist/ at /dist/, records the requests it
// receives (method, path, headers, body; the latest 1,000) so browser tests can assert what a page sent, and
// mounts the collector endpoints the demo pages use: the /pool/ reference server, /collect/, and the
// real consentline/server at /v1/ (demo/consentline-mount.mjs). No framework, no dependencies.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createConsentlineMount } from './consentline-mount.mjs';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

const MOUNTS = [
  ['/dist/', join(root, 'dist')],
  ['/node_modules/axe-core/', join(root, 'node_modules/axe-core')],
  ['/', join(root, 'demo/site')],
];

// The file a request path names under `dir`, or undefined when it names something outside it.
// Compared as a relative path: a prefix test would let `/..%2fsite-x/` into a sibling `site-x`.
function fileUnder(dir, rest) {
  let decoded;
  try {
    decoded = decodeURIComponent(rest);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0')) return undefined;
  const file = resolve(dir, `.${sep}${decoded}`);
  const inside = relative(dir, file);
  if (inside === '' || (!inside.startsWith(`..${sep}`) && inside !== '..' && !isAbsolute(inside))) return file;
  return undefined;
}

async function serveFile(res, path, headers = {}) {
  for (const [prefix, dir] of MOUNTS) {
    if (!path.startsWith(prefix)) continue;
    let file = fileUnder(dir, path.slice(prefix.length));
    if (!file) break;
    try {
      if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
      const body = await readFile(file);
      res.writeHead(200, {
        'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
        'cache-control': 'no-store',
        ...headers,
      });
      res.end(body);
      return true;
    } catch {
      break;
    }
  }
  return false;
}

// The request log keeps the latest requests only, each body cut short: a demo left running (or a
// client posting in a loop) must not grow the process without bound. Tests clear it per test.
const LOG_REQUESTS = 1000;
const LOG_BODY_CHARS = 64 * 1024;

const readBody = (req) =>
  new Promise((done) => {
    const chunks = [];
    let size = 0;
    req.on('data', (c) => {
      size += c.length;
      if (size <= 1_000_000) chunks.push(c);
    });
    req.on('end', () => done(Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => done(''));
  });

/**
 * Starts the server. `routes` maps a path prefix to `(req, res, body, url) => boolean | Promise<boolean>`
 * handlers tried before static files; `consentline` passes options to the /v1/ mount (`token`, `log`).
 * Returns { url, port, requests, clear, close, routes, consentline } (`consentline.token` reads the
 * /v1/ read APIs).
 */
export async function startServer({ port = 0, host = '127.0.0.1', routes = {}, consentline: mountOptions = {} } = {}) {
  const requests = [];
  const consentline = createConsentlineMount(mountOptions);
  const allRoutes = {
    '/pool/': (await import('./pool-server.mjs')).createPoolHandler(),
    '/v1/': consentline.route,
    '/healthz': consentline.route,
    ...routes,
  };
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const body = req.method === 'GET' || req.method === 'HEAD' ? '' : await readBody(req);
    requests.push({
      time: Date.now(),
      method: req.method,
      path: url.pathname,
      search: url.search,
      headers: req.headers,
      body: body.slice(0, LOG_BODY_CHARS),
    });
    if (requests.length > LOG_REQUESTS) requests.splice(0, requests.length - LOG_REQUESTS);
    try {
      for (const [prefix, handler] of Object.entries(allRoutes)) {
        if (url.pathname.startsWith(prefix) && (await handler(req, res, body, url))) return;
      }
      // Collection endpoints: they only record (above) and answer 204.
      if (url.pathname.startsWith('/collect')) {
        res.writeHead(204, { 'access-control-allow-origin': '*' });
        res.end();
        return;
      }
      // Pages may ask for a Content-Security-Policy through ?csp=strict (see demo/site/csp.html).
      const headers = {};
      if (url.searchParams.get('csp') === 'strict') {
        headers['content-security-policy'] =
          "script-src 'nonce-demo' 'strict-dynamic'; style-src 'self'; require-trusted-types-for 'script'; object-src 'none'; base-uri 'none'";
      }
      if (await serveFile(res, url.pathname, headers)) return;
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
    } catch (error) {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(error));
    }
  });
  await new Promise((done) => server.listen(port, host, done));
  const actual = server.address().port;
  return {
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${actual}`,
    port: actual,
    requests,
    routes: allRoutes,
    consentline,
    clear: () => requests.splice(0),
    close: async () => {
      await new Promise((done) => {
        server.closeAllConnections?.();
        server.close(() => done());
      });
      await consentline.close();
    },
  };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const port = Number(process.env.PORT ?? 5173);
  const log = (entry) => process.stdout.write(`${JSON.stringify(entry)}\n`);
  const demo = await startServer({
    port,
    host: process.env.HOST ?? '127.0.0.1',
    consentline: { log, ...(process.env.CONSENTLINE_TOKEN ? { token: process.env.CONSENTLINE_TOKEN } : {}) },
  });
  const { url, consentline } = demo;
  console.log(`Consentline demo running at ${url}/`);
  console.log('Pages: / (landing), /contact.html, /csp.html, /server.html (the real server); Ctrl+C to stop.');
  const loaded = await consentline.ready();
  if (loaded.kind === 'ready') {
    console.log(`consentline/server at ${url}/v1/ (leases in memory, records in ${loaded.file})`);
    const auth = `curl -H 'authorization: Bearer ${consentline.token}'`;
    console.log(`Read APIs: ${auth} ${url}/v1/receipts             (every consent receipt, NDJSON)`);
    console.log(`           ${auth} ${url}/v1/receipts/<id>        (one, as proof)`);
    console.log(
      `           ${auth} '${url}/v1/attribution?number=%2B18885550201&at=<ISO time>'   (which visit held that number)`,
    );
  } else {
    console.log(`consentline/server is not available at /v1/ (${loaded.reason}); the other pages work.`);
  }
  const stop = () => demo.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
