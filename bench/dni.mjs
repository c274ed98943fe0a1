// Call tracking (DNI) cost, measured inside one page load: a 10,000-element page with 50 numbers
// written in several layouts. First a bare TreeWalker walk over the page's text nodes (the floor
// any swap must pay; once cold, as the page's first walk, and once warm), then the consent call,
// timed with the tasks it queued until the last number is swapped; then an SPA inserting 1,000
// nodes (10 of them numbers), timed until the SDK's observer has handled them, against the same
// insertion before consent (when nothing observes it). A twin page without the dni section times
// the same consent call, so DNI's own part can be told from the rest of the SDK.
import { buildBody, buildPage } from './page.mjs';
import { describe } from './stats.mjs';

const TARGET = '+15551234567';
const TRACKING = '+18889990000';
const LAYOUTS = ['(555) 123-4567', '+1 555 123 4567', '555.123.4567', '555-123-4567', '555 - 123 - 4567'];
const PROBE_URL = new URL('./probe.js', import.meta.url);

export const DNI_PAGE = '/dni.html';

export const TWIN_PAGE = '/dni-twin.html';

export function buildDniPage({ dni = true } = {}) {
  const body = buildBody({ elements: 10_000, phones: 49, seed: 11, phoneTexts: LAYOUTS });
  if (!dni) return { html: buildPage('consentline', { body }), elements: body.elements };
  // 49 numbers in the body plus the one in the header: 50. Landing from a paid search ad; both rules
  // give the same tracking number.
  const config = {
    dni: {
      targets: [TARGET],
      rules: [
        { utm_medium: 'cpc', number: TRACKING },
        { direct: true, number: TRACKING },
      ],
    },
  };
  return { html: buildPage('consentline', { body, config }), elements: body.elements };
}

