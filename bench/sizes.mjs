// Transfer sizes of what each library needs: raw, gzip -9 and brotli q11 of each file, summed.
// Deterministic, so `node bench/sizes.mjs --check` can run in the test command (no timings).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const benchDir = dirname(fileURLToPath(import.meta.url));
const root = resolve(benchDir, '..');

/** Target: our whole IIFE's brotli size at most this share of vanilla-cookieconsent's JS + CSS. */
export const SIZE_RATIO_TARGET = 0.87;

/** Files each library needs on the bench page, as URL paths the bench server maps to disk. What a
 * library fetches by itself is added from what the browser requested (see run.mjs). */
export const STATIC_ASSETS = {
  consentline: ['/dist/consentline.min.js'],
  'vanilla-cookieconsent': [
    '/lib/vanilla-cookieconsent/dist/cookieconsent.umd.js',
    '/lib/vanilla-cookieconsent/dist/cookieconsent.css',
  ],
  klaro: ['/lib/klaro/dist/klaro.js'],
  tarteaucitron: [
    '/lib/tarteaucitronjs/tarteaucitron.min.js',
    '/lib/tarteaucitronjs/lang/tarteaucitron.en.min.js',
    '/lib/tarteaucitronjs/tarteaucitron.services.min.js',
    '/lib/tarteaucitronjs/css/tarteaucitron.min.css',
  ],
};

/** Installs the pinned peers into bench/node_modules (from bench/package-lock.json) when missing. */
export function ensurePeers() {
  if (
    ['vanilla-cookieconsent', 'klaro', 'tarteaucitronjs'].every((p) =>
      existsSync(join(benchDir, 'node_modules', p, 'package.json')),
    )
  )
    return;
  console.log('Installing the peers into bench/node_modules (npm ci --prefix bench) ...');
  const r = spawnSync('npm', ['ci', '--prefix', benchDir, '--no-audit', '--no-fund', '--ignore-scripts'], {
    stdio: 'inherit',
    cwd: root,
  });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

export function fileFor(path) {
  const clean = path.split('?')[0];
  if (clean.startsWith('/dist/')) return join(root, 'dist', clean.slice(6));
  if (clean.startsWith('/lib/')) return join(benchDir, 'node_modules', clean.slice(5));
  return null;
}

/** Sizes of one file's bytes. */
export function sizeOf(bytes) {
  return {
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
    }).length,
  };
}

/** Sums the sizes of the given URL paths; null when a file is missing (e.g. no build yet). */
export function sizeOfPaths(paths) {
  const total = { raw: 0, gzip: 0, brotli: 0, files: [] };
  for (const path of [...new Set(paths.map((p) => p.split('?')[0]))]) {
    const file = fileFor(path);
    if (!file || !existsSync(file)) return null;
    const s = sizeOf(readFileSync(file));
    total.raw += s.raw;
    total.gzip += s.gzip;
    total.brotli += s.brotli;
    total.files.push({ path, ...s });
  }
  return total;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  ensurePeers();
  const ours = sizeOfPaths(STATIC_ASSETS.consentline);
  const rows = Object.entries(STATIC_ASSETS).map(([name, paths]) => [name, sizeOfPaths(paths)]);
  for (const [name, s] of rows)
    console.log(`${name.padEnd(22)} ${s ? `${s.raw} raw  ${s.gzip} gzip  ${s.brotli} brotli` : 'n/a (not built)'}`);
  if (process.argv.includes('--check')) {
    const peer = sizeOfPaths(STATIC_ASSETS['vanilla-cookieconsent']);
    if (!ours) {
      console.error('dist/consentline.min.js is missing: run `npm run build` first');
      process.exit(1);
    }
    const ratio = ours.brotli / peer.brotli;
    const ok = ratio <= SIZE_RATIO_TARGET;
    console.log(
      `consentline / vanilla-cookieconsent (JS+CSS), brotli q11: ${ours.brotli} / ${peer.brotli} = ${ratio.toFixed(3)} (target <= ${SIZE_RATIO_TARGET}) ${ok ? 'ok' : 'OVER'}`,
    );
    process.exit(ok ? 0 : 1);
  }
}
