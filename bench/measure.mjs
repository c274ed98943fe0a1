// One cold load of one library's page: a fresh browser context, CPU throttling through CDP, the
// probe injected before any page script, then the trusted click on "Accept all".
import { readFileSync } from 'node:fs';
import { addedBlockingTime, blockingTime } from './blocking-time.mjs';
import { scriptTime, TRACE_CATEGORIES } from './script-time.mjs';

const PROBE = readFileSync(new URL('./probe.js', import.meta.url), 'utf8');
const SETTLE_MS = 300;

/**
 * Measures one load. `expectBanner` false skips the wait for a banner (the bare page, or a
 * library that showed none on its first load). `trace` records the trace script time is read from
 * (it lengthens the page's tasks: take TBT, long tasks and clickable from a load without one);
 * `click` false ends the load before the click on "Accept all". Returns one row of raw figures.
 */
export async function measureLoad(
  browser,
  { url, cpu, expectBanner, bannerTimeout = 5000, trace = false, click = true },
) {
  const wall = { start: Date.now() };
  const mark = (k) => (wall[k] = Date.now() - wall.start);
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
  try {
    await context.addInitScript(PROBE);
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e.message || e)));
    // Configuration warnings (ours are prefixed) show whether a page's config was understood.
    page.on('console', (m) => {
      if ((m.type() === 'warning' || m.type() === 'error') && !/Failed to load resource/.test(m.text()))
        errors.push(`${m.type()}: ${m.text()}`);
    });
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: cpu });
    const origin = new URL(url).origin;
    const requests = [];
    page.on('request', (r) =>
      requests.push({
        at: Date.now(),
        url: r.url(),
        path: r.url().startsWith(origin) ? r.url().slice(origin.length) : r.url(),
      }),
    );

    // Script time is read from a trace (see script-time.mjs): CDP's ScriptDuration misses microtasks.
    if (trace) await browser.startTracing(page, { categories: TRACE_CATEGORIES });
    mark('ready');
    await page.goto(url, { waitUntil: 'load' });
    mark('loaded');
    let clickable = false;
    if (expectBanner) {
      clickable = await page.evaluate(
        (ms) => Promise.race([window.__bench.ready, new Promise((r) => setTimeout(() => r(false), ms))]),
        bannerTimeout,
      );
    }
    mark('banner');
    await page.waitForTimeout(SETTLE_MS);
    const metrics = Object.fromEntries(
      (await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]),
    );
    const script = trace
      ? scriptTime(JSON.parse((await browser.stopTracing()).toString()).traceEvents, origin)
      : { wall: Number.NaN, cpu: Number.NaN };
    const snap = await page.evaluate(() => {
      const B = window.__bench;
      B.stop = true;
      const keys = (s) => {
        try {
          return Object.keys(s);
        } catch {
          return [];
        }
      };
      return {
        fcp: B.fcp,
        at: performance.now(),
        clickableAt: B.clickableAt,
        frames: B.frames,
        longtasks: B.longtasks,
        loaf: B.loaf,
        shifts: B.shifts,
        writes: B.writes,
        ran: { ...B.ran },
        localStorage: keys(localStorage),
        sessionStorage: keys(sessionStorage),
        nav: performance.getEntriesByType('navigation')[0]?.toJSON(),
      };
    });
    const cookiesBefore = (await context.cookies()).map((c) => c.name);
    mark('snapshot');
    const requestsBefore = requests.map((r) => r.path);

    let active = null;
    let activeDetail = null;
    let deadClicks = null;
    if (clickable && click) {
      deadClicks = 0;
      // Click; a click that changes nothing within 0.7 s (no storage write, no held-back script) is
      // counted as dead and the button is clicked again, up to 5 times.
      let done = false;
      for (let attempt = 0; attempt < 5 && !done; attempt++) {
        const rect = await page.evaluate(() => window.__bench.locate());
        if (!rect) break;
        await page.mouse.click(rect.x, rect.y);
        done = await page.evaluate(() =>
          Promise.race([window.__bench.active, new Promise((r) => setTimeout(() => r(false), 700))]),
        );
        if (done) break;
        const moved = await page.evaluate(
          () =>
            Object.keys(window.__bench.ran).length > 0 ||
            window.__bench.writes.some((w) => w[0] >= window.__bench.click),
        );
        if (moved) {
          done = await page.evaluate(() =>
            Promise.race([window.__bench.active, new Promise((r) => setTimeout(() => r(false), 10000))]),
          );
          break;
        }
        deadClicks++;
      }
      {
        // Give the library a moment to finish writing its record if it does so after the scripts.
        await page.waitForTimeout(50);
        const after = await page.evaluate(() => ({
          click: window.__bench.click,
          ran: { ...window.__bench.ran },
          writes: window.__bench.writes,
        }));
        const stored = after.writes.filter((w) => after.click !== null && w[0] >= after.click);
        if (done && after.click !== null) {
          const end = Math.max(...Object.values(after.ran), ...stored.map((w) => w[0]));
          active = end - after.click;
        }
        activeDetail = {
          click: after.click,
          ran: after.ran,
          stored: stored.map((w) => `${w[1]}:${w[2]}`),
          cookiesAfter: (await context.cookies()).map((c) => c.name),
        };
      }
    }
    mark('clicked');
    return {
      url,
      cpu,
      wall,
      ...summariseSnapshot(snap, origin),
      scriptMs: script.wall,
      scriptCpuMs: script.cpu,
      scriptDurationMs: metrics.ScriptDuration * 1000,
      taskMs: metrics.TaskDuration * 1000,
      layoutMs: metrics.LayoutDuration * 1000,
      styleMs: metrics.RecalcStyleDuration * 1000,
      before: {
        cookies: cookiesBefore,
        localStorage: snap.localStorage,
        sessionStorage: snap.sessionStorage,
        writes: snap.writes.map((w) => `${w[1]}:${w[2]}`),
        requests: requestsBefore,
        heldRan: Object.keys(snap.ran),
      },
      active,
      deadClicks,
      activeDetail,
      errors,
    };
  } finally {
    await context.close();
    mark('closed');
  }
}

