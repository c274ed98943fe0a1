import { changesAnnounced, expect, test } from './fixtures';
import { afterFrames, axeViolations, contrast, readState, recordLayoutShifts, routePage } from './ui-support';

const FIRST_LAYER = ['Accept all', 'Reject all', 'Customize'];

test.describe('consent UI: first layer', () => {
  test('banner: title, text, policy link and three buttons of equal size and contrast >= 4.5:1', async ({
    page,
    server,
  }) => {
    await page.goto(`${server.url}/`);
    const banner = page.getByRole('region', { name: 'Cookies and your privacy' });
    await expect(banner).toBeVisible();
    await expect(banner.getByRole('link', { name: 'Privacy policy' })).toHaveAttribute('href', '/privacy.html');
    const boxes = [];
    for (const name of FIRST_LAYER) {
      const b = banner.getByRole('button', { name, exact: true });
      const box = (await b.boundingBox())!;
      const style = await b.evaluate((el) => {
        const s = getComputedStyle(el);
        return { color: s.color, bg: s.backgroundColor, weight: s.fontWeight, size: s.fontSize, tag: el.tagName };
      });
      expect(style.tag).toBe('BUTTON');
      expect(contrast(style.color, style.bg), name).toBeGreaterThanOrEqual(4.5);
      expect(box.width).toBeGreaterThanOrEqual(24);
      expect(box.height).toBeGreaterThanOrEqual(24);
      boxes.push({ ...box, ...style });
    }
    for (const b of boxes.slice(1)) {
      expect(Math.abs(b.width - boxes[0]!.width) / boxes[0]!.width).toBeLessThanOrEqual(0.1);
      expect(Math.abs(b.height - boxes[0]!.height) / boxes[0]!.height).toBeLessThanOrEqual(0.1);
      expect([b.weight, b.size, b.color, b.bg]).toEqual([
        boxes[0]!.weight,
        boxes[0]!.size,
        boxes[0]!.color,
        boxes[0]!.bg,
      ]);
    }
  });

  test('host page CSS cannot restyle the UI, and the UI CSS does not leak into the page', async ({ page, server }) => {
    await routePage(page, '/hostile.html', {
      head: '<link rel="stylesheet" href="/hostile-test.css">',
      body: '<button id="own" type="button">page button</button>',
    });
    await page.route('**/hostile-test.css', (r) =>
      r.fulfill({
        contentType: 'text/css',
        body: 'button{display:none!important;background:red!important;font-size:4px!important} div{opacity:.1!important} p{color:#fff!important} body *{visibility:hidden}',
      }),
    );
    await page.goto(`${server.url}/hostile.html`);
    const reject = page.getByRole('button', { name: 'Reject all' });
    await expect(reject).toBeVisible();
    const style = await reject.evaluate((el) => ({
      bg: getComputedStyle(el).backgroundColor,
      size: getComputedStyle(el).fontSize,
    }));
    expect(style.bg).not.toBe('rgb(255, 0, 0)');
    expect(style.size).toBe('16px');
    // The page's own button keeps the page's styles (ours do not reach it).
    expect(await page.locator('#own').evaluate((el) => getComputedStyle(el).display)).toBe('none');
    await reject.click();
    expect((await readState(page)).method).toBe('banner');
  });

  test('a heuristic auto-responder finds the banner in the DOM and rejects; the refusal is stored', async ({
    page,
    server,
    context,
  }) => {
    await page.goto(`${server.url}/`);
    await page.waitForSelector('#consentline button');
    // What browser privacy tools do: look for a visible button whose text says reject, press it.
    const clicked = await page.evaluate(() => {
      const visible = (el: Element) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
      const target = [...document.querySelectorAll('button, [role="button"], input[type="button"]')].find(
        (el) => visible(el) && /reject|decline|deny/i.test(el.textContent || (el as HTMLInputElement).value || ''),
      ) as HTMLElement | undefined;
      target?.click();
      return target?.textContent ?? null;
    });
    expect(clicked).toBe('Reject all');
    const cookie = (await context.cookies()).find((c) => c.name === 'consentline');
    expect(cookie?.value).toMatch(/analytics:0\|advertising:0\|social:0$/);
    await page.reload();
    expect(await page.locator('#consentline .b').count()).toBe(0);
    expect((await readState(page)).grants).toEqual({
      necessary: true,
      analytics: false,
      advertising: false,
      social: false,
    });
  });

  test('the close control counts as a refusal and says so', async ({ page, server }) => {
    await page.goto(`${server.url}/csp.html`);
    await page.getByRole('button', { name: 'Close and reject all' }).click();
    expect(await readState(page)).toEqual({
      method: 'close',
      grants: { necessary: true, analytics: false, advertising: false, social: false },
    });
    await expect(page.locator('#consentline .b')).toHaveCount(0);
  });

  test('no layout shift: CLS from load, placeholder and decision is 0', async ({ page, server }) => {
    const shifts = await recordLayoutShifts(page);
    await page.goto(`${server.url}/`);
    await page.waitForSelector('.consentline-ph');
    await page.waitForTimeout(500);
    expect(await shifts()).toEqual([]);
    await page.getByRole('button', { name: 'Allow Social media and load' }).click();
    // The embed in its place, and the work the decision leaves for later (the banner's spacer goes
    // with it) done.
    await expect(page.frameLocator('iframe[data-category]').locator('[data-embed="loaded"]')).toBeVisible();
    await expect.poll(() => changesAnnounced(page)).toBe(1);
    await afterFrames(page);
    expect(await shifts()).toEqual([]);
  });

  test('usable at 320 px wide (400 % zoom): nothing overflows, all three actions reachable', async ({
    page,
    server,
  }) => {
    await page.setViewportSize({ width: 320, height: 320 });
    await routePage(page, '/narrow.html', { config: { privacyPolicyUrl: '/privacy.html', ui: { close: true } } });
    await page.goto(`${server.url}/narrow.html`);
    for (const name of FIRST_LAYER) {
      const b = page.getByRole('button', { name, exact: true });
      await b.scrollIntoViewIfNeeded();
      await expect(b).toBeInViewport();
      const box = (await b.boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(320);
    }
    const banner = await page.locator('#consentline .b').boundingBox();
    expect(banner!.height).toBeLessThanOrEqual(160.5);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
  });

  test('a focused page element is never hidden behind the banner (2.4.11)', async ({ page, server }) => {
    await page.setViewportSize({ width: 800, height: 500 });
    await page.goto(`${server.url}/`);
    // The last page control sits at the very bottom, where scrolling cannot lift it above the bar.
    for (const sel of ['footer [data-consentline-preferences]', 'footer a', '.card a']) {
      await page.locator(sel).first().focus();
      const [el, bar] = await Promise.all([
        page.locator(sel).first().boundingBox(),
        page.locator('#consentline .b').boundingBox(),
      ]);
      const overlap = Math.min(el!.y + el!.height, bar!.y + bar!.height) - Math.max(el!.y, bar!.y);
      expect(overlap, sel).toBeLessThanOrEqual(0);
    }
  });

  test('loading the script twice shows one banner', async ({ page, server }) => {
    await page.goto(`${server.url}/`);
    await page.evaluate(
      () =>
        new Promise((done) => {
          const s = document.createElement('script');
          s.src = '/dist/consentline.min.js';
          s.onload = done;
          document.head.append(s);
        }),
    );
    expect(await page.locator('#consentline').count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Reject all' }).count()).toBe(1);
  });
});

test.describe('consent UI: preferences dialog and keyboard', () => {
  test('keyboard only: Tab to "Accept all", Enter; focus returns to the page', async ({ page, server }) => {
    await page.goto(`${server.url}/`);
    let name = '';
    for (let i = 0; i < 40 && name !== 'Accept all'; i++) {
      await page.keyboard.press('Tab');
      name = await page.evaluate(() => document.activeElement?.textContent ?? '');
    }
    expect(name).toBe('Accept all');
    await page.keyboard.press('Enter');
    expect((await readState(page)).method).toBe('banner');
    expect((await readState(page)).grants['analytics']).toBe(true);
    // Focus went back to the last page element, not lost to <body>.
    expect(await page.evaluate(() => document.activeElement?.closest('footer') !== null)).toBe(true);
  });

  test('keyboard only: Shift+Tab into the banner, Space on "Reject all"', async ({ page, server }) => {
    await page.goto(`${server.url}/`);
    await page.keyboard.press('Shift+Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Customize');
    await page.keyboard.press('Shift+Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Reject all');
    // Visible focus: the browser's focus ring survives the style reset.
    expect(await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle)).not.toBe('none');
    await page.keyboard.press('Space');
    expect(await readState(page)).toEqual({
      method: 'banner',
      grants: { necessary: true, analytics: false, advertising: false, social: false },
    });
  });

  test('keyboard only: Customize, switch analytics on, save; nothing pre-ticked; focus is trapped in the dialog', async ({
    page,
    server,
  }) => {
    await page.goto(`${server.url}/`);
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Privacy preferences' });
    await expect(dialog).toBeVisible();
    const switches = dialog.getByRole('switch');
    await expect(switches).toHaveCount(4);
    await expect(dialog.getByRole('switch', { name: 'Necessary' })).toBeChecked();
    await expect(dialog.getByRole('switch', { name: 'Necessary' })).toBeDisabled();
    for (const n of ['Analytics', 'Advertising', 'Social media'])
      await expect(dialog.getByRole('switch', { name: n })).not.toBeChecked();
    // Initial focus: the first switch that can change.
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement).id)).toBe('consentline-analytics');
    const inside: boolean[] = [];
    for (let i = 0; i < 9; i++) {
      await page.keyboard.press('Tab');
      inside.push(
        await page.evaluate(
          () =>
            !document.activeElement ||
            document.activeElement === document.body ||
            !!document.activeElement.closest('dialog'),
        ),
      );
    }
    expect(inside.every(Boolean)).toBe(true);
    await page.focus('#consentline-analytics');
    await page.keyboard.press('Space');
    let name = '';
    for (let i = 0; i < 6 && name !== 'Save choices'; i++) {
      await page.keyboard.press('Tab');
      name = await page.evaluate(() => document.activeElement?.textContent ?? '');
    }
    await page.keyboard.press('Enter');
    await expect(dialog).toHaveCount(0);
    expect(await readState(page)).toEqual({
      method: 'preferences',
      grants: { necessary: true, analytics: true, advertising: false, social: false },
    });
  });

  test('Escape closes the dialog without deciding and focus returns to the opener', async ({ page, server }) => {
    await page.goto(`${server.url}/`);
    await page.getByRole('button', { name: 'Reject all' }).click();
    const opener = page.locator('footer [data-consentline-preferences]');
    await opener.focus();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('dialog')).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(page.getByRole('dialog')).toHaveCount(0);
    expect(await opener.evaluate((el) => el === document.activeElement)).toBe(true);
    expect((await readState(page)).method).toBe('banner');
  });

  test('reopen: floating button (after a decision only), Consentline.showPreferences() and marked elements', async ({
    page,
    server,
  }) => {
    await page.goto(`${server.url}/csp.html`);
    await expect(page.locator('#consentline .r')).toBeHidden();
    await page.getByRole('button', { name: 'Accept all' }).click();
    const floating = page.locator('#consentline .r');
    await expect(floating).toBeVisible();
    await floating.click();
    await expect(page.getByRole('dialog')).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(page.getByRole('dialog')).toHaveCount(0);
    await page.evaluate(() => (window.Consentline!.showPreferences as () => void)());
    await expect(page.getByRole('switch', { name: 'Analytics' })).toBeChecked();
    await page.keyboard.press('Escape');
    // A marked element added later (an SPA route) works too: one delegated listener.
    await page.evaluate(() => {
      document.querySelector('main')!.innerHTML =
        '<a href="#settings" data-consentline-preferences>Privacy settings</a>';
    });
    await page.getByRole('link', { name: 'Privacy settings' }).click();
    await expect(page.getByRole('dialog')).toBeVisible();
    expect(page.url()).not.toContain('#settings');
    await page.getByRole('button', { name: 'Reject all' }).click();
    await expect(page.getByRole('dialog')).toHaveCount(0);
    expect(await readState(page)).toEqual({
      method: 'preferences',
      grants: { necessary: true, analytics: false, advertising: false, social: false },
    });
  });

  test('withdrawing a category deletes the cookies it owns, and only those', async ({ page, server, context }) => {
    await page.goto(`${server.url}/`);
    await page.getByRole('button', { name: 'Accept all' }).click();
    await context.addCookies([
      { name: '_ga', value: '1', url: server.url },
      { name: '_ga_XYZ', value: '1', url: server.url },
      { name: '_gid', value: '1', domain: '127.0.0.1', path: '/js' },
      { name: '_fbp', value: '1', url: server.url },
      { name: 'keep', value: '1', url: server.url },
    ]);
    await page.locator('footer [data-consentline-preferences]').click();
    await page.getByRole('switch', { name: 'Analytics' }).uncheck();
    await page.getByRole('button', { name: 'Save choices' }).click();
    const names = async () => (await context.cookies()).map((c) => `${c.name}${c.path}`).sort();
    // Cleared in the task after the click. _gid on /js stays: /js is not a configured path. _fbp
    // (advertising, still granted) stays.
    await expect.poll(names).toEqual(['_fbp/', '_gid/js', 'consentline/', 'keep/']);
  });

  test('reloadOnWithdraw reloads the page when a category is withdrawn', async ({ page, server }) => {
    await routePage(page, '/reload.html', { config: { ui: { reloadOnWithdraw: true } } });
    await page.goto(`${server.url}/reload.html`);
    await page.getByRole('button', { name: 'Accept all' }).click();
    await page.evaluate(() => ((window as unknown as { marker: number }).marker = 1));
    await Promise.all([
      page.waitForEvent('load'),
      page.evaluate(() => (window.Consentline!.rejectAll as () => void)()),
    ]);
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBeUndefined();
  });
});

