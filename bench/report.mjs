// Renders a bench result as a console table and as Markdown (bench/results/summary.md, README).

const LABELS = {
  bare: 'bare page',
  consentline: 'Consentline',
  'vanilla-cookieconsent': 'vanilla-cookieconsent',
  klaro: 'klaro',
  tarteaucitron: 'tarteaucitron',
};

const num = (v, d = 1) => (v === null || v === undefined ? 'n/a' : v.toFixed(d));
const stat = (s, d = 1) =>
  s ? (s.iqr !== undefined && s.iqr !== null ? `${num(s.median, d)} ±${num(s.iqr / 2, d)}` : num(s.median, d)) : 'n/a';
const bytes = (n) => (n === null || n === undefined ? 'n/a' : n.toLocaleString('en-US'));

function beforeText(s, name) {
  if (!s) return 'n/a';
  const b = s.before;
  const writes = [
    ...new Set([
      ...b.cookies.map((c) => `cookie ${c}`),
      ...b.localStorage.map((k) => `localStorage ${k}`),
      ...b.sessionStorage.map((k) => `sessionStorage ${k}`),
    ]),
  ];
  const own = (p) => p.startsWith('/lib/') || p.startsWith('/dist/');
  const other = b.requests.filter((p) => !own(p));
  const parts = [];
  parts.push(writes.length ? writes.join(', ') : 'nothing written');
  parts.push(`${b.requests.filter(own).length} own file${b.requests.filter(own).length === 1 ? '' : 's'}`);
  if (other.length) parts.push(`other requests: ${other.join(', ')}`);
  if (b.heldRan.length) parts.push(`HELD-BACK RAN: ${b.heldRan.join(', ')}`);
  return parts.join('; ');
}

/** Table rows: one per library and CPU rate. */
function tableRows(result) {
  const out = [];
  for (const cpu of result.options.cpu) {
    for (const name of ['bare', ...result.options.only]) {
      const s = result.summary[name]?.[cpu];
      const size = result.sizes[name];
      const banner = s && s.bannerShown;
      out.push({
        library: LABELS[name] ?? name,
        cpu: `${cpu}x`,
        brotli: name === 'bare' ? '' : bytes(size?.brotli),
        fcp: stat(s?.fcp),
        clickable: banner ? stat(s.clickable) : 'n/a',
        minusFcp: banner ? stat(s.clickableMinusFcp) : 'n/a',
        script: name === 'bare' ? stat(s?.scriptMs) : s?.addedScriptMs ? `+${num(s.addedScriptMs.median)}` : 'n/a',
        tbt: banner ? stat(s.tbt, 0) : 'n/a',
        tbtAdded:
          name === 'bare'
            ? stat(s?.tbtLoad, 0)
            : `${s?.addedTbt ? `${s.addedTbt.median < 0 ? '' : '+'}${num(s.addedTbt.median, 0)}` : 'n/a'} / ${num(s?.tbtOwn?.median, 0)}`,
        longTasks: s
          ? `${num(s.longTasks?.median, 0)} / ${num(s.libLongTasks?.median, 0)} / ${num(s.sdkLongTasks?.median, 0)}`
          : 'n/a',
        cls: s ? num(s.cls?.median, 3) : 'n/a',
        active: banner
          ? `${stat(s.active)}${s.deadClicks?.q3 > 0 ? ` (${num(s.deadClicks.median, 0)}–${num(s.deadClicks.q3, 0)} dead clicks first)` : ''}`
          : 'n/a',
      });
    }
  }
  return out;
}

const HEAD = {
  library: 'library',
  cpu: 'CPU',
  brotli: 'brotli B',
  fcp: 'FCP ms',
  clickable: 'clickable ms',
  minusFcp: 'clickable − FCP',
  script: 'script ms (added)',
  tbt: 'TBT ms',
  tbtAdded: 'TBT after FCP ms (added / own)',
  longTasks: 'long tasks: all / with lib / caused',
  cls: 'CLS',
  active: 'accept → active ms',
};

