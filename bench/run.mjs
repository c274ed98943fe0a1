#!/usr/bin/env node
// `npm run bench`: Consentline side by side with vanilla-cookieconsent, klaro and tarteaucitron on one
// identical page, cold loads in fresh browser contexts, libraries interleaved with a rotating order,
// at 1x and 4x CPU. Writes bench/results/latest.json (every run) and bench/results/summary.md.
//
//   node bench/run.mjs [--runs 15] [--only consentline,klaro] [--cpu 1,4] [--no-dni]
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const benchDir = dirname(fileURLToPath(import.meta.url));
const root = resolve(benchDir, '..');
const PEERS = ['consentline', 'vanilla-cookieconsent', 'klaro', 'tarteaucitron'];

function parseArgs(argv) {
  const opts = { runs: 15, only: PEERS, cpu: [1, 4], dni: true, out: join(benchDir, 'results') };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    const value = () => inline ?? argv[++i];
    if (flag === '--runs') opts.runs = Math.max(1, Number.parseInt(value(), 10) || 15);
    else if (flag === '--only')
      opts.only = value()
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
    else if (flag === '--cpu')
      opts.cpu = value()
        .split(',')
        .map(Number)
        .filter((n) => n >= 1);
    else if (flag === '--no-dni') opts.dni = false;
    else if (flag === '--out') opts.out = resolve(value());
    else if (flag === '--help' || flag === '-h') {
      console.log(
        'node bench/run.mjs [--runs N] [--only name[,name]] [--cpu 1,4] [--no-dni] [--out dir]\nnames: ' +
          PEERS.join(', '),
      );
      process.exit(0);
    } else throw new Error(`unknown option ${argv[i]}`);
  }
  const unknown = opts.only.filter((n) => !PEERS.includes(n));
  if (unknown.length) throw new Error(`--only: unknown ${unknown.join(', ')} (known: ${PEERS.join(', ')})`);
  if (!opts.cpu.length) throw new Error('--cpu: give rates such as 1,4');
  return opts;
}

const opts = parseArgs(process.argv.slice(2));

// The peers live in bench/node_modules, pinned by bench/package-lock.json.
const { ensurePeers, sizeOfPaths, STATIC_ASSETS, SIZE_RATIO_TARGET } = await import('./sizes.mjs');
ensurePeers();

const { launchBenchBrowser } = await import('./browser.mjs');
const { buildBody } = await import('./page.mjs');
const { startLibraryPages } = await import('./server.mjs');
const { measureLoad } = await import('./measure.mjs');
const { describe } = await import('./stats.mjs');
const { renderConsole, renderMarkdown } = await import('./report.mjs');
const { runDni } = await import('./dni.mjs');

const started = Date.now();
const ourBuild = existsSync(join(root, 'dist', 'consentline.min.js'));
const libs = opts.only.filter((n) => n !== 'consentline' || ourBuild);
const names = ['bare', ...libs];

const body = buildBody();
const server = await startLibraryPages(names, { body });

const browser = await launchBenchBrowser();

const machine = {
  date: new Date().toISOString(),
  nproc: availableParallelism(),
  cpu: cpus()[0]?.model ?? 'unknown',
  browser: `Chromium ${browser.version()}`,
  node: process.version,
  runs: opts.runs,
  cpuRates: opts.cpu,
};
console.log(
  `Bench: ${names.join(', ')} | ${opts.runs} runs x ${opts.cpu.map((c) => `${c}x`).join(', ')} CPU | ${body.elements} elements | ${machine.browser} | ${machine.nproc} x ${machine.cpu}`,
);
if (!ourBuild && opts.only.includes('consentline'))
  console.log('dist/consentline.min.js is missing: Consentline is reported n/a (run `npm run build`).');

const rows = [];
const noBanner = new Set(['bare']);
let dni = { status: 'n/a', reason: ourBuild ? 'not selected' : 'no build' };
try {
  // One unrecorded warm-up load each, so the first measured library does not pay for the browser's start.
  for (const name of names)
    await measureLoad(browser, { url: `${server.url}/${name}.html`, cpu: 1, expectBanner: false });
  for (let round = 0; round < opts.runs; round++) {
    for (const cpu of opts.cpu) {
      const order = names.map((_, i) => names[(i + round) % names.length]);
      for (const name of order) {
        const load = { url: `${server.url}/${name}.html`, cpu, expectBanner: !noBanner.has(name) };
        // Script time comes from a trace, in a load of its own (no click): recording one lengthens
        // the page's tasks, so every other figure comes from a load without one. Which of the two
        // goes first alternates by round.
        const pair = [
          () => measureLoad(browser, { ...load, trace: false }),
          () => measureLoad(browser, { ...load, trace: true, click: false }),
        ];
        if (round % 2) pair.reverse();
        const [first, second] = [await pair[0](), await pair[1]()];
        const [row, traced] = round % 2 ? [second, first] : [first, second];
        rows.push({ name, round, ...row, scriptMs: traced.scriptMs, scriptCpuMs: traced.scriptCpuMs });
        // A library that shows no banner once (ours before the UI exists) is not waited for again.
        if (name !== 'bare' && row.clickable === null && !noBanner.has(name)) {
          noBanner.add(name);
          console.log(`  ${name}: no clickable "Accept all" within 5 s; its banner figures are n/a`);
        }
      }
    }
    process.stdout.write(`  round ${round + 1}/${opts.runs} done (${((Date.now() - started) / 1000).toFixed(0)} s)\n`);
  }
  if (opts.dni && libs.includes('consentline'))
    dni = await runDni(browser, {
      serverUrl: server.url,
      pages: server.pages,
      cpus: opts.cpu,
      runs: Math.min(opts.runs, 9),
    });
} finally {
  await browser.close();
  await server.close();
}

