// Withdrawal clearing and the consent cookie's own copies, in a real cookie jar (domains, paths,
// Secure and prefixed names), against the built script tag and the built ESM package.
//
// As in hardening-cookies.spec.ts, every request to *.example.test is answered by page.route, so
// https pages are real secure contexts and a sibling's cookie is one added for `.example.test`.
import { existsSync, readFileSync } from 'node:fs';
import type { BrowserContext, Page } from '@playwright/test';
import { recordFigures } from '../support/figures';
import { expect, test } from './fixtures';

const DAY = 86_400_000;
const PARENT = '.example.test';
const WWW = 'https://www.example.test';

interface ConsentView {
  needsDecision: boolean;
  optedOut: boolean;
  grants: Record<string, boolean>;
}

/** Serves `html` on every page of *.example.test (http and https), the built files under /dist/ and js-cookie. */
async function serve(context: BrowserContext, html: string): Promise<void> {
  await context.route(/^https?:\/\/[a-z.]*example\.test\//, (route) => {
    const path = new URL(route.request().url()).pathname;
    if ((path.startsWith('/dist/') || path.startsWith('/node_modules/js-cookie/')) && existsSync('.' + path)) {
      return route.fulfill({ contentType: 'text/javascript', body: readFileSync('.' + path, 'utf8') });
    }
    return route.fulfill({ contentType: 'text/html', body: html });
  });
}

/** A page with the script tag configured by `config`. */
const scriptTagPage = (config: object): string =>
  '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>site</title>' +
  `<script type="application/json" id="consentline-config">${JSON.stringify(config)}</script>` +
  '<script src="/dist/consentline.min.js"></script></head><body><a href="#" data-consentline-optout>Do Not Sell or Share</a></body></html>';

const view = (page: Page): Promise<ConsentView> =>
  page.evaluate(() => {
    const s = (window.Consentline!.get as () => ConsentView)();
    return { needsDecision: s.needsDecision, optedOut: s.optedOut, grants: { ...s.grants } };
  });

const call = (page: Page, method: 'acceptAll' | 'rejectAll') =>
  page.evaluate((m) => (window.Consentline![m] as () => void)(), method);

type Grant = { analytics: boolean; advertising: boolean; social: boolean };
const ALL: Grant = { analytics: true, advertising: true, social: true };
const NONE: Grant = { analytics: false, advertising: false, social: false };
const OPTED_OUT: Grant = { analytics: true, advertising: false, social: false };

/** A well-formed record made `age` ago that lasts `days`. */
function record(grants: Grant, { revision = 1, age = 60_000, days = 0, method = 'b', regime = 'i' } = {}): string {
  const time = Date.now() - age;
  const granting = Object.values(grants).some(Boolean);
  const list = (['analytics', 'advertising', 'social'] as const).map((id) => `${id}:${grants[id] ? 1 : 0}`).join('|');
  const id = 'rec' + Math.random().toString(36).slice(2, 12);
  return [
    '1',
    String(revision),
    id,
    time.toString(36),
    (time + (days || (granting ? 395 : 182)) * DAY).toString(36),
    method,
    '0',
    regime,
    list,
  ].join('~');
}

const jar = async (context: BrowserContext) =>
  (await context.cookies()).map((c) => ({
    name: c.name,
    domain: c.domain,
    path: c.path,
    value: decodeURIComponent(c.value),
  }));