// Runs in the page. Returns the figures of one load, or { missing } when there is no DNI.
async function measureInPage(twin) {
  const api = window.Consentline;
  if (!api || typeof api.acceptAll !== 'function') return { missing: 'no Consentline global' };
  // Runs `fn` and times it together with every zero-delay timer task it queues (and those these
  // queue in turn): the work a consent call does, inside the call or in tasks right after it.
  // `until` (checked after the call and after each task, outside the timing) marks the point of
  // interest: `workMs` is the work up to it, `atMs` when it was reached; `allMs` is all the work.
  const timed = async (fn, until = () => true) => {
    const orig = window.setTimeout;
    const tasks = [];
    let pending = 0;
    let work = 0;
    let reached;
    let resolve;
    const done = new Promise((r) => (resolve = r));
    const t0 = performance.now();
    const check = () => {
      const at = performance.now() - t0;
      if (!reached && until()) reached = { workMs: work, atMs: at, tasks: tasks.length };
    };
    const wrap = (cb, delay, ...args) => {
      if (typeof cb !== 'function' || delay > 0) return orig(cb, delay, ...args);
      pending++;
      return orig(() => {
        const t = performance.now();
        window.setTimeout = wrap;
        try {
          cb(...args);
        } finally {
          window.setTimeout = orig;
          const d = performance.now() - t;
          tasks.push(d);
          work += d;
          check();
          if (!--pending) resolve();
        }
      }, delay);
    };
    window.setTimeout = wrap;
    try {
      fn();
      // What the call left to microtasks runs before any task or frame: it is the call's work, and
      // the tasks it queues are followed as the call's are.
      for (let i = 0; i < 20; i++) await null;
    } finally {
      window.setTimeout = orig;
    }
    const callMs = performance.now() - t0;
    work = callMs;
    check();
    if (!pending) resolve();
    // A queued task that was cancelled never runs: give up waiting after 5 s.
    await Promise.race([done, new Promise((r) => orig(r, 5000))]);
    return {
      t0,
      callMs,
      allMs: work,
      tasks,
      longest: Math.max(callMs, ...tasks),
      queuedLongest: Math.max(0, ...tasks),
      reached,
    };
  };
  if (twin) {
    // The same page without a dni section: what the consent call costs the rest of the SDK, in the
    // call (with its microtasks), where call tracking writes the numbers after a read-ahead; the
    // tasks the call queues (the SDK's later listeners, the cookie's read-back) are in `allMs`.
    const t = await timed(() => api.acceptAll());
    return { acceptMs: t.callMs, allMs: t.allMs, longest: t.longest };
  }
  if (!api.dni) return { missing: 'no Consentline.dni (DNI not in this build, or no targets configured)' };
  const tracked = /888\D{0,3}999\D{0,3}0000/g;
  const original = /555\D{0,3}123\D{0,3}4567/g;
  const countIn = (root, re) => {
    const w = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
      acceptNode: (n) =>
        n.parentElement && n.parentElement.closest('script,style')
          ? NodeFilter.FILTER_REJECT
          : NodeFilter.FILTER_ACCEPT,
    });
    let c = 0;
    while (w.nextNode()) c += (w.currentNode.data.match(re) || []).length;
    return c;
  };
  // The same bare walk as the first one of the page, before anything here made the text nodes'
  // JS objects (a page at its consent click is in that state: no script walked its text): the
  // floor the SDK's own walk, in its task after the call, actually faces.
  const c0 = performance.now();
  let coldChars = 0;
  for (const w = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT); w.nextNode(); )
    coldChars += w.currentNode.data.length;
  const coldWalkMs = performance.now() - c0;
  const numbersBefore = countIn(document.body, original);
  // The floor: one bare walk over the same text nodes.
  const w0 = performance.now();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let textNodes = 0;
  let chars = 0;
  while (walker.nextNode()) {
    textNodes++;
    chars += walker.currentNode.data.length;
  }
  const walkMs = performance.now() - w0;

  // An SPA inserting 1,000 nodes (10 of them numbers); `observe` times our own observer's delivery,
  // which Chromium makes after every observer created before it (the SDK's) has run.
  const insert = async () => {
    const box = document.createElement('section');
    for (let i = 0; i < 250; i++) {
      const p = document.createElement('p');
      const s = document.createElement('span');
      s.textContent = i % 25 === 0 ? `Call ${'(555) 123-4567'} now` : `Item ${i} of the list`;
      p.append('Row ', s);
      box.append(p);
    }
    // 250 p + 250 span + 500 text nodes = 1,000 nodes.
    let delivered = 0;
    let batches = 0;
    const mo = new MutationObserver((records) => {
      if (!delivered) delivered = performance.now();
      if (records.some((r) => r.type === 'characterData' || (r.type === 'childList' && r.target !== document.body)))
        batches++;
    });
    mo.observe(document.body, { childList: true, subtree: true, characterData: true });
    const t0 = performance.now();
    document.body.append(box);
    const t1 = performance.now();
    await new Promise((r) => setTimeout(r, 50));
    mo.disconnect();
    const swapped = countIn(box, tracked);
    box.remove();
    return { insertMs: t1 - t0, handledMs: delivered - t1, batches, swapped };
  };
  const spaBare = await insert();

  const B = window.__bench;
  // The swap is timed without an observer of our own (one would add its cost to the SDK's): the
  // work of the consent call and of the tasks it queued up to the one after which no original
  // number is left (`swapMs`), and the time from the call to then (`latencyMs`, which also holds
  // the browser's rendering of any frame in between). What DNI does after that (the search for
  // open shadow roots already on the page, in slices) is `afterMs`; the longest of the SDK's own
  // tasks is `sdkLongest`. If numbers are still missing at the end, frame by frame until they are.
  // The check between tasks must not add work of its own: it looks only at the text nodes that
  // held a number before the call (a swap rewrites a text node in place).
  const holders = [];
  const one = new RegExp(original.source);
  for (const w = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT); w.nextNode(); ) {
    const n = w.currentNode;
    if (one.test(n.data) && !n.parentElement?.closest('script,style')) holders.push(n);
  }
  const t = await timed(
    () => api.acceptAll(),
    () => holders.every((n) => !one.test(n.data)),
  );
  const s0 = t.t0;
  // Tasks the call queued that ran before the last number was shown (each can cost a frame).
  const hops = t.reached ? t.reached.tasks : null;
  let swapMs = t.reached ? t.reached.workMs : t.allMs;
  let latencyMs = t.reached ? t.reached.atMs : performance.now() - s0;
  for (let i = 0; !t.reached && i < 120 && countIn(document.body, original) > 0; i++) {
    await new Promise((r) => requestAnimationFrame(r));
    latencyMs = performance.now() - s0;
    swapMs = Math.max(swapMs, latencyMs);
  }
  const swapped = countIn(document.body, tracked);
  const left = countIn(document.body, original);
  await new Promise((r) => setTimeout(r, 50));
  const spa = await insert();
  const longTasks = B.longtasks.filter(([start, d]) => start + d > s0);
  return {
    textNodes,
    chars,
    numbersBefore,
    walkMs,
    coldWalkMs,
    coldChars,
    swapMs,
    latencyMs,
    hops,
    callMs: t.callMs,
    afterMs: t.allMs - swapMs,
    sdkLongest: t.longest,
    queuedLongest: t.queuedLongest,
    ratio: swapMs / walkMs,
    swapped,
    left,
    spaMs: spa.handledMs,
    spaBareMs: spaBare.handledMs,
    spaInsertMs: spa.insertMs,
    spaBatches: spa.batches,
    spaSwapped: spa.swapped,
    longTasks: longTasks.length,
    longestTask: longTasks.reduce((a, [, d]) => Math.max(a, d), 0),
  };
}

