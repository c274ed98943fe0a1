// Call tracking (DNI) cost, measured inside one page load: a 10,000-element page with 50 numbers
// written in several layouts. First a bare TreeWalker walk over the page's text nodes (the floor
// any swap must pay), then the consent call, timed until the last number is swapped; then an SPA
// inserting 1,000 nodes (10 of them numbers), timed until the SDK's observer has handled them,
// against the same insertion before consent (when nothing observes it). A twin page without the
// dni section times the same consent call, so DNI's own part can be told from the rest of the SDK.
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
  const config = { dni: { targets: [TARGET], rules: [{ utm_medium: 'cpc', number: TRACKING }, { direct: true, number: TRACKING }] } };
  return { html: buildPage('consentline', { body, config }), elements: body.elements };
}

// Runs in the page. Returns the figures of one load, or { missing } when there is no DNI.
async function measureInPage(twin) {
  const api = window.Consentline;
  if (!api || typeof api.acceptAll !== 'function') return { missing: 'no Consentline global' };
  if (twin) {
    // The same page without a dni section: what the consent call costs the rest of the SDK.
    const t0 = performance.now();
    api.acceptAll();
    return { acceptMs: performance.now() - t0 };
  }
  if (!api.dni) return { missing: 'no Consentline.dni (DNI not in this build, or no targets configured)' };
  const tracked = /888\D{0,3}999\D{0,3}0000/g;
  const original = /555\D{0,3}123\D{0,3}4567/g;
  const countIn = (root, re) => {
    const w = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
      acceptNode: (n) => (n.parentElement && n.parentElement.closest('script,style') ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
    });
    let c = 0;
    while (w.nextNode()) c += (w.currentNode.data.match(re) || []).length;
    return c;
  };
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
      if (records.some((r) => r.type === 'characterData' || (r.type === 'childList' && r.target !== document.body))) batches++;
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
  // consent call, then, if numbers are still missing, frame by frame until they are all there.
  const s0 = performance.now();
  api.acceptAll();
  let swapMs = performance.now() - s0;
  for (let i = 0; i < 120 && countIn(document.body, original) > 0; i++) {
    await new Promise((r) => requestAnimationFrame(r));
    swapMs = performance.now() - s0;
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
    swapMs,
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
 * the page. `script`, when given, is served in place of dist/consentline.min.js (A/B of builds).
 */
export async function measureDniLoad(browser, { url, cpu, twin, script }) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    await context.addInitScript({ path: PROBE_URL.pathname });
    const tab = await context.newPage();
    if (script) await tab.route('**/dist/consentline.min.js', (r) => r.fulfill({ body: script, contentType: 'text/javascript' }));
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
    }
    const d = (k) => describe(loads.map((l) => l[k]));
    out.push({
      cpu,
      walkMs: d('walkMs'),
      swapMs: d('swapMs'),
      ratio: d('ratio'),
      restMs: rest,
      dniMs: d('dniMs'),
      dniRatio: d('dniRatio'),
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
