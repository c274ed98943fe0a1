// What a click on Accept all / Reject all does before it returns to the browser, in Chromium against
// the built dist/consentline.min.js. Inside the click's task: the decision is written, the banner
// hides, Consent Mode's update is pushed and held-back scripts run (in that order, so a tag that
// reads Consent Mode sees the update). Everything else (the consentline:change event and its
// dataLayer push, `Consentline.on` listeners, receipts, a withdrawn category's cookies) follows in
// a later task, in the order the changes happened, and still happens. Call tracking writes its
// numbers once the click returns, before any task or frame after it.
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, test, type TestServer } from './fixtures';

/** The release stamped into the built files: add-ons register under keys that carry it. */
const VERSION = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;

type W = { __order: string[] };

const PAGE =
  '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>t</title>' +
  '<script>' +
  'window.__order = [];' +
  // The page's dataLayer records what reaches it, by kind.
  'window.dataLayer = [];' +
  'dataLayer.push = function (e) {' +
  '  if (e && e[0] === "consent") __order.push("consent " + e[1]);' +
  '  else if (e && e.event) __order.push(e.event);' +
  '  return Array.prototype.push.call(this, e);' +
  '};' +
  'document.addEventListener("consentline:change", function () { __order.push("change event"); });' +
  '</script>' +
  `<script type="application/json" id="consentline-config">${JSON.stringify({
    categories: { analytics: { cookies: ['_ga'] }, advertising: {} },
    signals: { receipts: { endpoint: '/collect/receipts' } },
  })}</script>` +
  '<script src="/dist/consentline.min.js"></script>' +
  '</head><body><main><h1>Page</h1>' +
  // Records whether Consent Mode's update was in dataLayer when it ran.
  '<script type="text/plain" data-category="analytics">__order.push("held-back script");</script>' +
  '</main></body></html>';

const open = async (page: Page, server: TestServer, body = PAGE) => {
  await page.route('**/perf-click.html', (route) => route.fulfill({ contentType: 'text/html', body }));
  await page.route('**/held-external.js', (route) =>
    route.fulfill({ contentType: 'text/javascript', body: '__order.push("held-back external script");' }),
  );
  await page.goto(`${server.url}/perf-click.html`);
  await expect(page.getByRole('button', { name: 'Accept all' })).toBeVisible();
  await page.evaluate(() => {
    (window.Consentline as unknown as { on(fn: (s: { grants: Record<string, boolean> }) => void): void }).on((s) =>
      (window as unknown as W).__order.push(`on ${s.grants['analytics'] ? 'granted' : 'denied'}`),
    );
  });
};
/** Resolves once this release's add-on `name` has run (it is in the SDK's add-on registry). */
const addonRan = (page: Page, name: string) =>
  page.waitForFunction(
    (key) =>
      !!(window as unknown as Record<symbol, Record<string, unknown> | undefined>)[Symbol.for('consentline.addons')]?.[
        key
      ],
    `${name}@${VERSION}`,
  );
const order = (page: Page) => page.evaluate(() => (window as unknown as W).__order);

/** PAGE with its held-back script external, served by {@link serveSlowly}. */
const withSlowScript = PAGE.replace(
  /<script type="text\/plain" data-category="analytics">[^<]*<\/script>/,
  '<script type="text/plain" data-category="analytics" src="/held-slow.js"></script>',
);
/** Serves `/held-slow.js` `ms` after it is asked for; it logs itself and its time (`__at.script`). */
const serveSlowly = (page: Page, ms: number) =>
  page.route('**/held-slow.js', async (route) => {
    await new Promise((done) => setTimeout(done, ms));
    await route.fulfill({
      contentType: 'text/javascript',
      body: '__order.push("held-back slow script"); __at.script = performance.now();',
    });
  });
/** Opens {@link withSlowScript}, its held-back script served `ms` after it is asked for. */
const openWithSlowScript = async (page: Page, server: TestServer, ms: number) => {
  await serveSlowly(page, ms);
  await open(page, server, withSlowScript);
};
type At = { __at: Record<string, number> };
/**
 * Empties the page's log, then clicks Accept all in the banner; `__at` gets the click's time and
 * the first change event's.
 */
const clickAccept = (page: Page) =>
  page.evaluate(() => {
    const w = window as unknown as W & At;
    w.__order.length = 0;
    w.__at = { click: performance.now() };
    document.addEventListener('consentline:change', () => (w.__at['change'] ??= performance.now()), { once: true });
    const accept = [...document.querySelectorAll('#consentline button')].find(
      (b) => b.textContent === 'Accept all',
    ) as HTMLButtonElement;
    accept.click();
  });