test.describe("withdrawal clears a category's cookies", () => {
  test("on the page's own path and its parents, Secure and prefixed ones too, whatever their value looks like", async ({
    page,
    context,
  }) => {
    await serve(
      context,
      scriptTagPage({
        cookieName: 'trk_consent',
        categories: { advertising: { cookies: ['_fbp', 'trk_*', '__Secure-trk*', '__Host-trk*'] } },
      }),
    );
    await page.goto(`${WWW}/blog/post`);
    await call(page, 'acceptAll');
    const lookalike = record(ALL);
    const secure = { secure: true, sameSite: 'Lax' as const };
    await context.addCookies([
      // Set by a tag on this page's own path and on a parent path, not on `/`.
      { name: '_fbp', value: 'a', domain: 'www.example.test', path: '/blog/post' },
      { name: '_fbp', value: 'b', domain: 'www.example.test', path: '/blog' },
      // Secure, on the parent domain; and the prefixed names, which only a Secure deletion reaches.
      { name: 'trk_id', value: 'c', domain: PARENT, path: '/', ...secure },
      { name: '__Secure-trk', value: 'd', domain: 'www.example.test', path: '/blog', ...secure },
      { name: '__Host-trk', value: 'e', domain: 'www.example.test', path: '/', ...secure },
      // A tracker whose value looks like a decision record.
      { name: 'trk_sync', value: encodeURIComponent(lookalike), domain: 'www.example.test', path: '/' },
    ]);
    // Cookies added through the browser reach the page's document.cookie a little later: the
    // withdrawal must find them all there, as it would a tag's.
    const names = ['_fbp', 'trk_id', '__Secure-trk', '__Host-trk', 'trk_sync'];
    await expect
      .poll(() => page.evaluate((want) => want.every((n) => document.cookie.includes(`${n}=`)), names))
      .toBe(true);
    // What the page itself sees once the refusal returns: no withdrawn cookie is left to read.
    const seen = await page.evaluate((want) => {
      (window.Consentline!.rejectAll as () => void)();
      return want.filter((n) => document.cookie.includes(`${n}=`));
    }, names);
    recordFigures('cookies: clearing on withdrawal', { cases: 6, leaks: seen.length });
    expect(seen).toEqual([]);
    // The browser's own store (every path, not only this page's) hears the deletions a little later.
    const survivorsIn = async () =>
      (await jar(context)).filter((c) => c.name !== '__Host-trk_consent').map((c) => `${c.name} ${c.path}`);
    await expect.poll(survivorsIn, { timeout: 2000 }).toEqual([]);
    const left = await jar(context);
    // The consent cookie, which `trk_*` covers by name, is kept: the refusal holds.
    expect(left.map((c) => c.name)).toEqual(['__Host-trk_consent']);
    await page.reload();
    expect((await view(page)).grants['advertising']).toBe(false);
  });

  test("a `;` in the page's path (a crafted link) never turns a deletion into a long-lived cookie", async ({
    page,
    context,
  }) => {
    await serve(context, scriptTagPage({ categories: { advertising: { cookies: ['_fbp'] } } }));
    await page.goto(`${WWW}/blog;max-age=99999999/post`);
    await call(page, 'acceptAll');
    await context.addCookies([{ name: '_fbp', value: 'a', domain: 'www.example.test', path: '/' }]);
    await expect.poll(() => page.evaluate(() => document.cookie.includes('_fbp='))).toBe(true);
    await call(page, 'rejectAll');
    // Written as `path=/blog;max-age=99999999`, a deletion would set an empty `_fbp` for years.
    const others = async () =>
      (await jar(context)).filter((c) => c.name !== '__Host-consentline').map((c) => `${c.name}=${c.value} ${c.path}`);
    await expect.poll(others, { timeout: 2000 }).toEqual([]);
  });

  test("script tag: the extra ui.cookiePaths are cleared in the decision's own task, with the rest", async ({
    page,
    context,
  }) => {
    await serve(
      context,
      scriptTagPage({ categories: { analytics: { cookies: ['_ga', '_ga_*'] } }, ui: { cookiePaths: ['/shop'] } }),
    );
    // A same-origin frame on /shop reads that path's cookies, which the page on / cannot see.
    await page.route('**/shop/frame', (route) =>
      route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>frame</title>' }),
    );
    await page.goto(`${WWW}/`);
    await call(page, 'acceptAll');
    await page.evaluate(
      () =>
        new Promise((done) => {
          const frame = document.createElement('iframe');
          frame.className = 'shop';
          frame.src = '/shop/frame';
          frame.onload = done;
          document.body.append(frame);
        }),
    );
    await context.addCookies([
      { name: '_ga', value: 'x', domain: 'www.example.test', path: '/shop', secure: true },
      { name: '_ga', value: 'y', domain: PARENT, path: '/', secure: true },
    ]);
    const shopJar = () =>
      page.evaluate(() => (document.querySelector('iframe.shop') as HTMLIFrameElement).contentDocument!.cookie);
    await expect.poll(() => page.evaluate(() => document.cookie.includes('_ga='))).toBe(true);
    await expect.poll(shopJar).toContain('_ga=x');
    // Withdrawal, then both jars read before the task ends.
    const seen = await page.evaluate(() => {
      (window.Consentline!.rejectAll as () => void)();
      const shop = (document.querySelector('iframe.shop') as HTMLIFrameElement).contentDocument!;
      return { page: document.cookie.includes('_ga='), shop: shop.cookie.includes('_ga=') };
    });
    recordFigures('cookies: clearing on withdrawal', { cases: 2, leaks: Number(seen.page) + Number(seen.shop) });
    expect(seen).toEqual({ page: false, shop: false });
    expect((await jar(context)).filter((c) => c.name === '_ga')).toEqual([]);
  });

  test('with no UI at all: a store on the cookie storage clears on withdrawal (npm, own banner)', async ({
    page,
    context,
  }) => {
    await serve(
      context,
      '<!doctype html><html><head><meta charset="utf-8"><title>own banner</title>' +
        '<script type="importmap">{"imports":{"js-cookie":"/node_modules/js-cookie/dist/js.cookie.mjs"}}</script><script type="module">' +
        "import { createConsentStore, createCookieStorage } from '/dist/esm/index.js';" +
        "const store = createConsentStore({ storage: createCookieStorage(), categories: [{ id: 'analytics', cookies: ['_ga', '_ga_*'] }] });" +
        'window.store = store;</script></head><body></body></html>',
    );
    await page.goto(`${WWW}/shop/item`);
    await page.waitForFunction(() => 'store' in window);
    await page.evaluate(() => (window as unknown as { store: { acceptAll(): void } }).store.acceptAll());
    await context.addCookies([
      { name: '_ga', value: 'x', domain: PARENT, path: '/' },
      { name: '_ga_ABC', value: 'y', domain: 'www.example.test', path: '/shop', secure: true },
    ]);
    // The page's own view of its cookies catches up with cookies set from outside a moment later.
    await expect
      .poll(() => page.evaluate(() => ['_ga=', '_ga_ABC='].every((c) => document.cookie.includes(c))))
      .toBe(true);
    await page.evaluate(() =>
      (window as unknown as { store: { set(g: object): void } }).store.set({ analytics: false }),
    );
    expect((await jar(context)).map((c) => c.name)).toEqual(['__Host-consentline']);
  });
});

