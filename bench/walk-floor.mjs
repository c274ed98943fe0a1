// What a first ("cold") walk over a page's text nodes costs, and why: each variant runs as the
// first script to walk the DNI bench page's text in a fresh load, then again in the same load
// (warm). `plain` reads each node's text (as the bench's floors do), `length` only asks each node's
// length (no JS string made), `test` reads and tests each text with a pattern like DNI's cheap one,
// `gated` asks the length first and reads only nodes long enough to hold a target (DNI since
// 2026-12-05). Diagnostic only; timings are never asserted.
// usage: node bench/walk-floor.mjs [cpu rate = 1] [loads per variant = 7]
import { launchBenchBrowser } from './browser.mjs';
import { TWIN_PAGE, buildDniPage } from './dni.mjs';
import { startBenchServer } from './server.mjs';
import { describe } from './stats.mjs';

const cpu = Number(process.argv[2] ?? 1);
const runs = Number(process.argv[3] ?? 7);
const CHEAP = String.raw`5[\s\-\u2010-\u2015./()]{0,24}5[\s\-\u2010-\u2015./()]{0,24}5[\s\-\u2010-\u2015./()]{0,24}1`;
const variants = {
  plain: `let c = 0; for (const w = document.createTreeWalker(document, 12); w.nextNode(); ) c += w.currentNode.data.length; return c;`,
  length: `let c = 0; for (const w = document.createTreeWalker(document, 12); w.nextNode(); ) c += w.currentNode.length; return c;`,
  test: `const re = /${CHEAP}/; let h = 0; for (const w = document.createTreeWalker(document, 12); w.nextNode(); ) if (re.test(w.currentNode.data)) h++; return h;`,
  gated: `const re = /${CHEAP}/; let h = 0; for (const w = document.createTreeWalker(document, 12); w.nextNode(); ) { const n = w.currentNode; if (n.length > 9 && re.test(n.data)) h++; } return h;`,
};
const server = await startBenchServer({ pages: { [TWIN_PAGE]: buildDniPage({ dni: false }).html } });
const browser = await launchBenchBrowser();
const out = Object.fromEntries(Object.keys(variants).map((k) => [k, { cold: [], warm: [] }]));
try {
  for (let r = 0; r < runs; r++) {
    for (const [name, body] of Object.entries(variants)) {
      const context = await browser.newContext();
      const tab = await context.newPage();
      const cdp = await context.newCDPSession(tab);
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: cpu });
      await tab.goto(server.url + TWIN_PAGE, { waitUntil: 'load' });
      await tab.waitForTimeout(300);
      const [cold, warm] = await tab.evaluate(
        `(() => { const f = () => { ${body} }; const t0 = performance.now(); f(); const t1 = performance.now(); f(); return [t1 - t0, performance.now() - t1]; })()`,
      );
      out[name].cold.push(cold);
      out[name].warm.push(warm);
      await context.close();
    }
  }
} finally {
  await browser.close();
  await server.close();
}
const f = (a) => {
  const d = describe(a);
  return `${d.median.toFixed(1)} ±${(d.iqr / 2).toFixed(1)} ms`;
};
console.log(`${cpu}x CPU, ${runs} fresh loads per variant (medians ± IQR/2)`);
for (const [name, { cold, warm }] of Object.entries(out))
  console.log(`  ${name.padEnd(7)} first walk ${f(cold)}, second ${f(warm)}`);
