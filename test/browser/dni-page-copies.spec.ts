// Copies of a page that call tracking swapped, put back by the app in the same document: Turbo
// Drive clones <body> into its page cache when the visitor leaves a page and shows the clone again
// on Back; a pjax app keeps a container's HTML as a string and inserts it again. After a
// withdrawal such a copy must show the site's own numbers, links and labels and carry no
// attribution token; while consent lasts it must show the visit's numbers of now.
import type { Page } from '@playwright/test';
import { recordFigures } from '../support/figures';
import { callConsentline, expect, serveHtml, test, type TestServer } from './fixtures';

const MAIN =
  '<p class="hero">Call <strong>(555) 123-4567</strong> today</p>' +
  '<a class="cta" href="tel:+15551234567" aria-label="Call us at (555) 123-4567" title="555-123-4567, 24 h">' +
  '<span class="area">(555)</span> 123-4567</a>' +
  '<p>Or ask for <span class="placeholder" data-dni></span></p>' +
  '<form data-consentline-form action="/collect/contact" method="post"><input name="email"></form>';

// A click-id rule for advertising, another number for analytics alone: the numbers change on the
// page when advertising is granted.
const DNI = {
  targets: ['+15551234567'],
  rules: [{ clickId: 'gclid', number: '+18889990000' }, { number: '+17770001111' }],
};

