// Page content named after a member of `document` shadows it (named access on Document overrides
// its own members): `<form name="createElement">` leaves `document.createElement` a form. Beside
// the consent UI (clobbered-document.spec.ts), the signals, call tracking and the GPP add-on must
// still work on such a page, and a form whose controls shadow its own methods
// (`<input name="closest">`) must not stop them either.
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { recordFigures } from '../support/figures';
import { callConsentline, expect, serveHtml, test } from './fixtures';

// Members of document that the signals, call tracking and the add-on loader read.
const MEMBERS = [
  'querySelectorAll',
  'createElement',
  'body',
  'documentElement',
  'addEventListener',
  'visibilityState',
  'referrer',
  'dispatchEvent',
  'createTreeWalker',
  'createTextNode',
];
// Controls that shadow the form's own methods.
const CONTROLS = ['querySelectorAll', 'querySelector', 'matches', 'closest', 'appendChild']
  .map((name) => `<input type="hidden" name="${name}">`)
  .join('');
const CLOBBERING =
  MEMBERS.map((member) => `<form name="${member}">${CONTROLS}</form>`).join('') +
  '<img name="cookie" alt="" src="data:,">';

/** A demo page with every member above shadowed at the top of its body, and `extra` markup after it. */
const clobbered = (file: string, extra = ''): string =>
  readFileSync(`demo/site/${file}`, 'utf8').replace('<body>', `<body>${CLOBBERING}${extra}`);

const shimGpc = (page: Page) =>
  page.addInitScript(() => Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true }));

test.describe('signals and call tracking on a page that shadows members of document', () => {
  test('the GPC status shows the honoured opt-out, and the Do Not Sell link opts out', async ({
    page,
    server,
    pageErrors,
  }) => {
    await shimGpc(page);
    await page.goto(serveHtml(server, '/clobbered-us.html', clobbered('us.html')));
    expect(await page.evaluate(() => typeof document.createElement)).toBe('object');
    const status = page.locator('[data-consentline-gpc-status]');
    await expect(status).toHaveText('Opt-Out Request Honored');
    await expect(status).toBeVisible();
    await page.getByRole('link', { name: 'Do Not Sell or Share My Personal Information' }).click();
    const method = await page.evaluate(
      () => (window.Consentline!.get as () => { decision: { method: string } | null })().decision?.method,
    );
    recordFigures('hardening: shadowed document members (signals)', {
      cases: MEMBERS.length,
      leaks: method === 'opt-out' ? 0 : 1,
    });
    expect(method).toBe('opt-out');
    expect(new URL(page.url()).pathname).toBe('/clobbered-us.html');
    expect(pageErrors).toEqual([]);
  });

  test('call tracking swaps every number, announces it, and puts the page back on withdrawal', async ({
    page,
    server,
    pageErrors,
  }) => {
    // A number in a form whose controls shadow its methods, and an empty placeholder.
    const extra =
      `<form class="quote" data-consentline-form>${CONTROLS}Quotes: (555) 123-4567</form>` +
      '<p>Direct: <span class="placeholder" data-dni="+15551234567"></span></p>';
    const url = serveHtml(server, '/clobbered-dni.html', clobbered('index.html', extra));
    // From a search engine: the number is picked by the referrer's host.
    await page.goto(url, { referer: 'https://www.google.com/' });
    await page.waitForFunction(() => typeof window.Consentline?.get === 'function');
    await page.evaluate(() => {
      const heard: string[] = [];
      (window as unknown as { heard: string[] }).heard = heard;
      for (const type of ['consentline:change', 'consentline:dni'])
        EventTarget.prototype.addEventListener.call(document, type, () => heard.push(type));
    });
    const texts = () =>
      page.evaluate(() => {
        const q = (s: string) => Document.prototype.querySelector.call(document, s);
        return {
          hero: q('.hero strong')?.textContent,
          cta: q('a.phone-cta')?.getAttribute('href'),
          area: q('a.phone-cta .area')?.textContent,
          quote: q('form.quote')?.textContent,
          placeholder: q('.placeholder')?.textContent,
          token: (q('form.quote [name=consentline_token]') as HTMLInputElement | null)?.value.slice(0, 4) ?? null,
        };
      });
    await callConsentline(page, 'acceptAll');
    await expect.poll(texts).toEqual({
      hero: '(888) 999-0004',
      cta: 'tel:+18889990004',
      area: '(888)',
      quote: 'Quotes: (888) 999-0004',
      placeholder: '888 999 0004',
      token: 'cl1.',
    });
    // The change event is in the later queue: it may wait for the held-back scripts the grant started.
    const heard = () => page.evaluate(() => [...new Set((window as unknown as { heard: string[] }).heard)].sort());
    await expect.poll(heard).toEqual(['consentline:change', 'consentline:dni']);

    await callConsentline(page, 'set', { analytics: false });
    await expect.poll(texts).toEqual({
      hero: '(555) 123-4567',
      cta: 'tel:+15551234567',
      area: '(555)',
      quote: 'Quotes: (555) 123-4567',
      placeholder: '',
      token: null,
    });
    expect(pageErrors).toEqual([]);
  });

  test('on a US visit the GPP add-on loads, __gpp answers and the locator frame is in the real body', async ({
    page,
    server,
    pageErrors,
  }) => {
    await page.goto(serveHtml(server, '/clobbered-gpp.html', clobbered('us.html')));
    await page.waitForFunction(() => !!(window.frames as unknown as Record<string, unknown>)['__gppLocator'], null, {
      timeout: 5000,
    });
    const seen = await page.evaluate(() => {
      const frame = Document.prototype.querySelector.call(document, 'iframe[name="__gppLocator"]');
      let ping: { cmpStatus?: string; signalStatus?: string } | undefined;
      (window as unknown as { __gpp(c: string, cb: (d: typeof ping) => void): void }).__gpp('ping', (d) => (ping = d));
      return {
        parent: frame?.parentElement === Reflect.get(Document.prototype, 'body', document),
        cmpStatus: ping?.cmpStatus,
        signalStatus: ping?.signalStatus,
      };
    });
    expect(seen).toEqual({ parent: true, cmpStatus: 'loaded', signalStatus: 'ready' });
    expect(server.requests.filter((r) => r.path === '/dist/gpp.js')).toHaveLength(1);
    expect(pageErrors).toEqual([]);
  });

  test('an element named like a locator frame does not stop the real ones being added', async ({
    page,
    server,
    pageErrors,
  }) => {
    // By named access these are window.__gppLocator and window.__uspapiLocator too, yet no frame is
    // one: a frame from another origin sees only its parent's child frames by name.
    const named = '<div id="__gppLocator"></div><img name="__uspapiLocator" alt="" src="data:,">';
    await page.goto(serveHtml(server, '/clobbered-locators.html', clobbered('us.html', named)));
    const frames = () =>
      page.evaluate(() =>
        ['__gppLocator', '__uspapiLocator'].map(
          (name) => Document.prototype.querySelectorAll.call(document, `iframe[name="${name}"]`).length,
        ),
      );
    await expect.poll(frames, { timeout: 5000 }).toEqual([1, 1]);
    expect(pageErrors).toEqual([]);
  });
});
