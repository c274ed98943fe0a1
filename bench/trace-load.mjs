// Where a library's load-time cost goes, from a Chrome trace rather than samples: cold loads of the
// bench page for one library (fresh context each, optional CPU throttling), a devtools timeline
// trace up to the moment the bench reads its metrics (300 ms after load), then per load on average:
// the library's script events (EvaluateScript, FunctionCall, timers, idle callbacks) with the
// function each call ran, and the browser work nested inside them (frame creation, cookie reads,
// style sheet parsing, forced layouts). Under load only the shares mean something.
//   node bench/trace-load.mjs [--lib consentline] [--runs 5] [--cpu 1] [--dir dist] [--top 30]
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { launchBenchBrowser } from './browser.mjs';
import { startLibraryPages } from './server.mjs';

const { values } = parseArgs({
  options: {
    lib: { type: 'string', default: 'consentline' },
    runs: { type: 'string', default: '5' },
    cpu: { type: 'string', default: '1' },
    dir: { type: 'string', default: 'dist' },
    top: { type: 'string', default: '30' },
  },
});
const { lib, dir } = values;
const runs = Number(values.runs);
const cpu = Number(values.cpu);
const top = Number(values.top);

const SCRIPT_EVENTS = new Set(['EvaluateScript', 'FunctionCall', 'TimerFire', 'FireIdleCallback', 'v8.compile']);
const OWN = /\/(dist|lib)\//;
const urlOf = (e) => String(e.args?.data?.url ?? e.args?.data?.stackTrace?.[0]?.url ?? '');

const mounts = dir === 'dist' ? [] : [['/dist/', resolve(dir)]];
const server = await startLibraryPages([lib], { mounts });
const browser = await launchBenchBrowser();
const totals = new Map();
const add = (key, us) => totals.set(key, (totals.get(key) ?? 0) + us);
try {
  for (let i = 0; i < runs; i++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: cpu });
    await browser.startTracing(page, { categories: ['devtools.timeline', 'v8', 'blink'] });
    await page.goto(`${server.url}/${lib}.html`, { waitUntil: 'load' });
    await page.waitForTimeout(300);
    const events = JSON.parse((await browser.stopTracing()).toString()).traceEvents;
    const complete = events.filter((e) => e.ph === 'X' && e.dur !== undefined);
    for (const e of complete) {
      if (!SCRIPT_EVENTS.has(e.name) || !OWN.test(urlOf(e))) continue;
      const where = urlOf(e).replace(/^.*\/(dist|lib)\//, '$1/');
      add(`${e.name} ${where}`, e.dur);
      if (e.name === 'FunctionCall') add(`  function ${e.args.data.functionName || '(anonymous)'}`, e.dur);
      for (const c of complete) {
        if (c !== e && c.tid === e.tid && c.ts >= e.ts && c.ts + c.dur <= e.ts + e.dur && c.name !== 'v8.run')
          add(`    inside ${e.name}: ${c.name}`, c.dur);
      }
    }
    await context.close();
  }
} finally {
  await browser.close();
  await server.close();
}
console.log(`${lib}, ${runs} loads at ${cpu}x, ms per load (nested events overlap their parents):`);
for (const [key, us] of [...totals].sort((a, b) => b[1] - a[1]).slice(0, top))
  console.log(`${(us / runs / 1000).toFixed(2).padStart(8)}  ${key}`);
