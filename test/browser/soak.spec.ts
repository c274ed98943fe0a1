// A long single-page session on the built script tag: the soak page (bench/soak-page.mjs) re-renders
// its header, 100 numbers, links, a marked placeholder, a form, a shadow root and held-back embeds on
// every route. What the SDK keeps for the nodes it swapped goes with them: once warm, the heap after
// garbage collection grows per route by at most 128 bytes more than the same page's without the SDK.
//
// How a leak is told from noise: a leak grows with the routes, so it shows in every stretch of
// routes alike; what does not grow with them shows once and then stops (the JIT's code, a hash
// table doubling to the most nodes written between two collections, the SDK's bounded caches
// filling). So the heap is read after warming up and then after each of several equal stretches,
// and the median stretch's growth counts: one step, however large, moves one stretch, not the
// median. The heap read is V8's and Blink's together (DOM nodes live in Blink's heap, V8 holds only
// their wrappers), after forced collections until it stops shrinking.
import type { Browser, BrowserContext, CDPSession, Page } from '@playwright/test';
import { recordFigures } from '../support/figures';
import { expect, test, type TestServer } from './fixtures';
// @ts-expect-error plain ESM module without types
import { SOAK_PREFIX, handleSoak } from '../../bench/soak-page.mjs';

/**
 * Routes before the first reading: the JIT tiers up and the SDK's bounded caches fill. The SDK
 * page's heap still grows while they do, ever slower (`npm run bench:soak`: about 67 B a route from
 * route 1,000 to 2,000, 12 to 5,000, 3 to 10,000), so the stretches start after that.
 */
const WARM = 2_000;
/** Routes in each stretch between two readings. */
const STRETCH = 400;
/** Stretches measured; odd, so the median is one stretch's growth. */
const STRETCHES = 5;
const ROUTES = WARM + STRETCH * STRETCHES;
/** The SDK's growth allowed beyond the page's own, per route once warm (a day of 10,000 routes: 1.25 MB). */
const BOUND_PER_ROUTE = 128;
/**
 * The test-only leak that proves the measurement can fail: one node in every 50 the SDK writes to
 * is kept (about 1.4 a route, with its detached paragraph), as a record holding its node would be.
 */
const KEEP_EVERY = 50;

interface Soak {
  routes(n: number): Promise<number[]>;
  shown(): { header: string; headerHref: string; shadow: string; placeholders: number; token: number };
}
declare global {
  interface Window {
    __soak: Soak;
    __kept?: Node[];
  }
}

interface Growth {
  /** Heap after GC (V8 and Blink), in bytes: after warming up, then after each stretch. */
  readings: number[];
  /** The median stretch's growth, per route, in bytes. */
  perRoute: number;
  shown: ReturnType<Soak['shown']>;
}

const median = (xs: number[]): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/**
 * Heap in use (V8's and Blink's) after forced collection, once it has settled: what one
 * collection frees (weak references, through finalization callbacks that run in a task of their
 * own, later on a busy machine) the next can, so collect until the heap stops shrinking.
 */
async function heapAfterGc(cdp: CDPSession, page: Page): Promise<number> {
  let least = Number.POSITIVE_INFINITY;
  for (let round = 0; round < 10; round++) {
    await cdp.send('HeapProfiler.collectGarbage');
    await page.evaluate(() => new Promise((r) => setTimeout(r, 100)));
    await cdp.send('HeapProfiler.collectGarbage');
    const { usedSize, embedderHeapUsedSize } = await cdp.send('Runtime.getHeapUsage');
    const used = usedSize + embedderHeapUsedSize;
    if (used >= least * 0.995) break;
    least = used;
  }
  return least;
}

const routes = async (page: Page, n: number) => {
  for (let done = 0; done < n; done += 250)
    await page.evaluate((k) => window.__soak.routes(k), Math.min(250, n - done));
};

/** Runs in the page before anything else: keeps one in every `every` nodes whose text is written. */
function keepWritten(every: number) {
  const kept: Node[] = [];
  window.__kept = kept;
  const data = Object.getOwnPropertyDescriptor(CharacterData.prototype, 'data')!;
  let writes = 0;
  Object.defineProperty(CharacterData.prototype, 'data', {
    ...data,
    set(this: CharacterData, value: string) {
      writes++;
      if (writes % every === 0) kept.push(this);
      data.set!.call(this, value);
    },
  });
}

