// The consent UI's look: switches, layouts, dark mode, the dialog in the banner's place, cookie
// tables, and axe on every layout in both themes.
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { afterFrames, axeViolations, contrast, readState, routePage } from './ui-support';

const COOKIES = {
  analytics: [
    { name: '_ga', provider: 'Google', purpose: 'Tells visitors apart', duration: '2 years' },
    { name: '_ga_<id>', provider: 'Google', purpose: 'Keeps the session state', duration: '2 years' },
  ],
};
const CATEGORIES = {
  analytics: { cookies: ['_ga', '_ga_*'] },
  advertising: { cookies: ['_fbp'] },
  social: { cookies: [] },
};
const STRICT =
  "script-src 'nonce-demo' 'strict-dynamic'; style-src 'self'; require-trusted-types-for 'script'; object-src 'none'; base-uri 'none'";

/** Serves /look.html with these `ui` options and opens it. */
async function open(
  page: Page,
  url: string,
  ui: Record<string, unknown> = {},
  extra: Parameters<typeof routePage>[2] = {},
) {
  await page.unrouteAll();
  await routePage(page, '/look.html', {
    config: { privacyPolicyUrl: '/privacy.html', categories: CATEGORIES, ui: { cookieTable: COOKIES, ...ui } },
    ...extra,
  });
  await page.goto(`${url}/look.html`);
}

const banner = (page: Page) => page.getByRole('region', { name: 'Cookies and your privacy' });
const box = async (page: Page, selector: string) => (await page.locator(selector).boundingBox())!;
const colours = (page: Page, selector: string) =>
  page
    .locator(selector)
    .first()
    .evaluate((el) => {
      const s = getComputedStyle(el);
      return { bg: s.backgroundColor, fg: s.color, scheme: s.colorScheme };
    });
// Relative luminance below 0.2 reads as a dark surface.
const isDark = (rgb: string) => contrast(rgb, 'rgb(0, 0, 0)') < 5;

