// Soak: a day-long single-page session. The soak page (bench/soak-page.mjs) changes route 10,000
// times (`--routes N` for another count), with the SDK (script tag, DNI, held-back embeds, the UI
// mounted, DNI's category granted) and without it. At checkpoints it reports the heap after forced
// garbage collection, the MutationObservers and event listeners the SDK holds, and the work per
// route (median of the 100 routes before the checkpoint: the render and the observers' handling).
// Then the pool lease over 8 hours of simulated time (test/unit/dni/pool-soak.test.ts, fake clock).
// Prints a table and writes bench/results/soak.md. Not a timed test: figures depend on the machine.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startServer } from '../demo/server.mjs';
import { launchBenchBrowser } from './browser.mjs';
import { SOAK_PREFIX, TRACKING, handleSoak, instrument } from './soak-page.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({ options: { routes: { type: 'string', default: '10000' } } });
const ROUTES = Number(values.routes);
const CHUNK = 250;
const CHECKPOINTS = [...new Set([100, 1_000, 2_000, 5_000, ROUTES].filter((n) => n <= ROUTES))].sort((a, b) => a - b);

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : NaN;
};

/**
 * Heap in use after forced garbage collection: three rounds with a pause between, since what one
 * frees (weak references, through finalization callbacks that run in a task of their own) the next can.
 */
async function heapAfterGc(cdp, page) {
  for (let i = 0; i < 3; i++) {
    await cdp.send('HeapProfiler.collectGarbage');
    await page.evaluate(() => new Promise((r) => setTimeout(r, 50)));
  }
  await cdp.send('HeapProfiler.collectGarbage');
  return (await cdp.send('Runtime.getHeapUsage')).usedSize;
}

async function soak(browser, server, variant) {
  const context = await browser.newContext();
  await context.addInitScript(instrument);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${server.url}${SOAK_PREFIX}${variant}`);
  if (variant === 'sdk') {
    await page.waitForFunction(() => typeof window.Consentline?.set === 'function');
    // DNI's category only: the embeds (social) stay held back behind their placeholders.
    await page.evaluate(async () => {
      window.Consentline.set({ analytics: true });
      for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 0));
    });
  }
  const cdp = await context.newCDPSession(page);
  const rows = [];
  const times = [];
  let shown;
  for (const at of CHECKPOINTS) {
    while (times.length < at)
      times.push(...(await page.evaluate((n) => window.__soak.routes(n), Math.min(CHUNK, at - times.length))));
    const heap = await heapAfterGc(cdp, page);
    const holds = await page.evaluate(() => window.__sdkHolds());
    shown = await page.evaluate(() => window.__soak.shown());
    rows.push({ route: at, heap, ...holds, ms: median(times.slice(Math.max(0, at - 100), at)) });
    process.stdout.write(
      `${variant} route ${at}: heap ${(heap / 1024).toFixed(0)} KB, observers ${holds.observers}, listeners ${holds.listeners}\n`,
    );
  }
  await context.close();
  return { rows, shown, errors };
}

// The pool lease over simulated hours, by its vitest file (fake clock): figures come back as JSON.
function poolSoak() {
  const dir = join(tmpdir(), `consentline-soak-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  const out = join(dir, 'pool.json');
  const run = spawnSync('npx', ['vitest', 'run', 'test/unit/dni/pool-soak.test.ts'], {
    cwd: root,
    env: { ...process.env, CONSENTLINE_SOAK_REPORT: out },
    encoding: 'utf8',
  });
  let figures;
  try {
    figures = JSON.parse(readFileSync(out, 'utf8'));
  } catch {
    figures = undefined;
  }
  rmSync(dir, { recursive: true, force: true });
  return { passed: run.status === 0, figures, output: run.status === 0 ? '' : run.stdout + run.stderr };
}

