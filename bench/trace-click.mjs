// Where the click on "Accept all" spends its time, from a Chrome trace: cold loads of the bench page
// for each build or peer (loads interleaved), then the click as the bench makes it (probe injected,
// `page.mouse.click` at the button's centre), traced until the held-back scripts have run. Playwright
// sends the move, the press and the release at once, so their timeStamps are within a millisecond
// and the handling of the move and the press falls after the mouse-up's timeStamp, where the bench's
// accept -> active starts. Per build, medians over loads, in the renderer main thread's own time
// (`tdur`, which other processes do not stretch): each input's handler (move, press, release with
// the click inside) and the style recalcs and layouts in it; from the mouse-up's timeStamp to the
// click's dispatch and from there to the end, the style, layout, paint, garbage collection, script,
// fetch starts and cookie writes; each input event's latency (dispatch - timeStamp).
// --events prints the first load's main-thread events over 0.3 ms, in ms from the mouse-up's
// timeStamp; --early starts the trace before the wait after load (what ran before the click).
// --resources adds, per held-back script, when its fetch started, its response ended and it ran (ms
// after the click's timeStamp, from Resource Timing), and the garbage collections' reasons.
// --gc-first collects garbage (V8's gc(), Chromium started with --expose-gc) once the page is ready,
// for every target: a page on which nothing has been collected yet starts its first collection at
// the next allocation check after loading ends (V8's "fallback for embedder limit"), which on an
// idle bench page is the click; a library whose load allocated enough for a collection has none.
//   node bench/trace-click.mjs [--runs 5] [--cpu 4] [--wait 300] [--events] [--early] [--resources] [--gc-first] name|dir ...
//   a name is a peer's page (klaro); a directory is a build of ours (a copy of dist/).
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { launchBenchBrowser } from './browser.mjs';
import { buildBody, buildPage } from './page.mjs';
import { startBenchServer } from './server.mjs';
import { describe } from './stats.mjs';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    runs: { type: 'string', default: '5' },
    cpu: { type: 'string', default: '4' },
    wait: { type: 'string', default: '300' },
    events: { type: 'boolean', default: false },
    early: { type: 'boolean', default: false },
    resources: { type: 'boolean', default: false },
    'gc-first': { type: 'boolean', default: false },
  },
});
const runs = Number(values.runs);
const cpu = Number(values.cpu);
const targets = positionals.length ? positionals : ['dist', 'klaro'];
const PROBE = readFileSync(new URL('./probe.js', import.meta.url), 'utf8');
const body = buildBody();
const pages = {};
const mounts = [];
targets.forEach((t, i) => {
  if (existsSync(t)) {
    pages[`/t${i}.html`] = buildPage('consentline', { body }).replace(
      '/dist/consentline.min.js',
      `/t${i}/consentline.min.js`,
    );
    mounts.push([`/t${i}/`, resolve(t)]);
  } else pages[`/t${i}.html`] = buildPage(t, { body });
});
const server = await startBenchServer({ pages, mounts });
const browser = await launchBenchBrowser(values['gc-first'] ? ['--js-flags=--expose-gc'] : []);
const CATEGORIES = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8', 'blink', 'input', 'benchmark'];
const rows = targets.map(() => []);
// Each input event's timeStamp and the moment its dispatch began (capture on window, first).
const INPUTS = `window.__inputs = [];
for (const type of ['pointermove', 'mousemove', 'pointerdown', 'mousedown', 'pointerup', 'mouseup', 'click'])
  addEventListener(type, (e) => { if (e.isTrusted) window.__inputs.push({ type, stamp: e.timeStamp, at: performance.now() }); }, true);`;

const oneLoad = async (i, r) => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
  try {
    await context.addInitScript(PROBE);
    await context.addInitScript(INPUTS);
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: cpu });
    await page.goto(`${server.url}/t${i}.html`, { waitUntil: 'load' });
    await page.evaluate(() => window.__bench.ready);
    if (values['gc-first']) await page.evaluate(() => window.gc());
    if (values.early) await browser.startTracing(page, { categories: CATEGORIES });
    await page.waitForTimeout(Number(values.wait));
    const rect = await page.evaluate(() => window.__bench.locate());
    if (!values.early) await browser.startTracing(page, { categories: CATEGORIES });
    await page.mouse.click(rect.x, rect.y);
    await page.evaluate(() =>
      Promise.race([window.__bench.active, new Promise((r) => setTimeout(() => r(false), 5000))]),
    );
    await page.waitForTimeout(50);
    const events = JSON.parse((await browser.stopTracing()).toString()).traceEvents;
    const seen = await page.evaluate(() => ({
      inputs: window.__inputs,
      click: window.__bench.click,
      ran: window.__bench.ran,
      writes: window.__bench.writes,
      held: performance
        .getEntriesByType('resource')
        .filter((e) => e.name.includes('/held/'))
        .map((e) => ({ name: e.name.split('/').pop().replace('.js', ''), start: e.startTime, end: e.responseEnd })),
    }));
    return summarise(events, seen, r === 0);
  } finally {
    await context.close();
  }
};

