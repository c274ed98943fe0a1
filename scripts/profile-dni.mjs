// Where call tracking's consent call goes: loads the bench's DNI page (bench/dni.mjs: 10,000
// elements, 50 numbers) in Chromium, waits for the read-ahead, then profiles `acceptAll()` and the
// half second after it (100 µs samples), several times, and sums the self time of samples inside
// the SDK and the call-tracking add-on by original source function (through their source maps,
// where a build has them; `npm run build` writes one for the SDK only). Figures under load are
// shares only.
// `--call-only` keeps the samples of the call's own task (up to the first idle sample); with
// `--inclusive`, each function counts the samples with it anywhere on the stack.
//   node scripts/profile-dni.mjs [--runs 5] [--cpu 4] [--dist dist] [--call-only] [--inclusive]
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { SourceMapConsumer } from 'source-map';
import { launchBenchBrowser } from '../bench/browser.mjs';
import { DNI_PAGE, buildDniPage } from '../bench/dni.mjs';
import { startBenchServer } from '../bench/server.mjs';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    cpu: { type: 'string', default: '4' },
    dist: { type: 'string', default: 'dist' },
    'call-only': { type: 'boolean', default: false },
    inclusive: { type: 'boolean', default: false },
  },
});
const runs = Number(values.runs);
const files = ['consentline.min.js', 'dni.js'];
const maps = new Map();
for (const name of files) {
  const at = join(values.dist, `${name}.map`);
  if (existsSync(at)) maps.set(name, await new SourceMapConsumer(JSON.parse(readFileSync(at, 'utf8'))));
}
const server = await startBenchServer({ pages: { [DNI_PAGE]: buildDniPage().html } });
const browser = await launchBenchBrowser();
const self = new Map();
let total = 0;
for (let i = 0; i < runs; i++) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  for (const name of [...files, 'dni-pool.js'])
    await page.route(`**/dist/${name}`, (r) =>
      r.fulfill({ body: readFileSync(join(values.dist, name)), contentType: 'text/javascript' }),
    );
  const cdp = await context.newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: Number(values.cpu) });
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  await page.goto(`${server.url}${DNI_PAGE}?utm_source=google&utm_medium=cpc&gclid=bench`, { waitUntil: 'load' });
  await page.waitForTimeout(1500);
  await cdp.send('Profiler.start');
  await page.evaluate(() => window.Consentline.acceptAll());
  await page.waitForTimeout(500);
  const { profile } = await cdp.send('Profiler.stop');
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n);
  // A frame's key: its original source function; a native one is named with the nearest script
  // function that called it.
  const name = (f) => {
    const file = files.find((n) => f.url.endsWith(`/${n}`));
    const map = maps.get(file);
    if (!map) return `${file} ${f.functionName || '(anonymous)'}`;
    const pos = map.originalPositionFor({ line: f.lineNumber + 1, column: f.columnNumber });
    return `${(pos.source ?? '?').replace(/^.*\/src\//, 'src/')} ${pos.name ?? f.functionName ?? '(anonymous)'}:${pos.line}`;
  };
  const ours = (f) => Boolean(f.url) && files.some((n) => f.url.endsWith(`/${n}`));
  // --call-only: the samples of the call's own task, from the first in our files to the first idle.
  const inCall = new Set();
  if (values['call-only']) {
    let started = false;
    for (const [k, id] of profile.samples.entries()) {
      const f = byId.get(id).callFrame;
      if (!started) started = ours(f);
      if (started && f.functionName === '(idle)') break;
      if (started) inCall.add(k);
    }
  }
  const picked = new Map();
  profile.samples.forEach((id, k) => {
    if (!values['call-only'] || inCall.has(k)) picked.set(id, (picked.get(id) ?? 0) + (profile.timeDeltas[k + 1] ?? 0));
  });
  for (const [id, us] of picked) {
    let node = byId.get(id);
    const f = node.callFrame;
    if (['(idle)', '(program)', '(garbage collector)', '(root)'].includes(f.functionName)) continue;
    if (values.inclusive) {
      // Every function of ours on the sample's stack, once: its own time and its callees'.
      const keys = new Set();
      for (let n = node; n; n = parent.get(n.id)) if (ours(n.callFrame)) keys.add(name(n.callFrame));
      for (const key of keys) self.set(key, (self.get(key) ?? 0) + us);
      if (keys.size) total += us;
      continue;
    }
    let key;
    if (f.url) {
      if (!files.some((n) => f.url.endsWith(`/${n}`))) continue;
      key = name(f);
    } else {
      while (node && !node.callFrame.url) node = parent.get(node.id);
      if (!node || !files.some((n) => node.callFrame.url.endsWith(`/${n}`))) continue;
      key = `(native) ${f.functionName} in ${name(node.callFrame)}`;
    }
    self.set(key, (self.get(key) ?? 0) + us);
    total += us;
  }
  await context.close();
}
await browser.close();
await server.close();
console.log(
  `Sampled over ${runs} consent calls at ${values.cpu}x: ${(total / runs / 1000).toFixed(1)} ms of script per call (idle and the browser's own work left out)`,
);
for (const [key, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, values.inclusive ? 200 : 30))
  console.log(
    `${((100 * us) / total).toFixed(1).padStart(5)} %  ${(us / runs / 1000).toFixed(2).padStart(6)} ms  ${key}`,
  );