test.describe('consent UI: accessibility (axe-core, WCAG 2.2 AA tags)', () => {
  test('English: banner and open dialog', async ({ page, server }) => {
    await page.goto(`${server.url}/`);
    await page.waitForSelector('.consentline-ph');
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Customize' }).click();
    await expect(page.getByRole('dialog')).toBeVisible();
    expect(await axeViolations(page)).toEqual([]);
  });

  test('French (pack from dist/i18n/fr.js): banner and open dialog', async ({ page, server }) => {
    await routePage(page, '/fr.html', {
      html: 'lang="fr"',
      head: '<script src="/dist/i18n/fr.js"></script>',
      config: { privacyPolicyUrl: '/privacy.html', ui: { close: true } },
    });
    await page.goto(`${server.url}/fr.html`);
    await expect(page.getByRole('button', { name: 'Tout refuser', exact: true })).toBeVisible();
    expect(await page.locator('#consentline').getAttribute('lang')).toBe('fr');
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Personnaliser' }).click();
    await expect(page.getByRole('dialog', { name: 'Préférences de confidentialité' })).toBeVisible();
    expect(await axeViolations(page)).toEqual([]);
  });

  test('right-to-left (Arabic strings from config): banner and dialog, laid out rtl', async ({ page, server }) => {
    await page.goto(`${server.url}/rtl.html`);
    const reject = page.getByRole('button', { name: 'رفض الكل', exact: true });
    await expect(reject).toBeVisible();
    expect(await reject.evaluate((el) => getComputedStyle(el).direction)).toBe('rtl');
    expect(await page.locator('#consentline').getAttribute('lang')).toBe('ar');
    // The close control sits at the inline end: the left edge in rtl.
    const x = (await page.locator('#consentline .b .x').boundingBox())!.x;
    expect(x).toBeLessThan(100);
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'تخصيص' }).click();
    await expect(page.getByRole('dialog', { name: 'تفضيلات الخصوصية' })).toBeVisible();
    expect(await axeViolations(page)).toEqual([]);
    // The status said after a decision is the page's Arabic too: no English span in the root's language.
    await page.getByRole('button', { name: 'حفظ الاختيارات' }).click();
    const status = page.locator('#consentline [aria-live="polite"] span');
    await expect(status).toHaveText('تم حفظ اختياراتك.');
    expect(await status.evaluate((el) => el.closest('[lang]')?.getAttribute('lang'))).toBe('ar');
  });
});