// The renderer's main thread (the one that dispatched the click), aligned to the page's clock by
// the click's dispatch; phases in the page's time: the mouse-up's timeStamp (where the bench's
// accept -> active starts) to the click's dispatch, and the dispatch to the last held-back script.
const GC = /^(MinorGC|MajorGC|V8\.GCIncrementalMarking|V8\.GCFinalizeMC|BlinkGC\.AtomicPhase)$/;
const TASK = /^(RunTask|ThreadControllerImpl::RunTask)$/;
const KINDS = {
  style: (e) => e.name === 'UpdateLayoutTree',
  layout: (e) => e.name === 'Layout',
  paint: (e) => ['Paint', 'PrePaint', 'Layerize', 'Commit', 'UpdateLayer'].includes(e.name),
  gc: (e) => GC.test(e.name),
  script: (e) => e.name === 'FunctionCall' || e.name === 'EvaluateScript',
  fetch: (e) => e.name === 'ResourceFetcher::requestResource',
  cookie: (e) => e.name === 'CookieJar::SetCookie',
};
const summarise = (events, seen, print) => {
  const clicks = events.filter((e) => e.name === 'EventDispatch' && e.ph === 'X' && e.args?.data?.type === 'click');
  const click = clicks.at(-1);
  const thread = `${click.pid}:${click.tid}`;
  const on = events.filter((e) => `${e.pid}:${e.tid}` === thread && e.ph === 'X' && e.dur !== undefined);
  const mine = seen.inputs.filter((x) => x.type === 'click').at(-1);
  const toPage = (ts) => ts / 1000 - (click.ts / 1000 - mine.at);
  const up = seen.inputs.filter((x) => x.type === 'mouseup').at(-1);
  const stored = seen.writes.filter((w) => w[0] >= seen.click).map((w) => w[0]);
  const end = Math.max(...Object.values(seen.ran), ...stored);
  const out = { 'accept -> active': end - seen.click };
  for (const x of seen.inputs) out[`${x.type} latency`] = x.at - x.stamp;
  if (values.resources) {
    for (const h of seen.held) {
      out[`${h.name}: fetch start`] = h.start - seen.click;
      out[`${h.name}: response end`] = h.end - seen.click;
      out[`${h.name}: ran`] = seen.ran[h.name] - seen.click;
    }
    if (print)
      for (const e of events.filter(
        (e) =>
          `${e.pid}:${e.tid}` === thread && ['V8.GCIncrementalMarkingStart', 'MajorGC', 'MinorGC'].includes(e.name),
      ))
        console.log(
          `garbage collection ${(toPage(e.ts) - seen.click).toFixed(1)} ms after the click: ${e.name} ${e.args?.value?.reason ?? e.args?.type ?? ''} (${e.args?.value?.gc_reason ?? ''})`,
        );
  }
  const phases = [
    ['before up', Math.min(...seen.inputs.map((x) => x.stamp)), up.stamp],
    ['up..click', up.stamp, mine.at],
    ['click..end', mine.at, end],
  ];
  for (const [name, from, to] of phases) {
    out[`${name}: wall`] = to - from;
    const inside = on.filter((e) => toPage(e.ts) >= from && toPage(e.ts) < to);
    // Thread time (tdur) where the trace has it: what the main thread itself spent, whatever else
    // the machine was running.
    out[`${name}: tasks cpu`] = inside
      .filter((e) => TASK.test(e.name))
      .reduce((s, e) => s + (e.tdur ?? e.dur) / 1000, 0);
    for (const [kind, match] of Object.entries(KINDS))
      out[`${name}: ${kind} cpu`] = inside.filter(match).reduce((s, e) => s + (e.tdur ?? e.dur) / 1000, 0);
  }
  // Each input's handling on the main thread (move, press, release with the click inside): its
  // thread time, and the style recalcs and layouts inside it.
  const nested = (outer, match) =>
    on.filter((e) => e !== outer && match(e) && e.ts >= outer.ts && e.ts + e.dur <= outer.ts + outer.dur);
  for (const handler of on.filter((e) => e.name === 'WidgetBaseInputHandler::OnHandleInputEvent')) {
    const type = nested(handler, (e) => e.name === 'EventDispatch')[0]?.args?.data?.type?.replace(
      /^(pointer|mouse)/,
      '',
    );
    if (!type) continue;
    const cpu = (list) => list.reduce((s, e) => s + (e.tdur ?? e.dur) / 1000, 0);
    out[`${type} handler cpu`] = cpu([handler]);
    out[`${type} handler style cpu`] = cpu(nested(handler, KINDS.style));
    out[`${type} handler layout cpu`] = cpu(nested(handler, KINDS.layout));
  }
  if (print && values.events) {
    console.log(
      `events from the first input, ms after the mouse-up's timeStamp (${seen.inputs.map((x) => `${x.type} ${(x.stamp - up.stamp).toFixed(1)}/${(x.at - up.stamp).toFixed(1)}`).join(', ')}):`,
    );
    for (const e of on.filter(
      (e) => toPage(e.ts) >= phases[0][1] - (values.early ? 1e9 : 5) && toPage(e.ts) <= end && e.dur > 300,
    ))
      console.log(
        `  ${(toPage(e.ts) - up.stamp).toFixed(2).padStart(8)} ${(e.dur / 1000).toFixed(2).padStart(6)} ${((e.tdur ?? 0) / 1000).toFixed(2).padStart(6)} ${e.name} ${e.args?.data?.type ?? e.args?.elementCount ?? ''}`,
      );
  }
  return out;
};

try {
  for (let r = 0; r < runs; r++) {
    const order = targets.map((_, i) => (r % 2 ? targets.length - 1 - i : i));
    for (const i of order) rows[i].push(await oneLoad(i, r));
  }
} finally {
  await browser.close();
  await server.close();
}
const keys = [...new Set(rows.flatMap((rs) => rs.flatMap((r) => Object.keys(r))))];
console.log(`medians over ${runs} loads at ${cpu}x, ms: ${targets.join(' | ')}`);
for (const key of keys) {
  const cells = rows.map((rs) => describe(rs.map((r) => r[key]).filter((v) => typeof v === 'number'))?.median);
  console.log(`${key.padEnd(22)} ${cells.map((c) => (c === undefined ? '-' : c.toFixed(2)).padStart(8)).join(' ')}`);
}
