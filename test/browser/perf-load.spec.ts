// What the script tag does while its file runs, in Chromium against the built
// dist/consentline.min.js. A `document.cookie` read makes Chromium record a performance issue with
// the script's stack; with a DevTools session attached (the bench, any automation) that stack is
// captured whole, and the source positions of each function on it are collected by parsing it
// again. The file's top-level function is the whole file, so the SDK boots from a microtask queued
// by that code: after it has returned, and still before the page's next script runs.
import { readFileSync } from 'node:fs';
import { expect, test } from './fixtures';

type W = { __inFile?: boolean; __reads: Array<boolean | undefined>; __next: { api: string; consent: number } };

const PAGE =
  '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>t</title>' +
  '<script>' +
  'window.__reads = [];' +
  'var jar = Object.getOwnPropertyDescriptor(Document.prototype, "cookie");' +
  // Whether each cookie read happens inside the SDK file's top-level code.
  'Object.defineProperty(Document.prototype, "cookie", { configurable: true,' +
  '  get: function () { __reads.push(window.__inFile); return jar.get.call(this); },' +
  '  set: function (v) { jar.set.call(this, v); } });' +
  '</script>' +
  `<script type="application/json" id="consentline-config">${JSON.stringify({ categories: { analytics: {} } })}</script>` +
  '<script src="/dist/consentline.min.js"></script>' +
  // The page's next script: the API and Consent Mode's default are there for it.
  '<script>window.__next = { api: typeof Consentline.get, consent: (window.dataLayer || []).filter(function (e) { return e[0] === "consent"; }).length };</script>' +
  '</head><body><main><h1>Page</h1></main></body></html>';

test('the SDK reads its cookie after its file has run, and is complete before the next script', async ({
  page,
  server,
}) => {
  // The file as built, marked from its first statement to its last.
  const sdk = readFileSync('dist/consentline.min.js', 'utf8');
  await page.route('**/dist/consentline.min.js', (route) =>
    route.fulfill({
      contentType: 'text/javascript',
      body: `window.__inFile = true;\n${sdk}\n;window.__inFile = false;`,
    }),
  );
  await page.route('**/perf-load.html', (route) => route.fulfill({ contentType: 'text/html', body: PAGE }));
  await page.goto(`${server.url}/perf-load.html`);
  await expect(page.getByRole('button', { name: 'Accept all' })).toBeVisible();
  const seen = await page.evaluate(() => ({
    reads: (window as unknown as W).__reads,
    next: (window as unknown as W).__next,
  }));
  expect(seen.reads.length).toBeGreaterThan(0);
  expect(seen.reads[0]).toBe(false);
  expect(seen.next).toEqual({ api: 'function', consent: 1 });
});

// The boot's task ends with the public API complete; the UI (its stylesheet, root and banner) is
// drawn in a task after it, so the two do not add up to one long task on a slow device.
const splitPage = (tag: string, after: string) =>
  '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>t</title></head><body><main><h1>Page</h1></main>' +
  `<script type="application/json" id="consentline-config">${JSON.stringify({
    categories: { analytics: {}, advertising: {} },
    signals: { usp: {} },
  })}</script>` +
  `${tag}${after}</body></html>`;
const SPLIT_PAGE = splitPage(
  '<script src="/dist/consentline.min.js" data-region="US-CA"></script>',
  '<script>window.__next = window.__look();</script>',
);

type Look = {
  showPreferences: string;
  acceptAll: string;
  consentDefault: number;
  gpp: string;
  usp: string;
  root: boolean;
  sheets: number;
};

