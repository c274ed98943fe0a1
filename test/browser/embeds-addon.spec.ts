// Held-back embeds in the script-tag build: their placeholders are an add-on (dist/embeds.js),
// fetched by dist/consentline.min.js only when the page has an embed, found at start or added
// later, from beside the SDK's tag with its nonce and the integrity baked in at build time. Until
// it has run, and for good when it cannot (missing, not matching its integrity), every embed stays
// blocked: no src, hidden in place. Held-back scripts never wait for it.
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { recordFigures } from '../support/figures';
import { consoleTexts, expect, test } from './fixtures';
import { sri } from './support/sri';
import { readState } from './ui-support';

const SDK = '/dist/consentline.min.js';
const ADDON = '/dist/embeds.js';
const EMBED =
  '<iframe data-category="social" data-src="/social-post.html" data-provider="Chirp" title="Chirp post" width="360" height="160"></iframe>';
const SCRIPT = `<script type="text/plain" data-category="analytics" nonce="demo">window.__ran = true</script>`;

const CONFIG = { categories: { analytics: {}, social: {} } };
/** A page's language, what it loads before the SDK, its configuration and its Content-Security-Policy. */
interface PageSetup {
  lang?: string;
  head?: string;
  config?: object;
  csp?: string;
}
const doc = (body: string, { lang = 'en', head = '', config = CONFIG }: PageSetup = {}) =>
  `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><title>t</title><link rel="stylesheet" href="/site.css">` +
  `<script type="application/json" id="consentline-config">${JSON.stringify(config)}</script>${head}` +
  `<script src="${SDK}" nonce="demo" data-consentline></script></head><body><main><h1>Page</h1>${body}<p id="after">After the embed.</p></main></body></html>`;

const serve = (page: Page, path: string, body: string, setup: PageSetup = {}) =>
  page.route(`**${path}`, (route) =>
    route.fulfill({
      contentType: 'text/html',
      headers: setup.csp ? { 'content-security-policy': setup.csp } : {},
      body: doc(body, setup),
    }),
  );
/** Every request the page makes for the add-on from now on (the array fills as it asks). */
const addonRequests = (page: Page) => {
  const urls: string[] = [];
  page.on('request', (r) => new URL(r.url()).pathname === ADDON && urls.push(r.url()));
  return urls;
};
/** Every request for the embed's own page (the provider) from now on. */
const embedRequests = (page: Page) => {
  const urls: string[] = [];
  page.on('request', (r) => new URL(r.url()).pathname === '/social-post.html' && urls.push(r.url()));
  return urls;
};
const frame = (page: Page) =>
  page.locator('iframe[data-category]').evaluate((f: HTMLIFrameElement) => ({
    src: f.getAttribute('src'),
    visible: getComputedStyle(f).display !== 'none' && getComputedStyle(f).visibility !== 'hidden',
  }));
const acceptAll = (page: Page) =>
  page.evaluate(() => (window.Consentline as unknown as { acceptAll(): void }).acceptAll());
/** Holds the add-on back until the returned function is called. */
const holdAddon = async (page: Page) => {
  let release = () => {};
  const released = new Promise<void>((r) => (release = r));
  await page.route(`**${ADDON}`, async (route) => {
    await released;
    await route.continue();
  });
  return release;
};

test('a page without embed markup never fetches the embed add-on; its held-back scripts run on accept', async ({
  page,
  server,
  pageErrors,
}) => {
  const asked = addonRequests(page);
  await serve(page, '/embeds/none.html', SCRIPT);
  await page.goto(server.url + '/embeds/none.html');
  await page.waitForFunction(() => typeof window.Consentline?.get === 'function');
  await acceptAll(page);
  await expect.poll(() => page.evaluate(() => (window as unknown as { __ran?: boolean }).__ran)).toBe(true);
  await page.waitForTimeout(300);
  recordFigures('add-ons: embeds', { scenarios: 1, leaks: asked.length });
  expect(asked).toEqual([]);
  expect(pageErrors).toEqual([]);
});

