// Two tabs of one visit share its lease (the second names the stored lease and gets it back), against
// the real consentline/server the demo mounts at /v1/ (and the reference server at /pool/). Each keeps showing the visit's number for as
// long as it is open: a page that stops call tracking leaves the lease to the pages still showing
// it, and a tab whose lease ended while it was away joins the lease the visit holds now, which has
// the visit's number back from its rest.
import type { BrowserContext, Page } from '@playwright/test';
// @ts-expect-error plain ESM module without types
import { DEMO_POOL } from '../../demo/consentline-mount.mjs';
// @ts-expect-error plain ESM module without types
import { createPoolHandler } from '../../demo/pool-server.mjs';
// @ts-expect-error plain ESM module without types
import { startServer } from '../../demo/server.mjs';
import { type DemoServer, expect, serveHtml, test, type TestServer } from './fixtures';
import { TARGET, call, poolReply, posted, pretty, shown } from './support/demo-server';

interface Reply {
  numbers: Record<string, string>;
  lease: string;
  ttl: number;
}

const FALLBACK = '(888) 999-0000';
const SPA =
  '<!doctype html><title>SPA</title><script type="importmap">{"imports":{"js-cookie":"/node_modules/js-cookie/dist/js.cookie.mjs"}}</script><p>An app</p>';

/** A demo page and the pool it asks. */
interface Site {
  page: string;
  pool: string;
}
const REAL: Site = { page: '/server.html', pool: '/v1/pool/' };
const REFERENCE: Site = { page: '/pool.html', pool: '/pool/' };

/** A first tab that consents, and a second tab of the same visit: both show the visit's number. */
const twoTabs = async (context: BrowserContext, server: TestServer, site = REAL) => {
  const a = await context.newPage();
  await a.goto(`${server.url}${site.page}`);
  await a.waitForFunction(() => typeof window.Consentline?.get === 'function');
  const assigned = poolReply(a, 'assign', site.pool);
  await call(a, 'acceptAll');
  const first = (await (await assigned).json()) as Reply;
  const number = first.numbers[TARGET]!;
  await expect(shown(a)).toHaveText(pretty(number));
  const b = await context.newPage();
  const joined = poolReply(b, 'assign', site.pool);
  await b.goto(`${server.url}${site.page}`);
  expect(((await (await joined).json()) as Reply).lease).toBe(first.lease);
  await expect(shown(b)).toHaveText(pretty(number));
  return { a, b, first, number };
};

/** The visitor's next click on `page`, and the pool request it makes. */
const activity = async (page: Page, op: 'assign' | 'renew', site = REAL) => {
  const reply = poolReply(page, op, site.pool);
  await page.bringToFront();
  await page.mouse.click(5, 5);
  return reply;
};

test('a page that stops call tracking leaves the lease to the tabs still showing its number', async ({
  context,
  demoServer: server,
}) => {
  await context.clock.install();
  const { b, first, number } = await twoTabs(context, server);
  // A third page of the visit runs call tracking from the package and stops it (an SPA unmounting
  // it): it named the stored lease and got it back, as the tabs did.
  const spa = await context.newPage();
  await spa.route('**/node_modules/js-cookie/dist/js.cookie.mjs', (r) =>
    r.fulfill({ path: 'node_modules/js-cookie/dist/js.cookie.mjs', contentType: 'text/javascript' }),
  );
  await spa.goto(serveHtml(server as DemoServer, '/spa.html', SPA));
  const assigned = poolReply(spa, 'assign');
  await spa.evaluate(async (target) => {
    const core: typeof import('../../src/entries/index') = await import(`${location.origin}/dist/esm/index.js`);
    const dni: typeof import('../../src/entries/dni') = await import(`${location.origin}/dist/esm/dni.js`);
    const store = core.createConsentStore({ storage: core.createCookieStorage() });
    const stop = dni.startNumberInsertion(store, {
      targets: [target],
      rules: [{ pool: true, number: '+18889990000' }],
      pool: { url: '/v1/pool/' },
    });
    await new Promise<void>((shown) => {
      const off = stop.subscribe((n) => n[target] !== '+18889990000' && shown());
      if (stop.getNumber(target) && stop.getNumber(target) !== '+18889990000') shown();
      return off;
    });
    stop();
    await new Promise((r) => setTimeout(r, 50));
  }, TARGET);
  expect(((await (await assigned).json()) as Reply).lease).toBe(first.lease);
  await spa.close();

  // Past half the lease, the visitor is active in the second tab: its renewal keeps the number.
  await context.clock.fastForward(first.ttl * 500 + 1000);
  const renewed = await activity(b, 'renew');
  expect(renewed.status()).toBe(200);
  expect(((await renewed.json()) as Reply).numbers[TARGET]).toBe(number);
  await expect(shown(b)).toHaveText(pretty(number));
  expect(posted(server, '/v1/pool/release')).toEqual([]);
});

for (const [name, site] of [
  ['consentline/server', REAL],
  ['the reference server', REFERENCE],
] as const)
  test(`a tab whose lease ran out while the visitor was away joins the lease the other tab took since, with the same number (${name})`, async ({
    context,
  }) => {
    test.setTimeout(60_000);
    // A 10 s lease (the shortest a pool allows), so that it runs out on the server within the test.
    const pool = { ...DEMO_POOL, ttl: 10 };
    const server = (await startServer({
      port: 0,
      consentline: { pool },
      routes: { '/pool/': createPoolHandler(pool) },
    })) as DemoServer;
    try {
      await server.consentline.ready();
      const { a, b, first, number } = await twoTabs(context, server, site);
      // The visitor is away from both tabs for the whole lease: each stops showing the number.
      await expect(shown(a)).toHaveText(FALLBACK, { timeout: first.ttl * 1000 + 5000 });
      await expect(shown(b)).toHaveText(FALLBACK);
      // Back in the first tab: the visit gets a new lease, and its number back from its rest.
      const again = await activity(a, 'assign', site);
      expect(again.status()).toBe(200);
      const now = (await again.json()) as Reply;
      expect(now.lease).not.toBe(first.lease);
      expect(now.numbers[TARGET]).toBe(number);
      await expect(shown(a)).toHaveText(pretty(number));
      // Then in the second tab, which knows only the lease that ran out: it shows the visit's number.
      const joined = await activity(b, 'assign', site);
      expect(joined.status()).toBe(200);
      expect(((await joined.json()) as Reply).lease).toBe(now.lease);
      await expect(shown(b)).toHaveText(pretty(number));
    } finally {
      for (const page of context.pages()) await page.close();
      await server.close();
    }
  });