test.describe('consent UI look', () => {
  test('switches: labelled role="switch" controls drawn as switches, operated by Space, not native checkboxes', async ({
    page,
    server,
  }) => {
    await open(page, server.url);
    await banner(page).getByRole('button', { name: 'Customize' }).click();
    const analytics = page.getByRole('switch', { name: 'Analytics' });
    await expect(analytics).toBeFocused();
    const look = await analytics.evaluate((el) => {
      const s = getComputedStyle(el);
      const r = el.getBoundingClientRect();
      return { appearance: s.appearance, wide: r.width > r.height * 1.5, height: r.height };
    });
    expect(look).toEqual({ appearance: 'none', wide: true, height: 24 });
    const offColour = await colours(page, '#consentline-analytics');
    await page.keyboard.press('Space');
    await expect(analytics).toBeChecked();
    // Polled: the track's colour eases over 150 ms.
    await expect.poll(async () => (await colours(page, '#consentline-analytics')).bg).not.toBe(offColour.bg);
    // The label names it and clicking the label text toggles it too.
    await page.locator('#consentline .s', { hasText: 'Advertising' }).locator('span').click();
    await expect(page.getByRole('switch', { name: 'Advertising' })).toBeChecked();
    await page.getByRole('button', { name: 'Save choices' }).click();
    expect((await readState(page)).grants).toEqual({
      necessary: true,
      analytics: true,
      advertising: true,
      social: false,
    });
  });

  test('layouts: a full-width bar, a box in the corner, a modal card in the middle; top or bottom', async ({
    page,
    server,
  }) => {
    await page.setViewportSize({ width: 1280, height: 800 });
    const cases: Array<
      [Record<string, unknown>, (b: { x: number; y: number; width: number; height: number }) => void]
    > = [
      [{}, (b) => expect([b.x, b.width, Math.round(b.y + b.height)]).toEqual([0, 1280, 800])],
      [{ position: 'top' }, (b) => expect([b.x, b.y, b.width]).toEqual([0, 0, 1280])],
      [
        { layout: 'box' },
        (b) => {
          expect(b.width).toBeLessThan(500);
          expect([Math.round(1280 - b.x - b.width), Math.round(800 - b.y - b.height)]).toEqual([16, 16]);
        },
      ],
      [
        { layout: 'box', position: 'top' },
        (b) => expect([Math.round(1280 - b.x - b.width), Math.round(b.y)]).toEqual([16, 16]),
      ],
      [
        { layout: 'modal' },
        (b) => {
          expect(Math.abs(b.x + b.width / 2 - 640)).toBeLessThan(2);
          expect(Math.abs(b.y + b.height / 2 - 400)).toBeLessThan(2);
        },
      ],
    ];
    for (const [ui, check] of cases) {
      await open(page, server.url, ui);
      await expect(banner(page)).toBeVisible();
      check(await box(page, '#consentline .b'));
      // No backdrop in any layout: the page's corner is the page's.
      expect(await page.evaluate(() => document.elementFromPoint(20, 300)?.closest('#consentline') ?? null)).toBeNull();
    }
  });

  test('mobile: every layout is a sheet at the bottom edge, buttons stacked and of equal size, never covering the end of the page', async ({
    page,
    server,
  }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    for (const layout of ['bar', 'box', 'modal']) {
      await open(
        page,
        server.url,
        { layout },
        { body: '<footer style="margin-top:150vh"><a href="#end">the last link</a></footer>' },
      );
      const b = await box(page, '#consentline .b');
      expect([b.x, b.width, Math.round(b.y + b.height)], layout).toEqual([0, 390, 844]);
      const sizes = await page
        .locator('#consentline .b .a button')
        .evaluateAll((bs) =>
          bs.map((el) => [Math.round(el.getBoundingClientRect().width), Math.round(el.getBoundingClientRect().height)]),
        );
      expect(new Set(sizes.map(String)).size, layout).toBe(1);
      // Scrolled to the end, the page's last link is clear of the sheet (the spacer). The spacer
      // follows the sheet's height when the browser next renders, so each try scrolls again.
      const last = page.getByRole('link', { name: 'the last link' });
      await expect
        .poll(
          () =>
            last.evaluate((el) => {
              scrollTo(0, document.documentElement.scrollHeight);
              const r = el.getBoundingClientRect();
              return document.elementFromPoint(r.x + 2, r.y + r.height / 2) === el;
            }),
          { message: layout },
        )
        .toBe(true);
    }
  });

  test('the dialog takes the banner’s place: banner hidden while open (no overlap on mobile), back on Escape, no layout shift', async ({
    page,
    server,
  }) => {
    await page.addInitScript(() => {
      (window as unknown as { __cls: number }).__cls = 0;
      new PerformanceObserver((l) => {
        for (const e of l.getEntries())
          (window as unknown as { __cls: number }).__cls += (e as unknown as { value: number }).value;
      }).observe({ type: 'layout-shift', buffered: true });
    });
    for (const viewport of [
      { width: 1280, height: 800 },
      { width: 390, height: 844 },
    ]) {
      await page.setViewportSize(viewport);
      await open(page, server.url, { layout: 'box' });
      await banner(page).getByRole('button', { name: 'Customize' }).click();
      const dialog = page.getByRole('dialog', { name: 'Privacy preferences' });
      await expect(dialog).toBeVisible();
      await expect(page.locator('#consentline .b')).toBeHidden();
      expect(await page.getByRole('button', { name: 'Reject all' }).count()).toBe(1);
      if (viewport.width < 600) {
        const d = await box(page, '#consentline dialog');
        expect([d.x, d.width, Math.round(d.y + d.height)]).toEqual([0, 390, 844]);
      }
      await page.keyboard.press('Escape');
      await expect(dialog).toHaveCount(0);
      await expect(banner(page)).toBeVisible();
      expect(await page.evaluate(() => (window as unknown as { __cls: number }).__cls)).toBe(0);
    }
  });

  test('cookie details: collapsed by default, a labelled table once opened (keyboard), columns from the configuration', async ({
    page,
    server,
  }) => {
    await open(page, server.url);
    await page.evaluate(() => (window.Consentline!.showPreferences as () => void)());
    const dialog = page.getByRole('dialog');
    const summary = dialog.locator('summary', { hasText: 'Cookies (2)' });
    await expect(dialog.getByRole('table')).toHaveCount(0);
    await expect(dialog.getByRole('table').first()).toBeHidden();
    await summary.focus();
    await page.keyboard.press('Enter');
    // Named by its category and its summary.
    const table = dialog.getByRole('table', { name: 'Analytics Cookies (2)' });
    await expect(table).toBeVisible();
    expect(await table.getByRole('columnheader').allTextContents()).toEqual([
      'Name',
      'Provider',
      'Purpose',
      'Duration',
    ]);
    expect(await table.getByRole('row').nth(2).getByRole('cell').allTextContents()).toEqual([
      '_ga_<id>',
      'Google',
      'Keeps the session state',
      '2 years',
    ]);
    // Advertising has no table configured: its cookie names alone.
    await dialog.locator('summary', { hasText: 'Cookies (1)' }).click();
    expect(await dialog.getByRole('table').nth(1).getByRole('columnheader').allTextContents()).toEqual(['Name']);
    // Social lists no cookies: no details at all.
    expect(await dialog.locator('.c', { hasText: 'Social media' }).locator('details').count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
  });

  test('the close control is a drawn, named 36 px target', async ({ page, server }) => {
    await open(page, server.url, { close: true, layout: 'box' });
    const x = page.getByRole('button', { name: 'Close and reject all' });
    const b = (await x.boundingBox())!;
    expect([b.width, b.height]).toEqual([36, 36]);
    await x.click();
    expect((await readState(page)).method).toBe('close');
  });

  test.describe('dark mode', () => {
    test.use({ colorScheme: 'dark' });

    test('follows prefers-color-scheme: dark surfaces, light text, dark color-scheme on our root', async ({
      page,
      server,
    }) => {
      await open(page, server.url, { layout: 'box' });
      const c = await colours(page, '#consentline .b');
      expect([isDark(c.bg), isDark(c.fg), c.scheme]).toEqual([true, false, 'dark']);
      expect(contrast(c.fg, c.bg)).toBeGreaterThanOrEqual(7);
      await banner(page).getByRole('button', { name: 'Customize' }).click();
      const d = await colours(page, '#consentline dialog');
      expect([isDark(d.bg), d.scheme]).toEqual([true, 'dark']);
    });

    test('theme: "light" stays light even on a dark page with color-scheme: dark', async ({ page, server }) => {
      await open(
        page,
        server.url,
        { theme: 'light' },
        { head: '<style>:root{color-scheme:dark;background:#000;color:#fff}</style>' },
      );
      const c = await colours(page, '#consentline .b');
      expect([isDark(c.bg), isDark(c.fg), c.scheme]).toEqual([false, true, 'light']);
      await banner(page).getByRole('button', { name: 'Customize' }).click();
      // The switches and table are ours, not the page's dark form controls.
      expect((await colours(page, '#consentline dialog')).scheme).toBe('light');
      expect(await page.locator('#consentline-analytics').evaluate((el) => getComputedStyle(el).colorScheme)).toBe(
        'light',
      );
      expect(await axeViolations(page)).toEqual([]);
    });
  });

  test('a page in color-scheme: light dark under a dark preference does not darken a light-theme UI, nor a light preference a dark one', async ({
    page,
    server,
  }) => {
    await page.emulateMedia({ colorScheme: 'light' });
    await open(page, server.url, { theme: 'dark' }, { head: '<style>:root{color-scheme:light dark}</style>' });
    const c = await colours(page, '#consentline .b');
    expect([isDark(c.bg), c.scheme]).toEqual([true, 'dark']);
    await page.emulateMedia({ colorScheme: 'dark' });
    await open(page, server.url, {}, { head: '<style>:root{color-scheme:light}</style>' });
    expect(isDark((await colours(page, '#consentline .b')).bg)).toBe(true);
  });

  test('strict CSP and Trusted Types: the box layout, dark, dialog and cookie table with zero violations', async ({
    page,
    server,
  }) => {
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.addInitScript(() => {
      (window as unknown as { __v: string[] }).__v = [];
      document.addEventListener('securitypolicyviolation', (e) =>
        (window as unknown as { __v: string[] }).__v.push(`${e.violatedDirective} ${e.blockedURI}`),
      );
    });
    await open(page, server.url, { layout: 'box', close: true }, { csp: STRICT });
    await expect(banner(page)).toBeVisible();
    expect(await page.locator('#consentline .b').evaluate((el) => getComputedStyle(el).position)).toBe('fixed');
    await banner(page).getByRole('button', { name: 'Customize' }).click();
    await page.locator('#consentline summary').first().click();
    await expect(page.getByRole('table')).toBeVisible();
    await page.getByRole('button', { name: 'Reject all' }).click();
    // What the click leaves for later has run too.
    await expect(page.locator('#consentline [aria-live="polite"]')).toHaveText('Your choices have been saved.');
    await afterFrames(page);
    expect(await page.evaluate(() => (window as unknown as { __v: string[] }).__v)).toEqual([]);
  });
});

test.describe('axe on every layout, light and dark: banner and dialog with a cookie table open', () => {
  for (const colorScheme of ['light', 'dark'] as const) {
    for (const layout of ['bar', 'box', 'modal']) {
      test(`${layout}, ${colorScheme}`, async ({ page, server }) => {
        await page.emulateMedia({ colorScheme });
        await routePage(page, '/axe.html', {
          config: {
            privacyPolicyUrl: '/privacy.html',
            categories: CATEGORIES,
            ui: { layout, close: true, cookieTable: COOKIES },
          },
        });
        await page.goto(`${server.url}/axe.html`);
        await expect(banner(page)).toBeVisible();
        expect(await axeViolations(page)).toEqual([]);
        await banner(page).getByRole('button', { name: 'Customize' }).click();
        await page.locator('#consentline summary').first().click();
        await expect(page.getByRole('table')).toBeVisible();
        expect(await axeViolations(page)).toEqual([]);
      });
    }
  }
});
