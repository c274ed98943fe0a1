// Size budgets: brotli (quality 11) of the script-tag IIFE and of each npm subpath bundled alone
// and minified (what an SPA pays for importing it, js-cookie included). Budgets live in
// package.json under "budgets"; any entry over budget fails the test command.
// A framework binding's budget (consentline/react, consentline/vue) is what it adds on top of the
// parts it wraps: each case below is bundled alone (its framework external) and so are the parts
// it wraps, and the difference must stay within the budget.
import { existsSync, readFileSync } from 'node:fs';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';
import { bundleImports, bundleSubpath } from './bundle.mjs';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const budgets = pkg.budgets ?? {};
const brotli = (buf) => brotliCompressSync(buf, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
const gzip = (buf) => gzipSync(buf, { level: 9 }).length;

const STORE = { '.': ['createConsentStore', 'createCookieStorage'] };
const UI = { ...STORE, './ui': ['mountConsentUi'] };
const DNI = { ...UI, './dni': ['startNumberInsertion', 'createPoolSession'] };
// Each case: what an app imports from the binding, and the parts that import stands on.
const BINDING_CASES = {
  'consentline/react': [
    { names: ['useConsent', 'ConsentProvider'], wraps: STORE },
    { names: ['useConsent', 'ConsentProvider', 'useCategory', 'ConsentGate'], wraps: STORE },
    { names: ['useConsent', 'ConsentProvider', 'ConsentBanner'], wraps: UI },
    {
      names: ['useConsent', 'ConsentProvider', 'ConsentBanner', 'ConsentGate', 'TrackingNumbers', 'useTrackingNumber'],
      wraps: DNI,
    },
  ],
  'consentline/vue': [
    { names: ['consentline', 'useConsent'], wraps: STORE },
    { names: ['consentline', 'useConsent', 'useCategory', 'ConsentGate'], wraps: STORE },
    { names: ['consentline', 'useConsent', 'ConsentGate', 'useConsentUi'], wraps: UI },
    { names: ['consentline', 'useConsent', 'ConsentBanner'], wraps: UI },
  ],
};

const rows = [];
const bindingRows = [];
for (const [name, budget] of Object.entries(budgets)) {
  // A subpath is measured once its source entry exists.
  const entry = name === 'consentline' ? 'index' : name.slice('consentline/'.length);
  if (BINDING_CASES[name]) {
    if (!existsSync(`src/${entry}/index.ts`)) continue;
    for (const { names, wraps } of BINDING_CASES[name]) {
      const total = brotli(await bundleImports({ ...wraps, [`./${entry}`]: names }));
      const base = brotli(await bundleImports(wraps));
      bindingRows.push({ name: `${name} { ${names.join(', ')} }`, total, base, added: total - base, budget });
    }
    continue;
  }
  if (!name.startsWith('dist/') && !existsSync(`src/entries/${entry}.ts`)) continue;
  const buf = name.startsWith('dist/')
    ? readFileSync(name)
    : await bundleSubpath(name === 'consentline' ? '.' : `./${name.slice('consentline/'.length)}`);
  rows.push({ name, raw: buf.length, gzip: gzip(buf), brotli: brotli(buf), budget });
}

const pad = (s, n) => String(s).padStart(n);
console.log(`${'entry'.padEnd(28)}${pad('raw', 8)}${pad('gzip', 8)}${pad('brotli', 8)}${pad('budget', 8)}`);
let failed = 0;
for (const r of rows) {
  const over = r.brotli > r.budget;
  if (over) failed++;
  console.log(
    `${r.name.padEnd(28)}${pad(r.raw, 8)}${pad(r.gzip, 8)}${pad(r.brotli, 8)}${pad(r.budget, 8)}${over ? '  OVER BUDGET' : ''}`,
  );
}
if (bindingRows.length) {
  console.log(
    `\n${'binding import'.padEnd(72)}${pad('brotli', 8)}${pad('wraps', 8)}${pad('added', 8)}${pad('budget', 8)}`,
  );
  for (const r of bindingRows) {
    const over = r.added > r.budget;
    if (over) failed++;
    console.log(
      `${r.name.padEnd(72)}${pad(r.total, 8)}${pad(r.base, 8)}${pad(r.added, 8)}${pad(r.budget, 8)}${over ? '  OVER BUDGET' : ''}`,
    );
  }
}
// Targets not yet reached are reported, not asserted: the budget above is the ratchet that fails.
for (const [name, target] of Object.entries(pkg.sizeTargets ?? {})) {
  const r = rows.find((x) => x.name === name);
  if (r && r.brotli > target)
    console.log(
      `target: ${name} ≤ ${target} brotli, missed by ${r.brotli - target} B (${((r.brotli / target - 1) * 100).toFixed(1)} %)`,
    );
}
if (failed) {
  console.error(`\n${failed} entr${failed === 1 ? 'y is' : 'ies are'} over budget (brotli bytes).`);
  process.exit(1);
}
