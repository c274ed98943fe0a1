// Where the SDK's script time at load goes: loads the demo page in Chromium with the CPU profiler
// on (100 µs samples), several times, and sums the self time of samples inside
// dist/consentline.min.js by original source function (through the source map). Prints the top
// items with their share of the SDK's sampled time. Figures under load are only shares, not times.
// With --click, the page loads unprofiled and the profile covers a click on "Accept all" and the
// half second after it (what accept -> active waits for). With --bench, the page is the bench's
// (bench/page.mjs: no call tracking, as the peers are measured) instead of the demo's.
// With --cpu N, the CPU is throttled N times (as the bench's 4x). With --inclusive, each function
// counts the samples with it anywhere on the stack (its callees' time and the browser's work it
// called included), and the total is the time with any SDK function on the stack. --dist names
// another build's directory (a copy of dist/).
//   node scripts/profile-load.mjs [--runs 5] [--path /] [--click] [--bench] [--cpu 1] [--inclusive] [--dist dist]
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { SourceMapConsumer } from 'source-map';
import { launchBenchBrowser } from '../bench/browser.mjs';
import { startLibraryPages } from '../bench/server.mjs';
import { startServer } from '../demo/server.mjs';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    path: { type: 'string', default: '/' },
    click: { type: 'boolean', default: false },
    bench: { type: 'boolean', default: false },
    cpu: { type: 'string', default: '1' },
    inclusive: { type: 'boolean', default: false },
    dist: { type: 'string', default: 'dist' },
  },
});
const runs = Number(values.runs);
const { click, bench, inclusive, dist } = values;
const map = await new SourceMapConsumer(JSON.parse(readFileSync(join(dist, 'consentline.min.js.map'), 'utf8')));
const mounts = dist === 'dist' ? [] : [['/dist/', resolve(dist)]];
const server = bench ? await startLibraryPages(['consentline'], { mounts }) : await startServer({ port: 0 });
const path = bench ? '/consentline.html' : values.path;
const browser = await launchBenchBrowser();
const self = new Map();
let total = 0;
for (let i = 0; i < runs; i++) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Profiler.enable');
  if (values.cpu !== '1') await cdp.send('Emulation.setCPUThrottlingRate', { rate: Number(values.cpu) });
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  if (click) {
    await page.goto(server.url + path, { waitUntil: 'load' });
    await page.waitForTimeout(1500);
    await cdp.send('Profiler.start');
    await page.getByRole('button', { name: 'Accept all' }).first().click();
    await page.waitForTimeout(500);
  } else {
    await cdp.send('Profiler.start');
    await page.goto(server.url + path, { waitUntil: 'load' });
    await page.waitForTimeout(1500); // idle work after load (warm-up, observers)
  }
  const { profile } = await cdp.send('Profiler.stop');
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const keyOf = (f) => {
    const pos = map.originalPositionFor({ line: f.lineNumber + 1, column: f.columnNumber });
    return `${(pos.source ?? '?').replace(/^.*\/src\//, 'src/')} ${pos.name ?? f.functionName ?? '(anonymous)'}:${pos.line}`;
  };
  const dt = new Map();
  profile.samples.forEach((id, k) => dt.set(id, (dt.get(id) ?? 0) + (profile.timeDeltas[k + 1] ?? 0)));
  for (const [id, us] of dt) {
    const f = byId.get(id).callFrame;
    if (inclusive) {
      // Every SDK function on the sample's stack, once: a function's own time and its callees'.
      const keys = new Set();
      for (let n = id; n !== undefined; n = parent.get(n)) {
        const frame = byId.get(n).callFrame;
        if (frame.url.endsWith('consentline.min.js')) keys.add(keyOf(frame));
      }
      for (const key of keys) self.set(key, (self.get(key) ?? 0) + us);
      if (keys.size) total += us;
      continue;
    }
    if (!f.url.endsWith('consentline.min.js')) continue;
    const key = keyOf(f);
    self.set(key, (self.get(key) ?? 0) + us);
    total += us;
  }
  await context.close();
}
await browser.close();
await server.close();
const rows = [...self].sort((a, b) => b[1] - a[1]).slice(0, inclusive ? 45 : 20);
console.log(
  `SDK ${inclusive ? 'inclusive' : 'self'} time sampled over ${runs} ${click ? 'clicks on Accept all' : 'loads'} on ${path}: ${(total / runs / 1000).toFixed(1)} ms per ${click ? 'click' : 'load'} (under the current load, shares only)`,
);
for (const [key, us] of rows) console.log(`${((100 * us) / total).toFixed(1).padStart(5)} %  ${key}`);