/** Heap readings over the session, on the page with the SDK (optionally leaking) or without it. */
async function measure(context: BrowserContext, server: TestServer, variant: 'sdk' | 'bare'): Promise<Growth> {
  server.routes[SOAK_PREFIX] = handleSoak;
  const page = await context.newPage();
  await page.goto(`${server.url}${SOAK_PREFIX}${variant}`);
  if (variant === 'sdk') {
    await page.waitForFunction(() => typeof window.Consentline?.set === 'function');
    // DNI's category only: the embeds stay held back behind their placeholders.
    await page.evaluate(async () => {
      (window.Consentline as unknown as { set(grants: object): void }).set({ analytics: true });
      for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 0));
    });
  }
  const cdp = await context.newCDPSession(page);
  await routes(page, WARM);
  const readings = [await heapAfterGc(cdp, page)];
  for (let i = 0; i < STRETCHES; i++) {
    await routes(page, STRETCH);
    readings.push(await heapAfterGc(cdp, page));
  }
  const shown = await page.evaluate(() => window.__soak.shown());
  await cdp.detach();
  await page.close();
  const stretches = readings.slice(1).map((heap, i) => heap - readings[i]!);
  return { readings, perRoute: median(stretches) / STRETCH, shown };
}

/** A context of its own per page: no two pages share a renderer, so neither's garbage is the other's. */
async function inContext<T>(
  browser: Browser,
  run: (context: BrowserContext) => Promise<T>,
  init?: { script: (every: number) => void; arg: number },
): Promise<T> {
  const context = await browser.newContext();
  try {
    if (init) await context.addInitScript(init.script, init.arg);
    return await run(context);
  } finally {
    await context.close();
  }
}

const kb = (n: number) => Math.round(n / 1024);
const summary = (label: string, g: Growth) =>
  `${label}: ${g.perRoute.toFixed(1)} B/route (readings ${g.readings.map(kb).join(', ')} KB)`;

// One worker runs both, one after the other: two soaks at once on a small machine measure each
// other. The first proves the measurement sees a leak; if it does not, the second would prove nothing.
test.describe.configure({ mode: 'serial' });

test.describe(`the heap over ${ROUTES.toLocaleString('en-US')} routes of one page`, () => {
  // The page without the SDK, measured once per repetition and compared with both.
  const bare = new Map<number, Promise<Growth>>();
  const bareGrowth = (browser: Browser, server: TestServer) => {
    const key = test.info().repeatEachIndex;
    if (!bare.has(key))
      bare.set(
        key,
        inContext(browser, (context) => measure(context, server, 'bare')),
      );
    return bare.get(key)!;
  };

  // A guard against a hang: about a minute on a quiet 2-core machine, three or more on a busy one.
  const SOAK_TIMEOUT = 400_000;

  test(`a page that keeps one in every ${KEEP_EVERY} swapped nodes grows beyond the bound`, async ({
    browser,
    server,
  }) => {
    test.setTimeout(SOAK_TIMEOUT);
    const base = await bareGrowth(browser, server);
    const leaky = await inContext(browser, (context) => measure(context, server, 'sdk'), {
      script: keepWritten,
      arg: KEEP_EVERY,
    });
    test
      .info()
      .annotations.push({ type: 'heap growth', description: `${summary('leaky', leaky)}; ${summary('bare', base)}` });
    expect(leaky.shown.header).toBe('(888) 999-0000');
    expect(leaky.perRoute - base.perRoute, summary('leaky', leaky)).toBeGreaterThan(BOUND_PER_ROUTE);
  });

  test(`once warm, the SDK's heap grows by at most ${BOUND_PER_ROUTE} bytes a route more than the page's own`, async ({
    browser,
    server,
  }) => {
    test.setTimeout(SOAK_TIMEOUT);
    const base = await bareGrowth(browser, server);
    const sdk = await inContext(browser, (context) => measure(context, server, 'sdk'));
    recordFigures(`soak: heap over ${ROUTES} routes (browser)`, { cases: ROUTES, scenarios: 1 });
    test
      .info()
      .annotations.push({ type: 'heap growth', description: `${summary('sdk', sdk)}; ${summary('bare', base)}` });
    // The SDK was at work the whole time: the last route's numbers, link, shadow root and placeholders.
    expect(sdk.shown).toMatchObject({
      header: '(888) 999-0000',
      headerHref: 'tel:+18889990000',
      shadow: 'Sales: 888 999 0000',
      placeholders: 2,
      token: 1,
    });
    expect(base.shown.header).toBe('(555) 123-4567');
    expect(sdk.perRoute - base.perRoute, `${summary('sdk', sdk)}; ${summary('bare', base)}`).toBeLessThanOrEqual(
      BOUND_PER_ROUTE,
    );
  });
});
