// The Vue example's server: renders the app for each request with the consent state read from the
// request's cookie (readConsentCookie), embeds that state for the browser to hydrate with, and
// serves the browser bundle (built by `npm run build:examples`) under a strict CSP, whose nonce
// lets the banner's server-rendered copy carry the UI's styles.
//   node demo/vue/server.mjs [port]
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { readConsentCookie } from 'consentline';
import { renderToString } from 'vue/server-renderer';
import { consentOptions, createDemoApp } from './app.mjs';

const BUNDLE = fileURLToPath(new URL('dist/assets/client.js', import.meta.url));
const csp = (nonce) =>
  `default-src 'self'; script-src 'self'; style-src 'self' 'nonce-${nonce}'; object-src 'none'; base-uri 'none'`;

// `</script>` and friends cannot end the JSON block early.
const embed = (value) => JSON.stringify(value).replace(/</g, '\\u003c');

async function page(req, naive, nonce) {
  const gpc = req.headers['sec-gpc'] === '1';
  // The state the browser store will read from the same cookie: server and first client render agree.
  const serverState = readConsentCookie(req.headers.cookie, {
    ...consentOptions,
    secure: req.headers['x-forwarded-proto'] === 'https',
    gpc,
  });
  const html = await renderToString(createDemoApp(naive ? { gpc, nonce } : { serverState, gpc, nonce }));
  const state = naive
    ? ''
    : `<script type="application/json" id="server-state" nonce="${nonce}">${embed(serverState)}</script>`;
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Consentline with Vue</title></head>
<body>
<div id="app">${html}</div>
${state}
<script type="module" src="/assets/client.js"></script>
</body>
</html>
`;
}

/** Starts the example's server on `port` (0: a free one); resolves with its URL and a close function. */
export async function startVueDemo({ port = 0, host = '127.0.0.1' } = {}) {
  const server = createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    try {
      if (path === '/assets/client.js') {
        res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-store' });
        res.end(await readFile(BUNDLE));
      } else if (path === '/favicon.ico') {
        res.writeHead(204).end();
      } else if (path === '/' || path === '/naive') {
        const nonce = randomBytes(16).toString('base64');
        res.writeHead(200, {
          'content-type': 'text/html; charset=utf-8',
          'content-security-policy': csp(nonce),
          'cache-control': 'no-store',
        });
        res.end(await page(req, path === '/naive', nonce));
      } else {
        res.writeHead(404).end();
      }
    } catch (error) {
      res.writeHead(500, { 'content-type': 'text/plain' }).end(String(error));
    }
  });
  await new Promise((done) => server.listen(port, host, done));
  const url = `http://${host}:${server.address().port}`;
  return { url, close: () => new Promise((done) => server.close(done)) };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { url } = await startVueDemo({ port: Number(process.argv[2] ?? 3002) });
  console.log(`Vue example: ${url}`);
}