const times = (page: Page) => page.evaluate(() => (window as unknown as At).__at);
// How long the work a click leaves for later waits, at most, for held-back scripts still loading
// (src/entries/boot/later.ts). A test reads "after the script" as "after it, or after that wait":
// a loaded machine can be slower than that to answer the script's request.
const HOLD_MS = 200;
/** Whether `what` came after the held-back script ran, or once the wait for it had run out. */
const waitedForScript = (at: Record<string, number>, what: string) =>
  at['script']! < at[what]! || at[what]! - at['click']! >= HOLD_MS - 5;

test.describe('a click on the banner does the least', () => {
  test('Accept all: Consent Mode update, then held-back scripts, inside the click; announcements and receipts a task later', async ({
    page,
    server,
  }) => {
    await open(page, server);
    await page.evaluate(() => {
      const log = (window as unknown as W).__order;
      log.length = 0;
      // Queued before the click: anything after it in the log ran in a later task than the click.
      setTimeout(() => log.push('next task'), 0);
      const accept = [...document.querySelectorAll('#consentline button')].find(
        (b) => b.textContent === 'Accept all',
      ) as HTMLButtonElement;
      accept.click();
      log.push(
        `click returned, banner ${document.querySelector('#consentline [role="region"]') ? 'shown' : 'hidden'}, cookie ${/consentline=/.test(document.cookie) ? 'written' : 'missing'}`,
      );
    });
    await expect.poll(() => order(page)).toContain('on granted');
    expect(await order(page)).toEqual([
      'consent update',
      'click returned, banner hidden, cookie written',
      // A microtask of the click's task (held-back scripts go in through a promise chain).
      'held-back script',
      'next task',
      'change event',
      'consentline_change',
      'on granted',
    ]);
    // The receipt, sent from the later task, still goes out.
    await expect.poll(() => server.requests.filter((r) => r.path.startsWith('/collect/receipts')).length).toBe(1);
  });

  test('Accept all: an external held-back script is requested inside the click, before it returns', async ({
    page,
    server,
  }) => {
    await open(
      page,
      server,
      PAGE.replace(
        /<script type="text\/plain" data-category="analytics">[^<]*<\/script>/,
        '<script type="text/plain" data-category="analytics" src="/held-external.js" id="ext"></script>',
      ),
    );
    await page.evaluate(() => {
      const log = (window as unknown as W).__order;
      log.length = 0;
      const accept = [...document.querySelectorAll('#consentline button')].find(
        (b) => b.textContent === 'Accept all',
      ) as HTMLButtonElement;
      // Seen from inside the click: a listener on the document runs after the button's own.
      const seen = () =>
        log.push(
          `external script ${(document.getElementById('ext') as HTMLScriptElement).type === 'text/plain' ? 'held' : 'requested'}`,
        );
      document.addEventListener('click', seen, { once: true });
      accept.click();
    });
    await expect.poll(() => order(page)).toContain('held-back external script');
    expect((await order(page)).filter((e) => e.includes('script'))).toEqual([
      'external script requested',
      'held-back external script',
    ]);
  });

  test('Accept all: announcements, listeners and receipts wait until the external held-back scripts the click started have run', async ({
    page,
    server,
  }) => {
    await openWithSlowScript(page, server, 30);
    await clickAccept(page);
    await expect.poll(() => order(page)).toContain('on granted');
    await expect.poll(() => order(page)).toContain('held-back slow script');
    expect((await order(page)).filter((e) => e !== 'held-back slow script')).toEqual([
      'consent update',
      'change event',
      'consentline_change',
      'on granted',
    ]);
    expect(waitedForScript(await times(page), 'change'), JSON.stringify(await order(page))).toBe(true);
    await expect.poll(() => server.requests.filter((r) => r.path.startsWith('/collect/receipts')).length).toBe(1);
  });

  test('Accept all: an external held-back script that is slow to load holds the rest back only a moment', async ({
    page,
    server,
  }) => {
    await openWithSlowScript(page, server, 4000);
    await clickAccept(page);
    await expect.poll(() => order(page)).toContain('on granted');
    expect(await order(page)).toEqual(['consent update', 'change event', 'consentline_change', 'on granted']);
    await expect.poll(() => order(page), { timeout: 15_000 }).toContain('held-back slow script');
  });

  test('Accept all, then a link followed while a held-back script loads: the receipt still goes out', async ({
    page,
    server,
  }) => {
    await openWithSlowScript(page, server, 4000);
    // The receipt sender (dist/receipts.js) has run: what is tested is the wait for the held-back
    // script, not the add-on's arrival (a page left before it arrives sends no receipt).
    await addonRan(page, 'receipts');
    const left = page.waitForEvent('framenavigated');
    await page.evaluate(() => {
      const accept = [...document.querySelectorAll('#consentline button')].find(
        (b) => b.textContent === 'Accept all',
      ) as HTMLButtonElement;
      accept.click();
      location.href = '/';
    });
    await left;
    await expect
      .poll(() => server.requests.filter((r) => r.path.startsWith('/collect/receipts')).length, { timeout: 5_000 })
      .toBe(1);
  });

  test("Accept all: the bottom bar's spacer stays through the click, unsized from then on, and goes with the work left for later", async ({
    page,
    server,
  }) => {
    await openWithSlowScript(page, server, 30);
    const spacer = page.locator('body > div[aria-hidden="true"]:last-child');
    await expect.poll(async () => (await spacer.boundingBox())?.height ?? 0).toBeGreaterThan(24);
    const kept = await page.evaluate(() => {
      const w = window as unknown as W & At;
      const last = () => document.body.lastElementChild as HTMLElement;
      const before = { spacer: last(), height: last().style.height };
      new MutationObserver((records, observer) => {
        if (records.some((r) => [...r.removedNodes].includes(before.spacer))) {
          w.__order.push(
            `spacer removed, sized ${before.spacer.style.height === before.height ? 'as before' : 'again'}`,
          );
          w.__at['spacer'] = performance.now();
          observer.disconnect();
        }
      }).observe(document.body, { childList: true });
      return before.height;
    });
    await clickAccept(page);
    // The click returned with the banner gone and the spacer in place.
    expect(await page.evaluate(() => document.body.lastElementChild?.getAttribute('aria-hidden'))).toBe('true');
    await expect(page.locator('#consentline [role="region"]')).toHaveCount(0);
    await expect.poll(() => order(page)).toContain('spacer removed, sized as before');
    await expect.poll(() => order(page)).toContain('held-back slow script');
    expect(waitedForScript(await times(page), 'spacer'), JSON.stringify(await order(page))).toBe(true);
    expect(kept).toMatch(/px$/);
  });

  test('Accept all: the cookie is read back and other tabs told after the click; a withdrawal does both before it returns', async ({
    page,
    server,
  }) => {
    // Cookie reads (a synchronous call to the browser's cookie store) and notices to other tabs,
    // logged from before the SDK runs.
    const watched = PAGE.replace(
      '<script>',
      '<script>' +
        '(function () {' +
        '  var d = Object.getOwnPropertyDescriptor(Document.prototype, "cookie");' +
        '  Object.defineProperty(Document.prototype, "cookie", { configurable: true,' +
        '    get: function () { if (window.__watch) __order.push("cookie read"); return d.get.call(this); },' +
        '    set: function (v) { d.set.call(this, v); } });' +
        '  var post = BroadcastChannel.prototype.postMessage;' +
        '  BroadcastChannel.prototype.postMessage = function (m) { if (window.__watch) __order.push("tabs told"); return post.call(this, m); };' +
        '})();',
    );
    await open(page, server, watched);
    await page.evaluate(() => {
      const w = window as unknown as W & { __watch: boolean };
      w.__order.length = 0;
      w.__watch = true;
      const accept = [...document.querySelectorAll('#consentline button')].find(
        (b) => b.textContent === 'Accept all',
      ) as HTMLButtonElement;
      accept.click();
      w.__order.push('click returned');
    });
    await expect.poll(() => order(page)).toContain('tabs told');
    const click = (await order(page)).filter((e) => ['cookie read', 'tabs told', 'click returned'].includes(e));
    expect(click[0]).toBe('click returned');
    expect(click).toContain('cookie read');
    expect(click.filter((e) => e === 'tabs told')).toHaveLength(1);

    const withdrawal = await page.evaluate(() => {
      const w = window as unknown as W & { Consentline: { set(grants: Record<string, boolean>): void } };
      w.__order.length = 0;
      w.Consentline.set({ analytics: false });
      w.__order.push('call returned');
      return w.__order.filter((e) => ['cookie read', 'tabs told', 'call returned'].includes(e));
    });
    expect(withdrawal.at(-1)).toBe('call returned');
    expect(withdrawal).toContain('cookie read');
    expect(withdrawal.filter((e) => e === 'tabs told')).toHaveLength(1);
  });

  test('a refusal right after a grant is neither lost nor overtaken, and clears its cookies at once', async ({
    page,
    server,
  }) => {
    await open(page, server);
    const seen = await page.evaluate(() => {
      const w = window as unknown as W & { Consentline: { acceptAll(): void; rejectAll(): void } };
      w.__order.length = 0;
      w.Consentline.acceptAll();
      document.cookie = '_ga=GA1.1.1; path=/';
      w.Consentline.rejectAll();
      // The store deletes a withdrawn category's cookies with the decision, in this very task.
      return /_ga=/.test(document.cookie);
    });
    expect(seen).toBe(false);
    await expect.poll(() => order(page)).toContain('on denied');
    expect((await order(page)).filter((e) => e.startsWith('on ') || e.startsWith('consent '))).toEqual([
      'consent update',
      'consent update',
      'on granted',
      'on denied',
    ]);
    await expect.poll(() => page.evaluate(() => document.cookie)).not.toContain('_ga=');
    expect(await page.evaluate(() => document.cookie)).toMatch(/consentline=/);
  });

  test('Accept all with call tracking read ahead: the numbers are written before any task or frame after the click', async ({
    page,
    server,
  }) => {
    const config = {
      categories: { analytics: {} },
      dni: { targets: ['+15551234567'], rules: [{ direct: true, number: '+18889990000' }] },
    };
    await open(
      page,
      server,
      PAGE.replace(/(id="consentline-config">)[^<]*/, `$1${JSON.stringify(config)}`).replace(
        '<h1>Page</h1>',
        '<h1>Page</h1><p id="num">Call (555) 123-4567 today</p>',
      ),
    );
    // The add-on file has run (Consentline.dni is there before it, as a facade) and has read the
    // page ahead, in idle time.
    await addonRan(page, 'dni');
    await page.evaluate(
      () => new Promise((done) => requestIdleCallback(() => requestIdleCallback(done, { timeout: 500 }))),
    );
    await page.evaluate(() => {
      const log = (window as unknown as W).__order;
      log.length = 0;
      const text = () => document.getElementById('num')!.textContent;
      setTimeout(() => log.push(`next task: ${text()}`), 0);
      requestAnimationFrame(() => log.push(`next frame: ${text()}`));
      const accept = [...document.querySelectorAll('#consentline button')].find(
        (b) => b.textContent === 'Accept all',
      ) as HTMLButtonElement;
      accept.click();
      log.push(`click returned: ${text()}`);
    });
    // The three entries of this test (the page logs others too): the frame's may come last.
    const ours = async () => (await order(page)).filter((e) => e.includes(':'));
    await expect.poll(async () => (await ours()).length).toBeGreaterThanOrEqual(3);
    const seen = await ours();
    // Not inside the call itself (the click's caller goes first), but before anything after it.
    expect(seen).toContain('click returned: Call (555) 123-4567 today');
    expect(seen).toContain('next task: Call (888) 999-0000 today');
    expect(seen).toContain('next frame: Call (888) 999-0000 today');
  });
});