const COMPARED = [
  ['clickable', 'banner clickable', 'ms'],
  ['clickableMinusFcp', 'clickable after FCP', 'ms'],
  ['addedScriptMs', 'added script time', 'ms'],
  ['tbt', 'TBT before the banner', 'ms'],
  ['addedTbt', 'TBT added over the bare page', 'ms'],
  ['tbtOwn', "blocking time of the library's own script", 'ms'],
  ['sdkLongTasks', 'long tasks caused', ''],
  ['cls', 'CLS', ''],
  ['active', 'accept → active', 'ms'],
];

/** Plain sentences naming every figure where a peer's median beats ours (lower is better for all). */
export function aheadLines(result) {
  const out = [];
  const peers = result.options.only.filter((n) => n !== 'consentline' && result.summary[n]);
  if (!result.summary.consentline || !peers.length) return out;
  const ours = result.sizes.consentline?.brotli;
  for (const p of peers) {
    const theirs = result.sizes[p]?.brotli;
    if (ours && theirs && theirs < ours)
      out.push(`${LABELS[p]} is smaller: ${bytes(theirs)} B brotli vs our ${bytes(ours)} B.`);
  }
  for (const cpu of result.options.cpu) {
    const us = result.summary.consentline[cpu];
    if (!us?.bannerShown) continue;
    for (const [key, label, unit] of COMPARED) {
      const mine = us[key]?.median;
      if (mine === undefined || mine === null) continue;
      const better = peers
        .map((p) => [p, result.summary[p][cpu]?.[key]?.median])
        .filter(([, v]) => v !== undefined && v !== null && v < mine - (unit === 'ms' ? 0.05 : 1e-9));
      const d = key === 'cls' ? 3 : 1;
      if (better.length)
        out.push(
          `${cpu}x, ${label}: ${better.map(([p, v]) => `${LABELS[p]} ${num(v, d)}${unit && ` ${unit}`}`).join(', ')} vs our ${num(mine, d)}${unit && ` ${unit}`}.`,
        );
    }
  }
  return out;
}

export function renderConsole(result) {
  const rows = tableRows(result);
  const keys = Object.keys(HEAD);
  const width = Object.fromEntries(
    keys.map((k) => [k, Math.max(HEAD[k].length, ...rows.map((r) => String(r[k]).length))]),
  );
  const line = (r) => keys.map((k) => String(r[k]).padEnd(width[k])).join(' | ');
  const out = [line(HEAD), keys.map((k) => '-'.repeat(width[k])).join('-+-'), ...rows.map(line)];
  out.push('', 'Sizes (raw / gzip -9 / brotli q11):');
  for (const name of result.options.only) {
    const s = result.sizes[name];
    out.push(
      `  ${(LABELS[name] ?? name).padEnd(22)} ${s ? `${bytes(s.raw)} / ${bytes(s.gzip)} / ${bytes(s.brotli)}  (${s.files.length} files)` : 'n/a'}`,
    );
  }
  out.push('', 'Before the choice (1x):');
  for (const name of result.options.only)
    out.push(
      `  ${(LABELS[name] ?? name).padEnd(22)} ${beforeText(result.summary[name]?.[result.options.cpu[0]], name)}`,
    );
  if (result.targets.length) {
    out.push('', 'Targets:');
    for (const t of result.targets)
      out.push(
        `  [${t.met === null ? 'n/a' : t.met ? 'met' : 'MISSED'}] ${t.text}: ${t.value === null ? 'n/a' : num(t.value, 3)} (${t.detail})`,
      );
  }
  const ahead = aheadLines(result);
  if (ahead.length) out.push('', 'Where a peer is ahead (medians):', ...ahead.map((l) => `  ${l}`));
  out.push('', `DNI: ${dniText(result.dni)}`);
  return out.join('\n');
}

