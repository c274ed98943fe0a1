// A/B of the load between builds of the SDK, with the bare page and vanilla-cookieconsent in the
// same rounds: cold loads of the bench page (bench/page.mjs), interleaved in an order that rotates
// each round, measured as `npm run bench` does (bench/measure.mjs). Prints per CPU rate and page the
// medians of the added script time (minus the bare page's median) as the bench reads it (wall time,
// microtasks included: bench/script-time.mjs), as CPU time (which other processes on a shared machine
// do not stretch: compare builds by it) and as CDP's ScriptDuration; style
// recalc time, TBT, clickable − FCP and long tasks; each build's ratio to the first build and to
// vanilla-cookieconsent: on a shared machine only the ratios of paired runs mean something.
// usage: node bench/load-ab.mjs [--trace-ab] <runs> <cpu rates, e.g. 1,4> <dir a> [<dir b> ...]
//   each directory holds a build's consentline.min.js (dist/ is not tracked: build each version
//   with npm run build and copy dist/ aside first). Script time comes from loads recorded with a
//   trace; TBT, clickable − FCP, long tasks and CLS from the same build's loads without one, in the
//   same rounds (the trace lengthens tasks: see docs/benchmarks.md). --trace-ab prints the
//   task figures of both kinds of load side by side instead.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { launchBenchBrowser } from './browser.mjs';
import { measureLoad } from './measure.mjs';
import { buildBody, buildPage } from './page.mjs';
import { ensurePeers } from './sizes.mjs';
import { startBenchServer } from './server.mjs';
import { describe } from './stats.mjs';

const { values, positionals } = parseArgs({
  options: { 'trace-ab': { type: 'boolean', default: false } },
  allowPositionals: true,
});
const [runs, rates, ...dirs] = positionals;
if (!dirs.length)
  throw new Error('usage: node bench/load-ab.mjs [--trace-ab] <runs> <cpu rates> <dir a> [<dir b> ...]');
ensurePeers();
const cpus = rates.split(',').map(Number);
const body = buildBody();
const ours = buildPage('consentline', { body });
const entries = [
  { name: 'bare', path: '/bare.html', html: buildPage('bare', { body }), banner: false },
  {
    name: 'vanilla-cookieconsent',
    path: '/vcc.html',
    html: buildPage('vanilla-cookieconsent', { body }),
    banner: true,
  },
  ...dirs.map((dir, i) => ({
    name: dir,
    path: `/ab${i}.html`,
    html: ours.replace('/dist/consentline.min.js', `/ab${i}/consentline.min.js`),
    banner: true,
  })),
];
const pages = Object.fromEntries(entries.map((e) => [e.path, e.html]));
const mounts = dirs.map((dir, i) => [`/ab${i}/`, resolve(dir)]);
const server = await startBenchServer({ pages, mounts });
const browser = await launchBenchBrowser();
// Each page is loaded twice a round, traced and not, in an order that rotates each round.
const rows = entries.map(() => Object.fromEntries(cpus.map((c) => [c, []])));
const untraced = entries.map(() => Object.fromEntries(cpus.map((c) => [c, []])));
const loads = entries.flatMap((_, i) => [
  { i, trace: true },
  { i, trace: false },
]);
try {
  await measureLoad(browser, { url: `${server.url}/ab0.html`, cpu: 1, expectBanner: true });
  for (let r = 0; r < +runs; r++) {
    for (const cpu of cpus) {
      const order = loads.map((_, k) => loads[(k + r) % loads.length]);
      // Swap which of a page's two loads comes first every other round.
      if (r % 2) order.reverse();
      for (const { i, trace } of order) {
        const e = entries[i];
        const m = await measureLoad(browser, { url: `${server.url}${e.path}`, cpu, expectBanner: e.banner, trace });
        if (m.errors?.length) console.log(`  ${e.name}: ${m.errors.join('; ')}`);
        (trace ? rows : untraced)[i][cpu].push(m);
      }
    }
  }
} finally {
  await browser.close();
  await server.close();
}
const med = (a) => describe(a.filter((v) => typeof v === 'number'))?.median ?? Number.NaN;
const fig = (v) => (Number.isFinite(v) ? v.toFixed(1) : '-');
// Script time as the bench reads it (wall, microtasks included), its CPU time, and CDP's ScriptDuration.
const KINDS = { scriptMs: 'script', scriptCpuMs: 'CPU', scriptDurationMs: 'ScriptDuration' };
// Loads in which the SDK caused a long task (bench/measure.mjs), and the longest long task.
// TBT before the banner, and over the whole load after FCP minus the bare page's (the SDK's share).
const tasks = (list, bare) => {
  const caused = list.filter((m) => m.sdkLongTasks > 0).length;
  const longest = med(list.map((m) => Math.max(0, ...(m.longTaskList ?? []).map(([, d]) => d))));
  const load = med(list.map((m) => m.tbtLoad));
  const added = load - med(bare.map((m) => m.tbtLoad));
  return `TBT ${fig(med(list.map((m) => m.tbt)))} ms (whole load after FCP ${fig(load)}, ${added < 0 ? '' : '+'}${fig(added)} over the bare page; its own script's ${fig(med(list.map((m) => m.tbtOwn)))}), clickable - FCP ${fig(med(list.map((m) => m.clickableMinusFcp)))} ms, long tasks ${fig(med(list.map((m) => m.longTasks)))} (longest ${fig(longest)} ms), SDK caused one in ${caused} of ${list.length}, CLS ${med(list.map((m) => m.cls)).toFixed(3)}`;
};
for (const cpu of cpus) {
  const of = (i, k) => med(rows[i][cpu].map((m) => m[k]));
  const added = (i, k) => of(i, k) - of(0, k);
  console.log(
    `${cpu}x, ${runs} loads each; bare page: script ${fig(of(0, 'scriptMs'))} ms, CPU ${fig(of(0, 'scriptCpuMs'))} ms, style ${fig(of(0, 'styleMs'))} ms; untraced: TBT after FCP ${fig(med(untraced[0][cpu].map((m) => m.tbtLoad)))} ms, long tasks ${fig(med(untraced[0][cpu].map((m) => m.longTasks)))}`,
  );
  entries.forEach((e, i) => {
    if (i === 0) return;
    const times = Object.entries(KINDS).map(([k, label]) => {
      const v = added(i, k);
      const vs = i >= 2 ? `, ${(v / added(2, k)).toFixed(2)}x the first build` : '';
      return `${label} +${fig(v)} ms (${(v / added(1, k)).toFixed(2)}x vanilla-cookieconsent${vs})`;
    });
    console.log(`  ${e.name}: ${times.join('; ')}`);
    console.log(`    style +${fig(added(i, 'styleMs'))} ms; untraced: ${tasks(untraced[i][cpu], untraced[0][cpu])}`);
    if (values['trace-ab']) console.log(`    traced:   ${tasks(rows[i][cpu], rows[0][cpu])}`);
  });
}