test('an embed inserted later fetches the add-on once, beside the tag with its nonce and integrity; it shows the placeholder and loads on its button', async ({
  page,
  server,
  pageErrors,
}) => {
  const asked = addonRequests(page);
  const provider = embedRequests(page);
  await serve(page, '/embeds/later.html', SCRIPT);
  await page.goto(server.url + '/embeds/later.html');
  await page.waitForFunction(() => typeof window.Consentline?.get === 'function');
  await page.waitForTimeout(200);
  expect(asked).toEqual([]);
  await page.evaluate((html) => {
    for (let i = 0; i < 2; i++) document.querySelector('main')!.insertAdjacentHTML('beforeend', html);
  }, EMBED);
  await expect(page.locator('.consentline-ph')).toHaveCount(2);
  const tag = await page.evaluate((file) => {
    const s = document.querySelector<HTMLScriptElement>(`script[src$="${file}"]`)!;
    return { src: s.src, nonce: s.nonce, integrity: s.integrity };
  }, ADDON);
  expect(tag).toEqual({ src: server.url + ADDON, nonce: 'demo', integrity: sri('dist/embeds.js') });
  expect(asked).toHaveLength(1);
  expect(provider).toEqual([]);
  await page.getByRole('button', { name: 'Allow Social media and load' }).first().click();
  await expect(page.locator('.consentline-ph')).toHaveCount(0);
  await expect.poll(() => provider.length).toBe(2);
  expect((await readState(page)).grants['social']).toBe(true);
  // Held-back scripts were never waiting on the add-on: analytics is still not granted.
  expect(await page.evaluate(() => (window as unknown as { __ran?: boolean }).__ran)).toBeUndefined();
  expect(pageErrors).toEqual([]);
});

const FAULTS = [
  { name: 'missing (404)', arrange: (page: Page) => page.route(`**${ADDON}`, (r) => r.fulfill({ status: 404 })) },
  {
    name: 'not matching its integrity',
    arrange: (page: Page) =>
      page.route(`**${ADDON}`, (r) =>
        r.fulfill({ contentType: 'text/javascript', body: `${readFileSync('dist/embeds.js', 'utf8')}\n;` }),
      ),
  },
];
for (const fault of FAULTS) {
  test(`add-on ${fault.name}: one warning, the embed stays blocked and hidden through accept, held-back scripts still run`, async ({
    page,
    server,
    pageErrors,
  }) => {
    const warned = consoleTexts(page, 'warning');
    const provider = embedRequests(page);
    await fault.arrange(page);
    await serve(page, '/embeds/fault.html', EMBED + SCRIPT);
    await page.goto(server.url + '/embeds/fault.html');
    await expect.poll(() => warned.filter((w) => w.includes('embeds:')).length).toBe(1);
    expect(warned.find((w) => w.includes('embeds:'))).toMatch(/embeds\.js did not load .*; embeds stay blocked/);
    await page.getByRole('button', { name: 'Accept all' }).click();
    await expect.poll(() => page.evaluate(() => (window as unknown as { __ran?: boolean }).__ran)).toBe(true);
    await page.waitForTimeout(300);
    const state = await frame(page);
    recordFigures('add-ons: embeds', { scenarios: 1, leaks: provider.length + (state.src === null ? 0 : 1) });
    expect(state).toEqual({ src: null, visible: false });
    expect(provider).toEqual([]);
    expect(await page.locator('.consentline-ph').count()).toBe(0);
    expect(warned.filter((w) => w.includes('embeds:'))).toHaveLength(1);
    expect(pageErrors).toEqual([]);
  });
}