test('the API is complete when the boot task ends, and the UI is drawn in a task after it', async ({
  page,
  server,
}) => {
  await page.addInitScript(() => {
    const w = window as unknown as Record<string, unknown> & { Consentline?: Record<string, unknown> };
    w['__look'] = (): Look => ({
      showPreferences: typeof w.Consentline?.['showPreferences'],
      acceptAll: typeof w.Consentline?.['acceptAll'],
      consentDefault: ((w['dataLayer'] as IArguments[] | undefined) ?? []).filter(
        (e) => e[0] === 'consent' && e[1] === 'default',
      ).length,
      gpp: typeof w['__gpp'],
      usp: typeof w['__uspapi'],
      root: !!document.querySelector('#consentline'),
      sheets: document.adoptedStyleSheets.length,
    });
  });
  // The file as built, followed by a microtask queued after the SDK's own: it runs at the end of
  // the boot's task, after the boot.
  const sdk = readFileSync('dist/consentline.min.js', 'utf8');
  await page.route('**/dist/consentline.min.js', (route) =>
    route.fulfill({
      contentType: 'text/javascript',
      body: `${sdk}\n;queueMicrotask(function () { window.__boot = window.__look(); });`,
    }),
  );
  await page.route('**/perf-split.html', (route) => route.fulfill({ contentType: 'text/html', body: SPLIT_PAGE }));
  await page.goto(`${server.url}/perf-split.html`);
  await expect(page.getByRole('button', { name: 'Accept all' })).toBeVisible();
  const seen = await page.evaluate(() => {
    const w = window as unknown as { __boot: Look; __next: Look; __look: () => Look };
    return { boot: w.__boot, next: w.__next, now: w.__look() };
  });
  const api = {
    showPreferences: 'function',
    acceptAll: 'function',
    consentDefault: 1,
    gpp: 'function',
    usp: 'function',
  };
  expect(seen.boot).toEqual({ ...api, root: false, sheets: 0 });
  expect(seen.next).toMatchObject(api);
  expect(seen.now).toEqual({ ...api, root: true, sheets: 1 });
});

test("the page's next script can open the preferences or decide before the UI is drawn", async ({ page, server }) => {
  const tag = '<script src="/dist/consentline.min.js"></script>';
  await page.route('**/perf-open.html', (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: splitPage(tag, '<script>Consentline.showPreferences();</script>'),
    }),
  );
  await page.route('**/perf-accept.html', (route) =>
    route.fulfill({ contentType: 'text/html', body: splitPage(tag, '<script>Consentline.acceptAll();</script>') }),
  );
  await page.goto(`${server.url}/perf-open.html`);
  await expect(page.getByRole('dialog')).toBeVisible();
  await expect(page.getByRole('switch', { name: 'Analytics' })).not.toBeChecked();
  await page.goto(`${server.url}/perf-accept.html`);
  await expect
    .poll(() =>
      page.evaluate(
        () => (window as unknown as { Consentline: { get(): { decision?: unknown } } }).Consentline.get().decision,
      ),
    )
    .toBeTruthy();
  await page.evaluate(() => new Promise((r) => setTimeout(r, 100)));
  await expect(page.getByRole('button', { name: 'Accept all' })).toHaveCount(0);
  expect((await page.context().cookies()).map((c) => c.name)).toContain('consentline');
});

test("drawn after the page's last element, the UI is shown once: it is not shown again when the page is parsed", async ({
  page,
  server,
}) => {
  await page.addInitScript(() => {
    const w = window as unknown as { __shown: number };
    w.__shown = 0;
    // Each showing of the root (a popover) forces a style update of the whole page.
    document.addEventListener(
      'beforetoggle',
      (e) => {
        if ((e.target as Element).id === 'consentline' && (e as ToggleEvent).newState === 'open') w.__shown++;
      },
      true,
    );
  });
  // The tag last in <body>, as the bench page has it.
  const body = splitPage('<script src="/dist/consentline.min.js"></script>', '');
  await page.route('**/perf-last.html', (route) => route.fulfill({ contentType: 'text/html', body }));
  await page.goto(`${server.url}/perf-last.html`);
  await expect(page.getByRole('button', { name: 'Accept all' })).toBeVisible();
  await page.evaluate(() => new Promise((r) => setTimeout(r, 100)));
  expect(await page.evaluate(() => (window as unknown as { __shown: number }).__shown)).toBe(1);
  // Still the last element of <body> but for the spacer under the bar.
  expect(await page.evaluate(() => document.body.lastElementChild?.previousElementSibling?.id)).toBe('consentline');
});

