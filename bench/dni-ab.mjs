// A/B of call tracking's consent call between builds of dist/consentline.min.js: the bench's own
// DNI loads and in-page measure (bench/dni.mjs), builds interleaved in alternating order. Prints, per
// build, DNI's part (the work of the call and of the tasks it queued up to the last number swapped,
// minus the twin page's median) against the bare text walk, as the median of per-load ratios and as
// the ratio of the medians; the longest task of the SDK's own; when the last number was swapped.
// Also the number of tasks the call queued that ran before the last number was shown (a count, so
// it holds on a loaded machine).
// usage: node bench/dni-ab.mjs <runs> <cpu rate> <a> <b> [...]
//   each build is a min.js file, or a directory holding consentline.min.js and dni.js (the
//   add-on's integrity is baked into the SDK, so a change to call tracking needs both).
//   dist/ is not tracked: build each version (npm run build) and copy it aside first.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { launchBenchBrowser } from './browser.mjs';
import { DNI_PAGE, TWIN_PAGE, buildDniPage, measureDniLoad } from './dni.mjs';
import { startBenchServer } from './server.mjs';
import { describe } from './stats.mjs';

const [runs, cpu, ...files] = process.argv.slice(2);
if (!files.length) throw new Error('usage: node bench/dni-ab.mjs <runs> <cpu rate> <a.min.js> <b.min.js> [...]');
const pages = { [DNI_PAGE]: buildDniPage().html, [TWIN_PAGE]: buildDniPage({ dni: false }).html };
const server = await startBenchServer({ pages });
const browser = await launchBenchBrowser();
const read = (file) => {
  if (!statSync(file).isDirectory()) return { script: readFileSync(file), files: {} };
  const files = {};
  for (const name of ['dni.js', 'dni-pool.js'])
    if (existsSync(join(file, name))) files[name] = readFileSync(join(file, name));
  return { script: readFileSync(join(file, 'consentline.min.js')), files };
};
const builds = files.map((file) => ({ file, ...read(file), loads: [], twins: [] }));
try {
  for (let r = 0; r < +runs; r++) {
    for (const b of r % 2 ? [...builds].reverse() : builds) {
      for (const twin of [true, false]) {
        const m = await measureDniLoad(browser, {
          url: server.url + (twin ? TWIN_PAGE : DNI_PAGE),
          cpu: +cpu,
          twin,
          script: b.script,
          files: b.files,
        });
        if (m.missing) throw new Error(`${b.file}: ${m.missing}`);
        (twin ? b.twins : b.loads).push(m);
      }
    }
  }
} finally {
  await browser.close();
  await server.close();
}
const med = (a) => describe(a)?.median ?? NaN;
for (const b of builds) {
  const rest = med(b.twins.map((t) => t.acceptMs));
  const part = b.loads.map((l) => l.swapMs - rest);
  const walk = med(b.loads.map((l) => l.walkMs));
  console.log(
    `${b.file}\n   ${cpu}x consent call to last number ${med(b.loads.map((l) => l.swapMs)).toFixed(1)} ms of work, without DNI ${rest.toFixed(1)} ms, bare walk ${walk.toFixed(1)} ms: DNI's part ${med(part).toFixed(1)} ms = ${med(part.map((p, i) => p / b.loads[i].walkMs)).toFixed(2)}x the walk (median of ratios), ${(med(part) / walk).toFixed(2)}x (ratio of medians); longest SDK task ${med(b.loads.map((l) => l.sdkLongest)).toFixed(1)} ms (max ${Math.max(...b.loads.map((l) => l.sdkLongest)).toFixed(1)}), number on screen ${med(b.loads.map((l) => l.latencyMs)).toFixed(0)} ms after the call, ${med(b.loads.map((l) => l.hops ?? NaN))} task(s) after it (${b.loads.map((l) => l.hops ?? '?').join(' ')})`,
  );
}
