// A/B of "accept -> active" between builds of the SDK: cold loads of the bench page (bench/page.mjs)
// for each build, interleaved in alternating order, then a trusted click on Accept all, measured as
// `npm run bench` does (bench/measure.mjs). Prints per build and CPU rate the medians of accept ->
// active and of the added script time, and each build's ratio to the first: on a shared machine
// only the ratios of paired runs mean something. Then the median of each round's ratio to the
// first build's load in the same round (loads next to each other share the machine's load), and
// in how many rounds it was faster.
// usage: node bench/click-ab.mjs <runs> <cpu rates, e.g. 1,4> <dir a> <dir b> [...]
//   each directory holds a build's consentline.min.js (dist/ is not tracked: build each version
//   with npm run build and copy dist/ aside first).
import { resolve } from 'node:path';
import { launchBenchBrowser } from './browser.mjs';
import { measureLoad } from './measure.mjs';
import { buildBody, buildPage } from './page.mjs';
import { startBenchServer } from './server.mjs';
import { describe } from './stats.mjs';

const [runs, rates, ...dirs] = process.argv.slice(2);
if (dirs.length < 2) throw new Error('usage: node bench/click-ab.mjs <runs> <cpu rates> <dir a> <dir b> [...]');
const cpus = rates.split(',').map(Number);
const body = buildBody();
const page = buildPage('consentline', { body });
const pages = Object.fromEntries(
  dirs.map((_, i) => [`/ab${i}.html`, page.replace('/dist/consentline.min.js', `/ab${i}/consentline.min.js`)]),
);
const mounts = dirs.map((dir, i) => [`/ab${i}/`, resolve(dir)]);
const server = await startBenchServer({ pages, mounts });
const browser = await launchBenchBrowser();
const rows = dirs.map(() => Object.fromEntries(cpus.map((c) => [c, []])));
try {
  await measureLoad(browser, { url: `${server.url}/ab0.html`, cpu: 1, expectBanner: true });
  for (let r = 0; r < +runs; r++) {
    for (const cpu of cpus) {
      const order = dirs.map((_, i) => (r % 2 ? dirs.length - 1 - i : i));
      for (const i of order) {
        const m = await measureLoad(browser, { url: `${server.url}/ab${i}.html`, cpu, expectBanner: true });
        if (m.errors?.length) console.log(`  ${dirs[i]}: ${m.errors.join('; ')}`);
        rows[i][cpu].push(m);
      }
    }
  }
} finally {
  await browser.close();
  await server.close();
}
const med = (a) => describe(a.filter((v) => typeof v === 'number'))?.median ?? NaN;
for (const cpu of cpus) {
  const base = med(rows[0][cpu].map((m) => m.active));
  const baseScript = med(rows[0][cpu].map((m) => m.scriptMs));
  dirs.forEach((dir, i) => {
    const active = med(rows[i][cpu].map((m) => m.active));
    const script = med(rows[i][cpu].map((m) => m.scriptMs));
    console.log(
      `${cpu}x ${dir}: accept -> active ${active.toFixed(1)} ms (${(active / base).toFixed(2)}x the first; loads: ${rows[i][cpu].map((m) => m.active?.toFixed(0) ?? '-').join(' ')}), script time ${script.toFixed(1)} ms (${(script / baseScript).toFixed(2)}x)`,
    );
  });
}
for (const cpu of cpus) {
  dirs.forEach((dir, i) => {
    if (!i) return;
    const ratios = rows[i][cpu].map((m, r) => m.active / rows[0][cpu][r].active).filter(Number.isFinite);
    const faster = ratios.filter((x) => x < 1).length;
    console.log(
      `${cpu}x ${dir}: per-round ratio median ${med(ratios).toFixed(2)}x (faster in ${faster}/${ratios.length} rounds)`,
    );
  });
}