test('GPC: the dialog shows "Opt-Out Request Honored" on sale/share categories, locked off; Accept all cannot override', async ({
  page,
  server,
}) => {
  await page.addInitScript(() =>
    Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true, configurable: true }),
  );
  await page.goto(`${server.url}/`);
  await page.getByRole('button', { name: 'Customize' }).click();
  const dialog = page.getByRole('dialog');
  for (const name of ['Advertising', 'Social media']) {
    const sw = dialog.getByRole('switch', { name });
    await expect(sw).toBeDisabled();
    await expect(sw).not.toBeChecked();
  }
  await expect(dialog.getByRole('switch', { name: 'Analytics' })).toBeEnabled();
  await expect(dialog.getByText('Opt-Out Request Honored')).toHaveCount(2);
  expect(await axeViolations(page)).toEqual([]);
  await dialog.getByRole('button', { name: 'Accept all' }).click();
  expect(await readState(page)).toEqual({
    method: 'preferences',
    grants: { necessary: true, analytics: true, advertising: false, social: false },
  });
});

test('the axe harness itself catches a broken UI (a nameless button, low contrast)', async ({ page, server }) => {
  await page.goto(`${server.url}/csp.html`);
  await page.locator('#consentline .b .x').evaluate((el) => {
    el.removeAttribute('aria-label');
    el.textContent = '';
  });
  await page
    .locator('#consentline .b p')
    .first()
    .evaluate((el) => el.style.setProperty('color', '#ccc', 'important'));
  const found = await axeViolations(page);
  expect(found.some((v) => v.startsWith('button-name'))).toBe(true);
  expect(found.some((v) => v.startsWith('color-contrast'))).toBe(true);
});

