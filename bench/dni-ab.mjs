// A/B of call tracking's consent call between builds of dist/consentline.min.js, loaded interleaved
// (alternating order) on the bench's DNI page and its twin without DNI, with the bench's own measure:
// a bare text walk, then Consentline.acceptAll() timed. Prints, per build, DNI's part (the call minus
// the twin's median) against the walk, as the median of per-load ratios and as a ratio of medians.
// usage: node bench/dni-ab.mjs <runs> <cpu rate> <a.min.js> <b.min.js> [...]
//   dist/ is not tracked: build each version (npm run build) and copy its min.js aside first.
import { chromium } from 'playwright-core';
import { startBenchServer } from './server.mjs';
import { buildDniPage } from './dni.mjs';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
const root = join(import.meta.dirname, '..');
const [runs, cpu, ...names] = process.argv.slice(2);
if (!names.length) throw new Error('usage: node bench/dni-ab.mjs <runs> <cpu rate> <a.min.js> <b.min.js> [...]');
const pages = { '/dni.html': buildDniPage().html, '/twin.html': buildDniPage({ dni: false }).html };
const server = await startBenchServer({ root, benchDir: join(root, 'bench'), pages });
const envPath = process.env['CONSENTLINE_CHROMIUM'];
const executablePath = envPath !== undefined ? envPath || undefined : existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined;
const browser = await chromium.launch({ ...(executablePath ? { executablePath } : {}), args: ['--no-sandbox','--disable-gpu','--disable-quic','--no-first-run','--disable-background-networking','--disable-component-update','--disable-sync'] });
const res = Object.fromEntries(names.map((n) => [n, { dni: [], twin: [], walk: [], ratio: [] }]));
const med = (a) => { const s = [...a].sort((x, y) => x - y); return s[Math.floor(s.length / 2)]; };
for (let r = 0; r < +runs; r++) {
  const order = r % 2 ? [...names].reverse() : names;
  for (const name of order) for (const page of ['twin', 'dni']) {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const tab = await ctx.newPage();
    const body = readFileSync(name);
    await tab.route('**/dist/consentline.min.js', (rt) => rt.fulfill({ body, contentType: 'text/javascript' }));
    const cdp = await ctx.newCDPSession(tab); await cdp.send('Emulation.setCPUThrottlingRate', { rate: +cpu });
    await tab.goto(`${server.url}/${page}.html?utm_source=google&utm_medium=cpc&gclid=bench`, { waitUntil: 'load' });
    await tab.waitForTimeout(300);
    const out = await tab.evaluate(() => {
      const countIn = (root, re) => { const w = document.createTreeWalker(root, 4, { acceptNode: (n) => (n.parentElement && n.parentElement.closest('script,style') ? 2 : 1) }); let c = 0; while (w.nextNode()) c += (w.currentNode.data.match(re) || []).length; return c; };
      countIn(document.body, /555\D{0,3}123\D{0,3}4567/g);
      const w0 = performance.now(); const w = document.createTreeWalker(document.body, 4); let c = 0; while (w.nextNode()) c += w.currentNode.data.length; const walk = performance.now() - w0;
      const s0 = performance.now(); window.Consentline.acceptAll(); const ms = performance.now() - s0;
      return { walk, ms, left: countIn(document.body, /555\D{0,3}123\D{0,3}4567/g) };
    });
    if (page === 'dni' && out.left) console.log('numbers left!', name, out.left);
    res[name][page].push(out.ms); if (page === 'dni') res[name].walk.push(out.walk);
    await ctx.close();
  }
}
for (const n of names) { const x = res[n]; const t = med(x.twin); const ratios = x.dni.map((d, i) => (d - t) / x.walk[i]); console.log(`${n}\n   ${cpu}x dni-call ${med(x.dni).toFixed(1)} twin ${t.toFixed(1)} walk ${med(x.walk).toFixed(1)} dniPart ${(med(x.dni) - t).toFixed(1)} medRatio ${med(ratios).toFixed(2)} ratioOfMed ${((med(x.dni) - t) / med(x.walk)).toFixed(2)}`); }
await browser.close(); await server.close();