// Sizes: the files each page referenced for the library plus whatever the library fetched itself.
const sizes = {};
for (const name of opts.only) {
  const requested = rows
    .filter((r) => r.name === name)
    .flatMap((r) => r.before.requests)
    .filter((p) => p.startsWith('/lib/') || p.startsWith('/dist/'));
  sizes[name] = ourBuild || name !== 'consentline' ? sizeOfPaths([...STATIC_ASSETS[name], ...requested]) : null;
}

const METRICS = [
  'fcp',
  'clickable',
  'clickableMinusFcp',
  'scriptMs',
  'tbt',
  'tbtLoad',
  'tbtOwn',
  'longTasks',
  'libLongTasks',
  'sdkLongTasks',
  'cls',
  'active',
  'deadClicks',
  'taskMs',
];
const summary = {};
for (const name of names) {
  summary[name] = {};
  for (const cpu of opts.cpu) {
    const mine = rows.filter((r) => r.name === name && r.cpu === cpu);
    const s = Object.fromEntries(METRICS.map((m) => [m, describe(mine.map((r) => r[m]))]));
    const bare = rows.filter((r) => r.name === 'bare' && r.cpu === cpu);
    const bareScript = describe(bare.map((r) => r.scriptMs));
    s.addedScriptMs =
      s.scriptMs && bareScript
        ? { median: s.scriptMs.median - bareScript.median, iqr: s.scriptMs.iqr, q1: null, q3: null, n: s.scriptMs.n }
        : null;
    // The whole load's blocking time after FCP over the bare page's: the SDK's share of TBT, as
    // script time is (the raw TBT before the banner counts the page's own parsing and layout).
    const bareTbt = describe(bare.map((r) => r.tbtLoad));
    s.addedTbt =
      s.tbtLoad && bareTbt
        ? { median: s.tbtLoad.median - bareTbt.median, iqr: s.tbtLoad.iqr, q1: null, q3: null, n: s.tbtLoad.n }
        : null;
    const union = (key) => [...new Set(mine.flatMap((r) => r.before[key]))];
    s.before = {
      cookies: union('cookies'),
      localStorage: union('localStorage'),
      sessionStorage: union('sessionStorage'),
      writes: union('writes'),
      requests: union('requests').filter((p) => !p.startsWith(`/${name}.html`)),
      heldRan: union('heldRan'),
    };
    s.errors = [...new Set(mine.flatMap((r) => r.errors))];
    s.bannerShown = name !== 'bare' && !noBanner.has(name);
    summary[name][cpu] = s;
  }
}
for (const name of opts.only) if (!names.includes(name)) summary[name] = null;