test.describe('consent UI: languages', () => {
  test.use({ locale: 'de-DE' });
  test('no <html lang>: the browser language picks German when its pack is loaded, English otherwise', async ({
    page,
    server,
  }) => {
    await routePage(page, '/de.html', { html: '', head: '<script src="/dist/i18n/de.js"></script>' });
    await page.goto(`${server.url}/de.html`);
    await expect(page.getByRole('button', { name: 'Alle ablehnen' })).toBeVisible();
    await routePage(page, '/none.html', { html: '' });
    await page.goto(`${server.url}/none.html`);
    await expect(page.getByRole('button', { name: 'Reject all' })).toBeVisible();
  });
});

test('a bottom bar never covers the end of the page: the footer "Do Not Sell" link takes a mouse click, with no layout shift', async ({
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
  await page.setViewportSize({ width: 800, height: 500 });
  await page.goto(`${server.url}/us.html`);
  await expect(page.getByRole('button', { name: 'Reject all' })).toBeVisible();
  const link = page.locator('[data-consentline-optout]').first();
  await link.scrollIntoViewIfNeeded();
  await page.mouse.wheel(0, 10_000);
  // A real click at the link's centre: Playwright refuses if the banner intercepts it.
  await link.click({ timeout: 3000 });
  await expect
    .poll(() => page.evaluate(() => (window.Consentline!.get as () => { optedOut: boolean })().optedOut))
    .toBe(true);
  // The bar's spacer goes with the work the opt-out leaves for later.
  await expect.poll(() => changesAnnounced(page)).toBe(1);
  await afterFrames(page);
  expect(await page.evaluate(() => (window as unknown as { __cls: number }).__cls)).toBe(0);
});