test.describe('the pointer on its way to the click', () => {
  // A trusted click is a move, a press and a release, and a visitor's pointer crosses the banner's
  // buttons: hover feedback that makes the button a stacking context or containing block (filter,
  // opacity, transform) recomputes its layers and lays the page out again on every crossing.
  test('hover feedback on the banner buttons is painted in the button alone: no filter, opacity or transform, no move', async ({
    page,
    server,
  }) => {
    await open(page, server);
    const looks = (name: string) =>
      page.getByRole('button', { name, exact: true }).evaluate((b) => {
        const s = getComputedStyle(b);
        const r = b.getBoundingClientRect();
        return {
          paint: [s.backgroundColor, s.backgroundImage, s.boxShadow, s.color, s.borderTopColor].join(' / '),
          layer: [s.filter, s.opacity, s.transform, s.backdropFilter].join(' / '),
          box: [r.x, r.y, r.width, r.height].join(),
        };
      });
    for (const name of ['Accept all', 'Reject all', 'Customize']) {
      await page.mouse.move(0, 0);
      const rest = await looks(name);
      await page.getByRole('button', { name, exact: true }).hover();
      const hovered = await looks(name);
      expect(hovered.paint, name).not.toBe(rest.paint);
      expect(hovered.layer, name).toBe('none / 1 / none / none');
      expect(hovered.box, name).toBe(rest.box);
    }
  });

  test("a page's hover rules neither take our hover feedback away nor get ours", async ({ page, server }) => {
    const hostile =
      '<style>*:hover,button:hover{box-shadow:none!important;background:red!important;filter:blur(3px)!important}</style>';
    const shadow = (locator: ReturnType<Page['locator']>) =>
      locator.evaluate((el) => [getComputedStyle(el).boxShadow, getComputedStyle(el).filter].join(' / '));
    await open(page, server);
    const accept = page.getByRole('button', { name: 'Accept all', exact: true });
    await accept.hover();
    const ours = await shadow(accept);
    await open(
      page,
      server,
      PAGE.replace('</head>', `${hostile}</head>`).replace('<main>', '<main><button id="own">page button</button>'),
    );
    await accept.hover();
    expect(await shadow(accept)).toBe(ours);
    await page.locator('#own').hover();
    expect(await shadow(page.locator('#own'))).toBe('none / blur(3px)');
  });
});