const server = await startServer({ port: 0, routes: { [SOAK_PREFIX]: handleSoak } });
const browser = await launchBenchBrowser(['--js-flags=--expose-gc']);
const version = browser.version();
let sdk;
let bare;
try {
  sdk = await soak(browser, server, 'sdk');
  bare = await soak(browser, server, 'bare');
} finally {
  await browser.close();
  await server.close();
}
const pool = poolSoak();

const kb = (n) => (n / 1024).toFixed(0);
const lines = [
  `# Soak: ${ROUTES.toLocaleString('en-US')} route changes of a single-page app`,
  '',
  `Chromium ${version}, ${new Date().toISOString().slice(0, 10)}. Command: \`npm run bench:soak\` (\`node bench/soak.mjs --routes N\` after a build).`,
  '',
  'Each route re-renders the header, 50 paragraphs with 100 numbers (every fifth paragraph a `tel:` link), the footer',
  '(number, `tel:` link, a marked placeholder), a form taking the attribution token, a custom element with an open',
  'shadow root holding a number and two held-back embeds (placeholders). SDK: script tag with DNI, the UI mounted,',
  "DNI's category granted. Heap after forced GC; observers and listeners created from the SDK's script and still",
  'held; ms per route: median of the 100 routes before the checkpoint, from the render until the mutation observers',
  'have handled it.',
  '',
  "| route | heap, SDK page | heap, same page without SDK | SDK's share | SDK observers | SDK listeners | ms/route, SDK | ms/route, without |",
  '|---:|---:|---:|---:|---:|---:|---:|---:|',
  ...sdk.rows.map((r, i) => {
    const b = bare.rows[i];
    return `| ${r.route.toLocaleString('en-US')} | ${kb(r.heap)} KB | ${kb(b.heap)} KB | ${kb(r.heap - b.heap)} KB | ${r.observers} | ${r.listeners} | ${r.ms.toFixed(2)} | ${b.ms.toFixed(2)} |`;
  }),
  '',
  `Growth from route ${sdk.rows[0].route} to ${ROUTES.toLocaleString('en-US')}: SDK page ${kb(sdk.rows.at(-1).heap - sdk.rows[0].heap)} KB, without SDK ${kb(bare.rows.at(-1).heap - bare.rows[0].heap)} KB.`,
  `Last route as shown: header \`${sdk.shown.header}\` (\`${sdk.shown.headerHref}\`), shadow root \`${sdk.shown.shadow}\`, ${sdk.shown.placeholders} placeholders, ${sdk.shown.token} token field; page errors: ${sdk.errors.length + bare.errors.length}.`,
  '',
  '## Pool lease over simulated hours',
  '',
];
if (pool.figures) {
  const f = pool.figures;
  lines.push(
    `test/unit/dni/pool-soak.test.ts, fake clock (${pool.passed ? 'passed' : 'FAILED'}): ${f.hours} h of a visitor active every ${f.activityEverySeconds} s with a ${f.ttl} s lease.`,
    '',
    '| figure | value |',
    '|---|---:|',
    `| assign calls | ${f.assigns} |`,
    `| renew calls | ${f.renewals} |`,
    `| distinct leases while active | ${f.leasesWhileActive} |`,
    `| pending timers, after 1 h / after ${f.hours} h | ${f.timersEarly} / ${f.timersLate} |`,
    `| activity listeners, after 1 h / after ${f.hours} h | ${f.listenersEarly} / ${f.listenersLate} |`,
    `| number shown after an idle hour (lease expired) | ${f.afterIdle} |`,
    `| re-assigned on the next activity | ${f.reassigned} |`,
  );
} else {
  lines.push(
    `The pool soak did not report (${pool.passed ? 'no figures' : 'failed'}).`,
    '',
    '```',
    pool.output.slice(-2000),
    '```',
  );
}
const md = lines.join('\n') + '\n';
mkdirSync(join(root, 'bench/results'), { recursive: true });
writeFileSync(join(root, 'bench/results/soak.md'), md);
process.stdout.write('\n' + md);
if (!sdk.shown.header.includes(TRACKING.slice(2, 5)) || sdk.errors.length || bare.errors.length || !pool.passed)
  process.exitCode = 1;