async function open(page: Page, server: TestServer): Promise<string> {
  const url = serveHtml(
    server,
    '/dni-page-copies.html',
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Copies</title>` +
      `<script type="application/json" id="consentline-config">${JSON.stringify({ dni: DNI })}</script>` +
      `<script src="/dist/consentline.min.js"></script></head><body><main>${MAIN}</main>` +
      `<footer><button type="button" data-consentline-preferences>Cookie settings</button></footer></body></html>`,
  );
  await page.goto(`${url}?gclid=abc`);
  await page.waitForFunction(() => typeof window.Consentline?.get === 'function');
  return page.locator('main').innerHTML();
}

// What the page shows where a number can be, and every token field.
const shown = (page: Page) =>
  page.evaluate(() => {
    const cta = document.querySelector('a.cta')!;
    return {
      hero: document.querySelector('.hero strong')!.textContent,
      cta: cta.textContent,
      href: cta.getAttribute('href'),
      label: cta.getAttribute('aria-label'),
      title: cta.getAttribute('title'),
      placeholder: document.querySelector('.placeholder')!.textContent,
      tokens: [...document.querySelectorAll<HTMLInputElement>('[name=consentline_token]')].map((f) => f.value),
    };
  });

const ORIGINAL = {
  hero: '(555) 123-4567',
  cta: '(555) 123-4567',
  href: 'tel:+15551234567',
  label: 'Call us at (555) 123-4567',
  title: '555-123-4567, 24 h',
  placeholder: '',
  tokens: [],
};

// What the page shows once every part of the page pass after Accept all has run (links, labels and
// forms are written in tasks after the text).
const GRANTED = {
  hero: '(888) 999-0000',
  cta: '(888) 999-0000',
  href: 'tel:+18889990000',
  label: 'Call us at (888) 999-0000',
  title: '888-999-0000, 24 h',
  placeholder: '888 999 0000',
  tokens: [expect.stringMatching(/^cl1\.[a-z0-9]{16}$/)],
};

// Tracking numbers and tokens a page shows (each one is a leak after a withdrawal).
const leaksIn = (html: string) => (html.match(/888|777|cl1\./g) ?? []).length;

/** After a withdrawal: `<main>` is as it was before any consent, every leak counted first. */
const expectOriginals = async (page: Page, before: string) => {
  const after = await page.locator('main').innerHTML();
  recordFigures('dni: copies of the page after a withdrawal (browser)', { scenarios: 1, leaks: leaksIn(after) });
  expect(await shown(page)).toEqual(ORIGINAL);
  expect(after).toBe(before);
};

// Turbo Drive's restoration visit: the cached clone becomes <body>, in the same document.
const showCachedBody = (page: Page) =>
  page.evaluate(async () => {
    const w = window as unknown as { cachedBody: HTMLElement };
    document.body.replaceWith(w.cachedBody.cloneNode(true));
    await new Promise((r) => setTimeout(r, 0));
  });
const cacheBody = (page: Page) =>
  page.evaluate(() => {
    (window as unknown as { cachedBody: Node }).cachedBody = document.body.cloneNode(true);
  });

test.describe('call tracking: copies of the page put back by the app', () => {
  test("a <body> cloned while granted (Turbo Drive's cache) and put back after a withdrawal in the preferences shows the originals and no token", async ({
    page,
    server,
  }) => {
    const before = await open(page, server);
    await callConsentline(page, 'acceptAll');
    await expect.poll(() => shown(page)).toEqual(GRANTED);
    await cacheBody(page);
    // The visitor withdraws call tracking's category in the preferences.
    await page.getByRole('button', { name: 'Cookie settings' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('switch', { name: 'Analytics' }).uncheck();
    await dialog.getByRole('button', { name: 'Save choices' }).click();
    await expect(page.locator('.hero strong')).toHaveText('(555) 123-4567');
    await showCachedBody(page);
    await expectOriginals(page, before);
  });

  test('HTML kept as a string while granted (pjax) and inserted after Reject all shows the originals and no token', async ({
    page,
    server,
  }) => {
    const before = await open(page, server);
    await callConsentline(page, 'acceptAll');
    await expect(page.locator('.hero strong')).toHaveText('(888) 999-0000');
    await page.evaluate(() => {
      (window as unknown as { kept: string }).kept = document.querySelector('main')!.outerHTML;
    });
    await callConsentline(page, 'rejectAll');
    await page.evaluate(async () => {
      document.querySelector('main')!.outerHTML = (window as unknown as { kept: string }).kept;
      await new Promise((r) => setTimeout(r, 0));
    });
    await expectOriginals(page, before);
  });

  test('a <body> put back while consent lasts shows the numbers of now, not those of when it was cloned; a withdrawal then restores it', async ({
    page,
    server,
  }) => {
    const before = await open(page, server);
    await callConsentline(page, 'set', { analytics: true });
    await expect(page.locator('.hero strong')).toHaveText('(777) 000-1111');
    await cacheBody(page);
    // Advertising granted too: the click-id rule now picks another number.
    await callConsentline(page, 'acceptAll');
    await expect.poll(() => shown(page)).toEqual(GRANTED);
    const now = await shown(page);
    await showCachedBody(page);
    expect(await shown(page)).toEqual(now);
    await callConsentline(page, 'rejectAll');
    await expectOriginals(page, before);
  });

  test("a component's open shadow root rendered again after a withdrawal from HTML it kept shows the originals", async ({
    page,
    server,
  }) => {
    await open(page, server);
    const ROOT = '<p>Call <b>(555) 123-4567</b></p><a href="tel:+15551234567" title="555-123-4567">(555) 123-4567</a>';
    await page.evaluate((html) => {
      const host = document.createElement('div');
      host.id = 'card';
      host.attachShadow({ mode: 'open' }).innerHTML = html;
      document.querySelector('main')!.append(host);
    }, ROOT);
    const root = () => page.evaluate(() => document.getElementById('card')!.shadowRoot!.innerHTML);
    await callConsentline(page, 'acceptAll');
    // The link in the root is written in a task after its text.
    await expect.poll(root).toContain('<a href="tel:+18889990000" title="888-999-0000">(888) 999-0000</a>');
    const kept = await root();
    await callConsentline(page, 'rejectAll');
    expect(await root()).toBe(ROOT);
    // The component renders again from the HTML it kept; a new instance is inserted with it too.
    const after = await page.evaluate(async (html) => {
      document.getElementById('card')!.shadowRoot!.innerHTML = html;
      const host = document.createElement('div');
      host.attachShadow({ mode: 'open' }).innerHTML = html;
      document.querySelector('main')!.append(host);
      await new Promise((r) => setTimeout(r, 0));
      return [document.getElementById('card')!.shadowRoot!.innerHTML, host.shadowRoot!.innerHTML];
    }, kept);
    recordFigures('dni: copies of the page after a withdrawal (browser)', {
      scenarios: 1,
      leaks: leaksIn(after.join('')),
    });
    expect(after).toEqual([ROOT, ROOT]);
  });

  test('text the page edits in place (normalize() merging the number with its neighbours) and an href it copies onto another link show the site’s own after a withdrawal', async ({
    page,
    server,
  }) => {
    await open(page, server);
    await page.evaluate(() => {
      const p = document.createElement('p');
      p.id = 'merged';
      p.append('Phone: ', '(555) 123-4567', ' (24 h)');
      const sticky = document.createElement('a');
      sticky.id = 'sticky';
      sticky.href = '#';
      sticky.textContent = 'Call';
      document.querySelector('main')!.append(p, sticky);
    });
    await callConsentline(page, 'acceptAll');
    await expect(page.locator('.hero strong')).toHaveText('(888) 999-0000');
    // The link is written in a task after the text.
    await expect(page.locator('a.cta')).toHaveAttribute('href', 'tel:+18889990000');
    await page.evaluate(async () => {
      document.getElementById('merged')!.normalize();
      // A sticky call button takes the main call link's href, as shown.
      document.getElementById('sticky')!.setAttribute('href', document.querySelector('a.cta')!.getAttribute('href')!);
      await new Promise((r) => setTimeout(r, 0));
    });
    const granted = await page.evaluate(() => [
      document.getElementById('merged')!.textContent,
      document.getElementById('sticky')!.getAttribute('href'),
    ]);
    expect(granted).toEqual(['Phone: (888) 999-0000 (24 h)', 'tel:+18889990000']);
    await callConsentline(page, 'rejectAll');
    const after = await page.evaluate(() => [
      document.getElementById('merged')!.textContent,
      document.getElementById('sticky')!.getAttribute('href'),
    ]);
    recordFigures('dni: copies of the page after a withdrawal (browser)', {
      scenarios: 1,
      leaks: leaksIn(after.join('')),
    });
    expect(after).toEqual(['Phone: (555) 123-4567 (24 h)', 'tel:+15551234567']);
  });
});