test('a grant made before the add-on arrives loads the embed when it arrives, not before; held-back scripts run at the grant', async ({
  page,
  server,
}) => {
  const provider = embedRequests(page);
  const release = await holdAddon(page);
  await serve(page, '/embeds/early.html', EMBED + SCRIPT);
  await page.goto(server.url + '/embeds/early.html', { waitUntil: 'domcontentloaded' });
  await page.getByRole('button', { name: 'Accept all' }).click();
  await expect.poll(() => page.evaluate(() => (window as unknown as { __ran?: boolean }).__ran)).toBe(true);
  await page.waitForTimeout(300);
  expect(await frame(page)).toEqual({ src: null, visible: false });
  expect(provider).toEqual([]);
  release();
  await expect(page.frameLocator('iframe[data-category]').locator('[data-embed="loaded"]')).toBeVisible();
  expect(await frame(page)).toEqual({ src: server.url + '/social-post.html', visible: true });
  expect(provider).toHaveLength(1);
  await expect(page.locator('.consentline-ph')).toHaveCount(0);
  // A withdrawal after the add-on arrived puts the placeholder back.
  await page.evaluate(() => (window.Consentline!.set as (g: object) => void)({ social: false }));
  await expect(page.locator('.consentline-ph')).toHaveCount(1);
  expect(await frame(page)).toEqual({ src: null, visible: false });
});

test('while the add-on is on its way the embed keeps its box, and the placeholder drawn later shifts nothing', async ({
  page,
  server,
}) => {
  await page.addInitScript(() => {
    (window as unknown as { __shifts: number[] }).__shifts = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries() as Array<PerformanceEntry & { value: number }>)
        (window as unknown as { __shifts: number[] }).__shifts.push(e.value);
    }).observe({ type: 'layout-shift', buffered: true });
  });
  const release = await holdAddon(page);
  await serve(page, '/embeds/shift.html', EMBED);
  await page.goto(server.url + '/embeds/shift.html', { waitUntil: 'domcontentloaded' });
  await page.waitForTimeout(300);
  const before = await page.locator('#after').boundingBox();
  expect(await frame(page)).toEqual({ src: null, visible: false });
  release();
  await expect(page.locator('.consentline-ph')).toHaveCount(1);
  await page.waitForTimeout(300);
  expect(await page.locator('#after').boundingBox()).toEqual(before);
  expect(await page.evaluate(() => (window as unknown as { __shifts: number[] }).__shifts)).toEqual([]);
});

/** The text of every style sheet the document has adopted or holds in a <style> element. */
const styleTexts = (page: Page) =>
  page.evaluate(() =>
    [...document.adoptedStyleSheets, ...Array.from(document.styleSheets).filter((s) => !s.href)].map((sheet) =>
      Array.from(sheet.cssRules, (r) => r.cssText).join('\n'),
    ),
  );
const placeholderTexts = (page: Page) =>
  page
    .locator('.consentline-ph')
    .first()
    .evaluate((box) => ({
      text: box.querySelector('p')?.textContent,
      button: box.querySelector('button')?.textContent,
    }));

test('a placeholder speaks the page’s language: a language pack’s texts, the site’s ui.strings over them', async ({
  page,
  server,
}) => {
  await serve(page, '/embeds/de.html', EMBED, { lang: 'de', head: '<script src="/dist/i18n/de.js"></script>' });
  await page.goto(server.url + '/embeds/de.html');
  await expect(page.locator('.consentline-ph')).toHaveCount(1);
  expect(await placeholderTexts(page)).toEqual({
    text: 'Dieser Inhalt von Chirp ist blockiert, bis Sie „Soziale Medien“ erlauben.',
    button: '„Soziale Medien“ erlauben und laden',
  });
  await serve(page, '/embeds/strings.html', EMBED, {
    lang: 'de',
    head: '<script src="/dist/i18n/de.js"></script>',
    config: { ...CONFIG, ui: { strings: { blocked: 'Erst nach Zustimmung: {p} ({c}).', social: 'Netzwerke' } } },
  });
  await page.goto(server.url + '/embeds/strings.html');
  await expect(page.locator('.consentline-ph')).toHaveCount(1);
  expect(await placeholderTexts(page)).toEqual({
    text: 'Erst nach Zustimmung: Chirp (Netzwerke).',
    button: '„Netzwerke“ erlauben und laden',
  });
  await page.getByRole('button', { name: '„Netzwerke“ erlauben und laden' }).click();
  await expect(page.frameLocator('iframe[data-category]').locator('[data-embed="loaded"]')).toBeVisible();
});