/** Turns the probe's raw record into the figures of one row. */
function summariseSnapshot(snap, origin) {
  // "Clickable" is the moment, inside a rendering update (the probe's rAF callback), at which the
  // accept button was first on screen and hit-testable; that update paints it. Not the rAF
  // timestamp: while the parser or a script holds the main thread, that is the stale start of a
  // frame that actually ran much later. FCP is the browser's own (presentation) time.
  const { clickableAt: clickable, fcp } = snap;
  // Total blocking time between FCP and the banner, and over the whole load after FCP (up to this
  // snapshot): the bare page has the second too, so the SDK's share can be told from the page's.
  const tbt = blockingTime(snap.longtasks, fcp, clickable);
  const tbtLoad = blockingTime(snap.longtasks, fcp, snap.at);
  // Long tasks and the library: "with lib code" when a script of the page's origin (the library's
  // files and inline config; the bare page has none) ran inside it per Long Animation Frames;
  // "caused" when the task would have stayed under 50 ms without that script time; `tbtOwn`, the
  // blocking time that script time adds over the whole load.
  const scripts = snap.loaf.flatMap(([, , , s]) => s).filter(([src]) => src && src.startsWith(origin));
  let withLib = 0;
  let caused = 0;
  let tbtOwn = 0;
  for (const [start, duration] of snap.longtasks) {
    let mine = 0;
    for (const [, s, d] of scripts) mine += Math.max(0, Math.min(s + d, start + duration) - Math.max(s, start));
    if (mine > 0) withLib++;
    if (mine > 0 && duration - mine < 50) caused++;
    tbtOwn += addedBlockingTime(duration, mine);
  }
  return {
    fcp,
    clickable,
    clickableMinusFcp: clickable !== null && fcp !== null ? clickable - fcp : null,
    tbt,
    tbtLoad,
    tbtOwn,
    longTasks: snap.longtasks.length,
    longTaskList: snap.longtasks,
    longTaskMs: snap.longtasks.reduce((a, [, d]) => a + d, 0),
    libLongTasks: withLib,
    sdkLongTasks: caused,
    cls: snap.shifts.reduce((a, [, v]) => a + v, 0),
    frames: snap.frames,
    domContentLoaded: snap.nav?.domContentLoadedEventEnd ?? null,
    load: snap.nav?.loadEventEnd ?? null,
  };
}