test("the boot task picks no language and draws no random id: the UI's draw does", async ({ page, server }) => {
  await page.addInitScript(() => {
    const w = window as unknown as { __work: { ids: number; languages: number } };
    w.__work = { ids: 0, languages: 0 };
    const draw = Crypto.prototype.getRandomValues;
    Crypto.prototype.getRandomValues = function <T extends ArrayBufferView | null>(this: Crypto, array: T): T {
      w.__work.ids++;
      return draw.call(this, array as never) as T;
    };
    const languages = Object.getOwnPropertyDescriptor(Navigator.prototype, 'languages')!;
    Object.defineProperty(Navigator.prototype, 'languages', {
      configurable: true,
      get() {
        w.__work.languages++;
        return languages.get!.call(this);
      },
    });
  });
  // The file as built, followed by a microtask queued after the SDK's own: it runs at the end of
  // the boot's task, after the boot.
  const sdk = readFileSync('dist/consentline.min.js', 'utf8');
  await page.route('**/dist/consentline.min.js', (route) =>
    route.fulfill({
      contentType: 'text/javascript',
      body: `${sdk}\n;queueMicrotask(function () { window.__boot = { ...window.__work }; });`,
    }),
  );
  await page.route('**/perf-work.html', (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: splitPage('<script src="/dist/consentline.min.js"></script>', ''),
    }),
  );
  await page.goto(`${server.url}/perf-work.html`);
  await expect(page.getByRole('button', { name: 'Accept all' })).toBeVisible();
  const seen = await page.evaluate(() => {
    const w = window as unknown as { __boot: unknown; __work: { ids: number; languages: number } };
    return { boot: w.__boot, drawn: w.__work };
  });
  expect(seen.boot).toEqual({ ids: 0, languages: 0 });
  // The same counters see the draw's work.
  expect(seen.drawn.ids).toBeGreaterThan(0);
  expect(seen.drawn.languages).toBeGreaterThan(0);
});

test('the UI is drawn at the first chance after the boot: in the next frame when that comes before its task', async ({
  page,
  server,
}) => {
  // A page whose task queue is busy: every task posted with scheduler.postTask waits 2 s, so the
  // next frame comes first. Timers go the same way.
  await page.addInitScript(() => {
    const late = (run: () => void) => {
      const at = performance.now() + 2000;
      const wait = () => (performance.now() >= at ? run() : requestIdleCallback(wait));
      requestIdleCallback(wait);
    };
    const s = (globalThis as unknown as { scheduler?: Record<string, unknown> }).scheduler;
    if (s) s['postTask'] = (run: () => void) => new Promise<void>((done) => late(() => done(run())));
    const timer = window.setTimeout;
    window.setTimeout = ((run: () => void, ms?: number) => timer(run, Math.max(ms ?? 0, 2000))) as typeof setTimeout;
  });
  await page.route('**/perf-frame.html', (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: splitPage(
        '<script src="/dist/consentline.min.js"></script>',
        // Registered after the SDK's boot: it runs in the first frame after it, after the SDK's own callback.
        '<script>requestAnimationFrame(function () { window.__atFrame = !!document.querySelector("#consentline button"); });</script>',
      ),
    }),
  );
  await page.goto(`${server.url}/perf-frame.html`);
  await page.waitForFunction(() => (window as unknown as { __atFrame?: boolean }).__atFrame !== undefined);
  expect(await page.evaluate(() => (window as unknown as { __atFrame: boolean }).__atFrame)).toBe(true);
  await expect(page.getByRole('button', { name: 'Accept all' })).toBeVisible();
});