test('a placeholder in a right-to-left language is laid out right to left, with the direction the SDK lends the add-on', async ({
  page,
  server,
  pageErrors,
}) => {
  // Strings given without `lang` are in the page's language, Arabic here.
  await serve(page, '/embeds/ar.html', EMBED, {
    lang: 'ar',
    config: { ...CONFIG, ui: { strings: { blocked: 'محتوى {p} محظور حتى تسمح بـ {c}.', load: 'السماح والتحميل' } } },
  });
  await page.goto(server.url + '/embeds/ar.html');
  await expect(page.locator('.consentline-ph')).toHaveCount(1);
  const laidOut = await page
    .locator('.consentline-ph :is(p, button)')
    .evaluateAll((els) => els.map((el) => [el.getAttribute('lang'), el.getAttribute('dir')]));
  expect(laidOut).toEqual([
    ['ar', 'rtl'],
    ['ar', 'rtl'],
  ]);
  expect(pageErrors).toEqual([]);
});

test('the SDK carries no placeholder style: the add-on adopts it with its first placeholder, themed, under strict CSP and Trusted Types', async ({
  page,
  server,
}) => {
  await page.addInitScript(() => {
    const w = window as unknown as { __violations: string[] };
    w.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      w.__violations.push(`${e.violatedDirective} ${e.blockedURI}`),
    );
  });
  const csp =
    "script-src 'nonce-demo' 'strict-dynamic'; style-src 'self'; require-trusted-types-for 'script'; object-src 'none'; base-uri 'none'";
  await serve(page, '/embeds/styles.html', '', { csp, config: { ...CONFIG, ui: { theme: 'dark' } } });
  await page.goto(server.url + '/embeds/styles.html');
  await expect(page.getByRole('button', { name: 'Reject all' })).toBeVisible();
  const before = await styleTexts(page);
  expect(before.some((t) => t.includes('#consentline'))).toBe(true);
  expect(before.filter((t) => t.includes('consentline-ph'))).toEqual([]);
  // Built node by node: under Trusted Types the page's own markup cannot go in as HTML either.
  await page.evaluate(() => {
    const f = document.createElement('iframe');
    const attributes = {
      'data-category': 'social',
      'data-src': '/social-post.html',
      'data-provider': 'Chirp',
      title: 'Chirp post',
    };
    for (const [k, v] of Object.entries(attributes)) f.setAttribute(k, v);
    document.querySelector('main')!.append(f);
  });
  const box = page.locator('.consentline-ph');
  await expect(box).toHaveCount(1);
  const after = await styleTexts(page);
  expect(after.filter((t) => t.includes('consentline-ph'))).toHaveLength(1);
  // The placeholder's own rules (dashed box, small text) and the shared ones (the dark theme, buttons).
  expect(
    await box.evaluate((el) => {
      const css = (e: Element) => getComputedStyle(e);
      return {
        border: css(el).borderTopStyle,
        background: css(el).backgroundColor,
        text: css(el.querySelector('p')!).fontSize,
        button: css(el.querySelector('button')!).minHeight,
      };
    }),
  ).toEqual({ border: 'dashed', background: 'rgb(34, 38, 47)', text: '14px', button: '44px' });
  expect(await page.evaluate(() => (window as unknown as { __violations: string[] }).__violations)).toEqual([]);
});
