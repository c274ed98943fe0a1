// The islands example's server: renders each React island of the page on its own (as Astro does),
// all with the consent state read once from the request's cookie, embeds that state for the
// browser, and serves the browser bundle (built by `npm run build:examples`) under a strict CSP,
// whose nonce lets the banner's server-rendered copy carry the UI's styles.
//   node demo/islands/server.mjs [port]
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { readConsentCookie } from 'consentline';
import { renderToString } from 'react-dom/server';
import { ISLANDS, island } from './islands.mjs';

const BUNDLE = fileURLToPath(new URL('dist/assets/client.js', import.meta.url));
const csp = (nonce) =>
  `default-src 'self'; script-src 'self'; style-src 'self' 'nonce-${nonce}'; object-src 'none'; base-uri 'none'`;

// `</script>` and friends cannot end the JSON block early.
const embed = (value) => JSON.stringify(value).replace(/</g, '\\u003c');

function page(req, nonce) {
  // One state for the page: its islands share the banner's one copy through it.
  const serverState = readConsentCookie(req.headers.cookie, { secure: false });
  const islands = ISLANDS.map((id, i) => {
    const html = renderToString(island({ serverState, nonce }), { identifierPrefix: `r${i}` });
    return `<section id="${id}" data-prefix="r${i}">${html}</section>`;
  });
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Consentline in React islands</title></head>
<body>
${islands[0]}
<main><h1>Consentline in React islands</h1></main>
${islands[1]}
<script type="application/json" id="server-state" nonce="${nonce}">${embed(serverState)}</script>
<script type="module" src="/assets/client.js"></script>
</body>
</html>
`;
}

/** Starts the example's server on `port` (0: a free one); resolves with its URL and a close function. */
export async function startIslandsDemo({ port = 0, host = '127.0.0.1' } = {}) {
  const server = createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    try {
      if (path === '/assets/client.js') {
        res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-store' });
        res.end(await readFile(BUNDLE));
      } else if (path === '/favicon.ico') {
        res.writeHead(204).end();
      } else if (path === '/') {
        const nonce = randomBytes(16).toString('base64');
        res.writeHead(200, {
          'content-type': 'text/html; charset=utf-8',
          'content-security-policy': csp(nonce),
          'cache-control': 'no-store',
        });
        res.end(page(req, nonce));
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
  const { url } = await startIslandsDemo({ port: Number(process.argv[2] ?? 3003) });
  console.log(`React islands example: ${url}`);
}