test.describe('the consent cookie keeps every refusal', () => {
  test("https: a new decision leaves a sibling's shared decision on the parent domain alone, and still sticks", async ({
    page,
    context,
  }) => {
    await serve(context, scriptTagPage({}));
    // shop.example.test shares its decision with its subdomains (cookieDomain), as Consentline writes it.
    const shared = record(NONE, { age: 3_600_000 });
    await context.addCookies([
      { name: '__Secure-consentline', value: shared, domain: PARENT, path: '/', secure: true, sameSite: 'Lax' },
    ]);
    await page.goto(`${WWW}/`);
    await call(page, 'acceptAll');
    const after = await jar(context);
    expect(after.find((c) => c.name === '__Secure-consentline')).toMatchObject({ domain: PARENT, value: shared });
    // This site's newer decision outranks the sibling's older one, on this page and the next.
    await page.reload();
    expect((await view(page)).grants).toEqual({ necessary: true, analytics: true, advertising: true, social: true });
    // And the sibling still reads its own refusal.
    await context.unrouteAll();
    await serve(context, scriptTagPage({ cookieDomain: 'example.test' }));
    await page.goto('https://shop.example.test/');
    expect((await view(page)).grants).toEqual({ necessary: true, analytics: false, advertising: false, social: false });
  });

  test("https: reset() deletes every copy the page sees, a sibling's shared one too, so the visitor is asked again", async ({
    page,
    context,
  }) => {
    await serve(context, scriptTagPage({}));
    await context.addCookies([
      { name: '__Secure-consentline', value: record(NONE), domain: PARENT, path: '/', secure: true, sameSite: 'Lax' },
    ]);
    await page.goto(`${WWW}/`);
    await call(page, 'acceptAll');
    expect((await jar(context)).map((c) => c.name).sort()).toEqual(['__Host-consentline', '__Secure-consentline']);
    await page.evaluate(() => (window.Consentline!.reset as () => void)());
    expect(await jar(context)).toEqual([]);
    // A refusal left on the parent domain would still count here and keep the banner away.
    await page.reload();
    expect(await view(page)).toEqual({
      needsDecision: true,
      optedOut: false,
      grants: { necessary: true, analytics: false, advertising: false, social: false },
    });
  });

  test('https: when the browser refuses the __Host- cookie, moving an older cookie to it loses nothing', async ({
    page,
    context,
  }) => {
    // A browser (or extension) that drops prefixed cookies: the write cannot be read back.
    await context.addInitScript(() => {
      const desc = Object.getOwnPropertyDescriptor(Document.prototype, 'cookie')!;
      Object.defineProperty(Document.prototype, 'cookie', {
        configurable: true,
        get() {
          return desc.get!.call(this);
        },
        set(value: string) {
          if (!String(value).startsWith('__Host-')) desc.set!.call(this, value);
        },
      });
    });
    await serve(context, scriptTagPage({ regime: 'opt-out' }));
    const optedOut = record(OPTED_OUT, { method: 'o', regime: 'o' });
    await context.addCookies([{ name: 'consentline', value: optedOut, url: `${WWW}/`, secure: true, sameSite: 'Lax' }]);
    for (let visit = 0; visit < 2; visit++) {
      await page.goto(`${WWW}/`);
      const s = await view(page);
      expect(s.optedOut, `visit ${visit}`).toBe(true);
      expect(s.grants['advertising'], `visit ${visit}`).toBe(false);
    }
    expect(await jar(context)).toEqual([
      { name: 'consentline', domain: 'www.example.test', path: '/', value: optedOut },
    ]);
    // A new decision is kept the same way.
    await page.click('[data-consentline-optout]');
    await call(page, 'rejectAll');
    await page.reload();
    expect((await view(page)).grants).toEqual({ necessary: true, analytics: false, advertising: false, social: false });
  });

  test('opt-out regime: a Do Not Sell holds after the policy revision is bumped, until the visitor decides again', async ({
    page,
    context,
  }) => {
    await serve(context, scriptTagPage({ regime: 'opt-out', revision: 1 }));
    await page.goto(`${WWW}/`);
    await page.click('[data-consentline-optout]');
    await context.unrouteAll();
    await serve(context, scriptTagPage({ regime: 'opt-out', revision: 2 }));
    for (let visit = 0; visit < 2; visit++) {
      await page.goto(`${WWW}/`);
      const s = await view(page);
      expect(s.optedOut, `visit ${visit}`).toBe(true);
      expect(s.grants, `visit ${visit}`).toEqual({
        necessary: true,
        analytics: true,
        advertising: false,
        social: false,
      });
    }
    // Deciding again under the new revision replaces it.
    await call(page, 'acceptAll');
    await page.reload();
    expect((await view(page)).grants['advertising']).toBe(true);
  });

  test('opt-out regime: a Do Not Sell whose record has run out still holds, and its cookie is renewed', async ({
    page,
    context,
  }) => {
    await serve(context, scriptTagPage({ regime: 'opt-out' }));
    // Made 200 days ago, it ended 18 days ago (a refusal lasts 182); its cookie is kept longer.
    const lapsed = record(OPTED_OUT, { age: 200 * DAY, method: 'o', regime: 'o' });
    await context.addCookies([
      {
        name: '__Host-consentline',
        value: lapsed,
        url: `${WWW}/`,
        secure: true,
        sameSite: 'Lax',
        expires: Math.floor((Date.now() + 100 * DAY) / 1000),
      },
    ]);
    await page.goto(`${WWW}/`);
    const s = await view(page);
    expect(s.optedOut).toBe(true);
    expect(s.grants['advertising']).toBe(false);
    const [cookie] = await context.cookies();
    expect(decodeURIComponent(cookie!.value)).toBe(lapsed);
    const days = (cookie!.expires * 1000 - Date.now()) / DAY;
    expect(days).toBeGreaterThan(181);
  });
});