/**
 * One cold load of the DNI page (or its twin) in a fresh context at `cpu` throttling, measured in
 * the page. `script`, when given, is served in place of dist/consentline.min.js, and each entry of
 * `files` (a file name in dist/ to its contents) in place of that file (A/B of builds: the SDK and
 * the call-tracking add-on whose integrity it holds).
 */
export async function measureDniLoad(browser, { url, cpu, twin, script, files = {} }) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    await context.addInitScript({ path: PROBE_URL.pathname });
    const tab = await context.newPage();
    const served = script ? { ...files, 'consentline.min.js': script } : files;
    for (const [name, body] of Object.entries(served))
      await tab.route(`**/dist/${name}`, (r) => r.fulfill({ body, contentType: 'text/javascript' }));
    const cdp = await context.newCDPSession(tab);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: cpu });
    await tab.goto(`${url}?utm_source=google&utm_medium=cpc&gclid=bench`, { waitUntil: 'load' });
    await tab.waitForTimeout(300);
    return await tab.evaluate(measureInPage, twin);
  } finally {
    await context.close();
  }
}

/** Runs the DNI loads; `pages` is the bench server's page map (the DNI page is added to it). */
export async function runDni(browser, { serverUrl, pages, cpus, runs }) {
  const page = buildDniPage();
  pages[DNI_PAGE] = page.html;
  pages[TWIN_PAGE] = buildDniPage({ dni: false }).html;
  const out = [];
  for (const cpu of cpus) {
    const loads = [];
    const twins = [];
    for (let i = 0; i < runs; i++) {
      for (const twin of i % 2 ? [true, false] : [false, true]) {
        const r = await measureDniLoad(browser, { url: `${serverUrl}${twin ? TWIN_PAGE : DNI_PAGE}`, cpu, twin });
        if (r.missing) return { status: 'n/a', reason: r.missing };
        (twin ? twins : loads).push(r);
      }
    }
    const rest = describe(twins.map((t) => t.acceptMs));
    for (const l of loads) {
      l.dniMs = l.swapMs - (rest?.median ?? 0);
      l.dniRatio = l.dniMs / l.walkMs;
      l.dniColdRatio = l.dniMs / l.coldWalkMs;
    }
    const d = (k) => describe(loads.map((l) => l[k]));
    out.push({
      cpu,
      walkMs: d('walkMs'),
      coldWalkMs: d('coldWalkMs'),
      swapMs: d('swapMs'),
      latencyMs: d('latencyMs'),
      callMs: d('callMs'),
      afterMs: d('afterMs'),
      sdkLongest: d('sdkLongest'),
      sdkLongestMax: Math.max(...loads.map((l) => l.sdkLongest)),
      queuedLongest: d('queuedLongest'),
      queuedLongestMax: Math.max(...loads.map((l) => l.queuedLongest)),
      restLongest: describe(twins.map((t) => t.longest)),
      ratio: d('ratio'),
      restMs: rest,
      dniMs: d('dniMs'),
      dniRatio: d('dniRatio'),
      dniColdRatio: d('dniColdRatio'),
      spaMs: d('spaMs'),
      spaBareMs: d('spaBareMs'),
      spaInsertMs: d('spaInsertMs'),
      spaBatches: d('spaBatches'),
      longTasks: d('longTasks'),
      longestTask: d('longestTask'),
      swapped: d('swapped'),
      left: d('left'),
      spaSwapped: d('spaSwapped'),
      loads,
    });
  }
  return { status: 'ok', elements: page.elements, runs, rows: out };
}