// Targets, as ratios measured in this run.
const med = (name, cpu, metric) => summary[name]?.[cpu]?.[metric]?.median ?? null;
const ratio = (a, b) => (a === null || b === null || b === 0 ? null : a / b);
const targets = [];
if (opts.only.includes('consentline')) {
  const cc = 'vanilla-cookieconsent';
  const ours = sizes.consentline?.brotli ?? null;
  // Sizes need no browser: vanilla-cookieconsent's are known even when --only leaves it out.
  const theirs = (sizes[cc] ?? sizeOfPaths(STATIC_ASSETS[cc]))?.brotli ?? null;
  targets.push({
    id: 'size',
    text: `IIFE brotli <= ${SIZE_RATIO_TARGET} x vanilla-cookieconsent JS+CSS`,
    value: ratio(ours, theirs),
    limit: SIZE_RATIO_TARGET,
    detail: `${ours ?? 'n/a'} / ${theirs ?? 'n/a'} B`,
  });
  for (const cpu of opts.cpu) {
    const gap = med('consentline', cpu, 'clickableMinusFcp');
    targets.push({
      id: `clickable-${cpu}x`,
      text: `banner clickable <= 1 frame (16.7 ms) after FCP at ${cpu}x`,
      value: gap,
      limit: 1000 / 60,
      unit: 'ms',
      detail: gap === null ? 'no banner' : `${gap.toFixed(1)} ms after FCP`,
    });
  }
  for (const cpu of opts.cpu) {
    const a = summary.consentline?.[cpu]?.addedScriptMs?.median ?? null;
    const b = summary[cc]?.[cpu]?.addedScriptMs?.median ?? null;
    targets.push({
      id: `script-${cpu}x`,
      text: `added script time <= 0.3 x vanilla-cookieconsent's at ${cpu}x`,
      value: ratio(a, b),
      limit: 0.3,
      detail: `${a?.toFixed(1) ?? 'n/a'} / ${b?.toFixed(1) ?? 'n/a'} ms`,
    });
  }
  const top = Math.max(...opts.cpu);
  const caused = rows
    .filter((r) => r.name === 'consentline' && r.cpu === top && r.clickable !== null)
    .map((r) => r.sdkLongTasks);
  const lt = caused.length ? Math.max(...caused) : null;
  targets.push({
    id: 'longtasks',
    text: `zero long tasks caused by the SDK at ${top}x (worst load)`,
    value: lt,
    limit: 0,
    unit: 'tasks',
    detail:
      lt === null
        ? 'n/a'
        : `max ${lt}, median ${med('consentline', top, 'sdkLongTasks')}, in ${caused.filter((n) => n > 0).length} of ${caused.length} loads`,
  });
  for (const cpu of opts.cpu) {
    const a = med('consentline', cpu, 'active');
    const b = med('klaro', cpu, 'active');
    targets.push({
      id: `active-${cpu}x`,
      text: `accept -> active <= klaro's at ${cpu}x`,
      value: ratio(a, b),
      limit: 1,
      detail: `${a?.toFixed(1) ?? 'n/a'} / ${b?.toFixed(1) ?? 'n/a'} ms`,
    });
  }
  // The rows the look/size/speed issue names as done: script time at most vanilla-cookieconsent's,
  // TBT 0 at the top rate, and call tracking's latency (16 ms at 1x, 50 ms at 4x, no task over 50 ms).
  for (const cpu of opts.cpu) {
    const a = summary.consentline?.[cpu]?.addedScriptMs?.median ?? null;
    const b = summary[cc]?.[cpu]?.addedScriptMs?.median ?? null;
    targets.push({
      id: `script-peer-${cpu}x`,
      text: `added script time <= vanilla-cookieconsent's at ${cpu}x`,
      value: ratio(a, b),
      limit: 1,
      detail: `${a?.toFixed(1) ?? 'n/a'} / ${b?.toFixed(1) ?? 'n/a'} ms`,
    });
  }
  const tbt = med('consentline', top, 'tbt');
  targets.push({ id: 'tbt', text: `TBT 0 at ${top}x`, value: tbt, limit: 0, unit: 'ms', detail: `${tbt ?? 'n/a'} ms` });
  const addedTbt = med('consentline', top, 'addedTbt');
  targets.push({
    id: 'tbt-added',
    text: `TBT added over the bare page 0 at ${top}x`,
    value: addedTbt,
    limit: 0,
    unit: 'ms',
    detail: `${addedTbt?.toFixed(1) ?? 'n/a'} ms (whole load after FCP)`,
  });
  const ownTbt = med('consentline', top, 'tbtOwn');
  targets.push({
    id: 'tbt-own',
    text: `blocking time of the SDK's own script 0 at ${top}x`,
    value: ownTbt,
    limit: 0,
    unit: 'ms',
    detail: `${ownTbt?.toFixed(1) ?? 'n/a'} ms (over 50 ms in the tasks it ran in, whole load)`,
  });
  const DNI_LATENCY = { 1: 16, 4: 50 };
  for (const row of dni.rows ?? []) {
    const limit = DNI_LATENCY[row.cpu];
    if (limit === undefined) continue;
    const latency = row.latencyMs?.median ?? null;
    targets.push({
      id: `dni-latency-${row.cpu}x`,
      text: `DNI: last number <= ${limit} ms after the consent call at ${row.cpu}x`,
      value: latency,
      limit,
      unit: 'ms',
      detail: `${latency?.toFixed(1) ?? 'n/a'} ms`,
    });
    targets.push({
      id: `dni-task-${row.cpu}x`,
      text: `DNI: no SDK task over 50 ms at ${row.cpu}x (worst load)`,
      value: row.sdkLongestMax,
      limit: 50,
      unit: 'ms',
      detail: `${row.sdkLongestMax.toFixed(1)} ms`,
    });
  }
  for (const t of targets) t.met = t.value === null ? null : t.value <= t.limit;
}

machine.seconds = Math.round((Date.now() - started) / 1000);
const result = {
  machine,
  options: { runs: opts.runs, only: opts.only, cpu: opts.cpu },
  page: { elements: body.elements },
  sizes,
  summary,
  targets,
  dni,
  rows,
};
mkdirSync(opts.out, { recursive: true });
writeFileSync(join(opts.out, 'latest.json'), JSON.stringify(result, null, 1));
writeFileSync(join(opts.out, 'summary.md'), renderMarkdown(result));
console.log(renderConsole(result));
console.log(`\nWrote ${join(opts.out, 'latest.json')} and summary.md in ${machine.seconds} s.`);
