// A tiny local server for the bench: generated pages from memory, the peers from bench/node_modules,
// our build from dist/, and the held-back scripts. Uncompressed and uncached on purpose: transfer
// sizes are computed from the files themselves, so the network here only has to be identical for all.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { buildBody, buildPage, heldScript } from './page.mjs';

// The peers are installed here (bench/node_modules); our build is the checkout's dist/.
const PEERS_DIR = join(import.meta.dirname, 'node_modules');
const DIST_DIR = join(import.meta.dirname, '..', 'dist');

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
};

/** Maps a URL path to a file on disk, or null. `extra` adds [prefix, directory] pairs (A/B builds). */
export function resolveFile(path, extra = []) {
  const mounts = [...extra, ['/lib/', PEERS_DIR], ['/dist/', DIST_DIR]];
  for (const [prefix, dir] of mounts) {
    if (!path.startsWith(prefix)) continue;
    const file = normalize(join(dir, decodeURIComponent(path.slice(prefix.length))));
    return file.startsWith(dir) ? file : null;
  }
  return null;
}

/** `pages` maps a path to HTML; `mounts` serves more directories (see resolveFile). Returns { url, pages, close }. */
export async function startBenchServer({ pages, mounts = [] }) {
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const send = (status, type, body) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(body);
    };
    try {
      if (pages[url.pathname] !== undefined) return send(200, TYPES['.html'], pages[url.pathname]);
      const held = /^\/held\/([a-z]+)\.js$/.exec(url.pathname);
      if (held) return send(200, TYPES['.js'], heldScript(held[1]));
      if (url.pathname === '/privacy') return send(200, TYPES['.html'], '<!doctype html><title>Privacy</title>');
      const file = resolveFile(url.pathname, mounts);
      if (file) {
        const body = await readFile(file).catch(() => null);
        if (body) return send(200, TYPES[extname(file)] ?? 'application/octet-stream', body);
      }
      send(404, 'text/plain', 'not found');
    } catch (error) {
      if (!res.headersSent) send(500, 'text/plain', String(error));
      else res.end();
    }
  });
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    // The page map itself: a page added to it later is served too.
    pages,
    close: () =>
      new Promise((done) => {
        server.closeAllConnections?.();
        server.close(() => done());
      }),
  };
}

/** Serves the bench page of each named library at `/<name>.html`, all on one `body` (bench/page.mjs). */
export function startLibraryPages(names, { body = buildBody(), mounts = [] } = {}) {
  const pages = Object.fromEntries(names.map((name) => [`/${name}.html`, buildPage(name, { body })]));
  return startBenchServer({ pages, mounts });
}