function dniText(dni) {
  if (!dni || dni.status !== 'ok') return `n/a${dni?.reason ? ` (${dni.reason})` : ''}`;
  return dni.rows
    .map(
      (r) =>
        `${r.cpu}x: consent call to last number swapped ${stat(r.swapMs)} ms of work (the call with the microtasks it left, and the tasks it queued; the last number ${stat(r.latencyMs)} ms after the call, a rendered frame included) vs bare walk ${stat(r.walkMs)} ms = ${num(r.ratio?.median, 2)}x (the same call on the page without DNI, with its microtasks, ${stat(r.restMs)} ms, so DNI's part ${stat(r.dniMs)} ms = ${num(r.dniRatio?.median, 2)}x the walk, median of per-load ratios; ${num(r.dniMs?.median / r.walkMs?.median, 2)}x as a ratio of medians; against the page's first, cold walk, ${stat(r.coldWalkMs)} ms, ${num(r.dniColdRatio?.median, 2)}x); SPA +1,000 nodes ${stat(r.spaMs)} ms (vs ${stat(r.spaBareMs)} ms without DNI), ${num(r.spaBatches?.median, 0)} batch(es); longest task of the SDK's own ${stat(r.sdkLongest)} ms, worst load ${num(r.sdkLongestMax, 1)} ms (the call without DNI ${stat(r.restLongest)} ms); longest of the tasks the call queued (DNI's) ${stat(r.queuedLongest)} ms, worst load ${num(r.queuedLongestMax, 1)} ms; then the search for open shadow roots ${stat(r.afterMs)} ms in slices of ~5 ms; long tasks of any kind ${num(r.longTasks?.median, 0)} (longest ${stat(r.longestTask)} ms: the browser's rendering of the changed page and the bench's own checks included)`,
    )
    .join('\n     ');
}

export function renderMarkdown(result) {
  const m = result.machine;
  const rows = tableRows(result);
  const keys = Object.keys(HEAD);
  const md = [];
  md.push(
    `Run ${m.date.slice(0, 10)} on ${m.nproc} × ${m.cpu}, ${m.browser} (headless), Node ${m.node}; ${m.runs} cold loads per library and CPU rate, interleaved; ${result.page.elements}-element page; ${m.seconds} s.`,
  );
  md.push(
    'Figures are medians ± half the interquartile range. "script ms (added)" is the main thread\'s script time in a trace of the load, microtasks included and style and layout left out (bench/script-time.mjs), over the bare page\'s; "TBT ms": blocking time between FCP and the banner, the page\'s own long tasks included; "TBT after FCP ms (added / own)": the bare page\'s blocking time over the whole load after FCP; for a library, its blocking time over the same window minus the bare page\'s, then what its own script time adds over 50 ms in the tasks it ran in (whole load, per Long Animation Frames); "long tasks": all of them / those in which the library\'s code ran / those the library caused (under 50 ms without its script time, per Long Animation Frames).',
    '',
  );
  md.push(`| ${keys.map((k) => HEAD[k]).join(' | ')} |`, `|${keys.map(() => '---').join('|')}|`);
  for (const r of rows) md.push(`| ${keys.map((k) => r[k]).join(' | ')} |`);
  md.push(
    '',
    '| library | files | raw B | gzip -9 B | brotli q11 B | before the choice (1x) |',
    '|---|---|---|---|---|---|',
  );
  for (const name of result.options.only) {
    const s = result.sizes[name];
    md.push(
      `| ${LABELS[name] ?? name} | ${s ? s.files.map((f) => `\`${f.path.replace(/^\/(lib|dist)\//, '')}\``).join(', ') : 'n/a'} | ${bytes(s?.raw)} | ${bytes(s?.gzip)} | ${bytes(s?.brotli)} | ${beforeText(result.summary[name]?.[result.options.cpu[0]], name)} |`,
    );
  }
  if (result.targets.length) {
    md.push('', '| target | measured | |', '|---|---|---|');
    for (const t of result.targets)
      md.push(
        `| ${t.text} | ${t.value === null ? 'n/a' : num(t.value, 3)} (${t.detail}) | ${t.met === null ? 'n/a' : t.met ? 'met' : '**missed**'} |`,
      );
  }
  const ahead = aheadLines(result);
  if (ahead.length) md.push('', 'Where a peer is ahead (medians):', '', ...ahead.map((l) => `- ${l}`));
  md.push('', `DNI: ${dniText(result.dni)}`);
  return md.join('\n') + '\n';
}
