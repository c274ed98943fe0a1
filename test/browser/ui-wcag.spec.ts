// The consent UI under the conditions WCAG 2.2 asks about: reflow at 320 CSS px and 400 % zoom,
// forced colours, right-to-left, hostile page CSS, focus not obscured, in every layout.
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { afterFrames, readState, recordLayoutShifts, routePage } from './ui-support';

const LAYOUTS = ['bar', 'box', 'modal'] as const;
const CATEGORIES = {
  analytics: { cookies: ['_ga', '_ga_*'] },
  advertising: { cookies: ['_fbp'] },
  social: { cookies: [] },
};

/** Serves /wcag.html with these `ui` options (and page extras) and opens it. */
async function open(page: Page, url: string, ui: Record<string, unknown>, extra: Parameters<typeof routePage>[2] = {}) {
  await page.unrouteAll();
  await routePage(page, '/wcag.html', {
    config: { privacyPolicyUrl: '/privacy.html', categories: CATEGORIES, ui },
    ...extra,
  });
  await page.goto(`${url}/wcag.html`);
}

/** Whether the element is what the visitor sees (and clicks) at its centre, once scrolled into view. */
const reachable = (page: Page, selector: string) =>
  page.locator(selector).evaluateAll((els) =>
    els.map((el) => {
      el.scrollIntoView({ block: 'nearest' });
      const r = el.getBoundingClientRect();
      const hit = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
      return `${el.textContent || el.id}: ${r.height > 0 && (hit === el || el.contains(hit))}`;
    }),
  );

test.describe('reflow (1.4.10)', () => {
  for (const layout of LAYOUTS) {
    test(`${layout}: at 320 × 256 CSS px (400 % zoom) every button of the banner and every switch and button of the dialog can be scrolled to and pressed`, async ({
      page,
      server,
    }) => {
      await page.setViewportSize({ width: 320, height: 256 });
      await open(page, server.url, { layout, close: true });
      const first = await reachable(page, '#consentline .b button');
      expect(first).toEqual(first.map((c) => c.replace(/false$/, 'true')));
      await page.getByRole('button', { name: 'Customize' }).click();
      const controls = await reachable(page, '#consentline dialog input, #consentline dialog button');
      expect(controls).toEqual(controls.map((c) => c.replace(/false$/, 'true')));
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
    });

    test(`${layout}: at 320 CSS px the banner scrolls in one direction only, its buttons stacked within its width`, async ({
      page,
      server,
    }) => {
      await page.setViewportSize({ width: 320, height: 256 });
      for (const close of [false, true]) {
        await open(page, server.url, { layout, close });
        const measured = await page.locator('#consentline .b').evaluate((banner) => ({
          close: banner.querySelector('.x') !== null,
          overflowX: banner.scrollWidth - banner.clientWidth,
          outside: [...banner.querySelectorAll('button')]
            .filter((b) => b.getBoundingClientRect().right > banner.getBoundingClientRect().right)
            .map((b) => b.textContent || b.getAttribute('aria-label')),
        }));
        expect(measured).toEqual({ close, overflowX: 0, outside: [] });
      }
    });
  }
});

/** Whether any line of the element's text overlaps the other element's box. */
const textOverlaps = (page: Page, text: string, other: string) =>
  page.locator(text).evaluate((el, sel) => {
    const o = document.querySelector(sel)!.getBoundingClientRect();
    const range = document.createRange();
    range.selectNodeContents(el);
    return [...range.getClientRects()].some(
      (r) => r.left < o.right && r.right > o.left && r.top < o.bottom && r.bottom > o.top,
    );
  }, other);

test.describe('right-to-left', () => {
  const ARABIC = {
    lang: 'ar',
    close: true,
    strings: {
      title: 'ملفات تعريف الارتباط وخصوصيتك',
      custom: 'تخصيص',
      prefs: 'تفضيلات الخصوصية وملفات تعريف الارتباط لهذا الموقع وشركائه',
      analytics: 'التحليلات',
    },
  };

  test('the UI is laid out in its own language’s direction, whatever the page’s', async ({ page, server }) => {
    // A Hebrew page with no Hebrew pack: the UI is in English, left to right.
    await open(page, server.url, {}, { html: 'lang="he" dir="rtl"' });
    const root = page.locator('#consentline');
    await expect(page.getByRole('button', { name: 'Reject all', exact: true })).toBeVisible();
    expect(await root.evaluate((el) => [el.getAttribute('lang'), getComputedStyle(el).direction])).toEqual([
      'en-US',
      'ltr',
    ]);
    // Arabic strings on an English page: right to left.
    await open(page, server.url, ARABIC);
    await expect(page.getByRole('button', { name: 'تخصيص' })).toBeVisible();
    expect(await root.evaluate((el) => [el.getAttribute('lang'), getComputedStyle(el).direction])).toEqual([
      'ar',
      'rtl',
    ]);
  });

  test('strings given without ui.lang are the page’s language: an Arabic page’s UI is right to left', async ({
    page,
    server,
  }) => {
    const { lang: _, ...strings } = ARABIC;
    await open(page, server.url, strings, { html: 'lang="ar" dir="rtl"' });
    const root = page.locator('#consentline');
    await expect(page.getByRole('button', { name: 'تخصيص' })).toBeVisible();
    expect(await root.evaluate((el) => [el.getAttribute('lang'), getComputedStyle(el).direction])).toEqual([
      'ar',
      'rtl',
    ]);
    // The strings it leaves English are laid out left to right inside it.
    expect(
      await page
        .getByRole('button', { name: 'Reject all', exact: true })
        .evaluate((el) => getComputedStyle(el).direction),
    ).toBe('ltr');
  });

  for (const layout of LAYOUTS) {
    test(`${layout}: mirrored, the close control and switches at the inline end (left), the dialog title clear of its close control`, async ({
      page,
      server,
    }) => {
      await page.setViewportSize({ width: 1000, height: 700 });
      await open(page, server.url, { ...ARABIC, layout }, { html: 'lang="ar" dir="rtl"' });
      const b = (await page.locator('#consentline .b').boundingBox())!;
      const x = (await page.locator('#consentline .b .x').boundingBox())!;
      expect(x.x - b.x).toBeLessThan(24);
      // The box sits in the bottom corner at the inline end: the left one.
      if (layout === 'box') expect(Math.round(b.x)).toBe(16);
      expect(await textOverlaps(page, '#consentline .b .t', '#consentline .b .x')).toBe(false);
      await page.getByRole('button', { name: 'تخصيص' }).click();
      expect(await textOverlaps(page, '#consentline h2', '#consentline dialog .x')).toBe(false);
      const row = (await page.locator('#consentline .c').nth(1).locator('label').boundingBox())!;
      const sw = (await page.getByRole('switch', { name: 'التحليلات' }).boundingBox())!;
      expect(Math.round(sw.x - row.x)).toBe(0);
    });
  }
});

test.describe('forced colours (Windows high contrast)', () => {
  test.use({ forcedColors: 'active' });

  /** The colours the browser paints with, forced colours applied. */
  const paint = (page: Page, selector: string, pseudo?: string) =>
    page.locator(selector).evaluate((el, p) => {
      const s = getComputedStyle(el, p);
      return {
        bg: s.backgroundColor,
        border: s.borderTopColor,
        borderWidth: s.borderTopWidth,
        outline: s.outlineStyle,
        outlineColor: s.outlineColor,
        fg: s.color,
      };
    }, pseudo);

  for (const layout of LAYOUTS) {
    test(`${layout}: button borders, the close control’s cross, switch tracks, knobs and states, and focus rings stay visible`, async ({
      page,
      server,
    }) => {
      await open(page, server.url, { layout, close: true });
      const surface = (await paint(page, '#consentline .b')).bg;
      for (const name of ['Accept all', 'Reject all', 'Customize']) {
        const b = await paint(page, `#consentline .b button:text-is("${name}")`);
        expect([b.border !== surface || b.bg !== surface, b.borderWidth], name).toEqual([true, '1px']);
      }
      expect((await paint(page, '#consentline .b .x', '::before')).bg, 'cross').not.toBe(surface);
      await page.getByRole('button', { name: 'Customize' }).focus();
      await page.keyboard.press('Enter');
      const dialogBg = (await paint(page, '#consentline dialog')).bg;
      expect((await paint(page, '#consentline dialog .x', '::after')).bg, 'dialog cross').not.toBe(dialogBg);
      const sw = '#consentline-analytics';
      const off = await paint(page, sw);
      const offKnob = await paint(page, sw, '::before');
      expect(off.border, 'track edge').not.toBe(dialogBg);
      expect(offKnob.bg, 'knob').not.toBe(off.bg);
      // Focused (autofocus): a ring of a colour that shows on the dialog.
      expect([off.outline, off.outlineColor !== dialogBg]).toEqual(['solid', true]);
      await page.keyboard.press('Space');
      // The track and knob ease to their new colours: read them once the transitions have ended.
      await page.locator(sw).evaluate((el) => Promise.all(el.getAnimations({ subtree: true }).map((a) => a.finished)));
      const on = await paint(page, sw);
      const onKnob = await paint(page, sw, '::before');
      expect(onKnob.bg, 'knob when on').not.toBe(on.bg);
      expect(on.bg, 'on differs from off').not.toBe(off.bg);
      expect([on.outline, on.outlineColor !== dialogBg]).toEqual(['solid', true]);
    });
  }
});

test.describe('hostile page CSS', () => {
  const HOSTILE = [
    '*{box-sizing:content-box}',
    'button{all:unset}',
    'div{position:relative;z-index:1}',
    'html{font-size:40px;color-scheme:light dark}',
    ':focus{outline:none}',
    'body{transform:translateZ(0);min-height:300vh}',
    '*::before,*::after{display:none!important}',
    'dialog{position:absolute;inset:0 auto auto 0;border:9px solid red}',
    '[role=switch]{appearance:auto;width:10px}',
  ].join('\n');

  /** Where the banner, its buttons and the dialog sit, and whether their drawn parts show. */
  const layout = async (page: Page) =>
    page.evaluate(() => {
      const rect = (el: Element | null) => {
        const r = el!.getBoundingClientRect();
        return [r.x, r.y, r.width, r.height].map(Math.round);
      };
      const drawn = (el: Element | null, pseudo: string) => getComputedStyle(el!, pseudo).display !== 'none';
      return {
        banner: rect(document.querySelector('#consentline .b')),
        buttons: [...document.querySelectorAll('#consentline .b button')].map(rect),
        cross: drawn(document.querySelector('#consentline .b .x'), '::before'),
        hit: [...document.querySelectorAll('#consentline .b button')].map((b) => {
          const r = b.getBoundingClientRect();
          return document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2) === b;
        }),
      };
    });
  const dialogLayout = (page: Page) =>
    page.evaluate(() => {
      const d = document.querySelector('#consentline dialog')!.getBoundingClientRect();
      const sw = document.querySelector('#consentline-analytics')!;
      return {
        dialog: [d.x, d.y, d.width, d.height].map(Math.round),
        knob: getComputedStyle(sw, '::before').display !== 'none',
        switch: Math.round(sw.getBoundingClientRect().width),
      };
    });

  for (const look of LAYOUTS) {
    test(`${look}: the banner and dialog sit and look as on a plain page, stay usable, take no focus and shift nothing`, async ({
      page,
      server,
    }) => {
      await page.setViewportSize({ width: 1000, height: 700 });
      await open(page, server.url, { layout: look, close: true });
      const plain = await layout(page);
      await page.getByRole('button', { name: 'Customize' }).click();
      const plainDialog = await dialogLayout(page);
      const shifts = await recordLayoutShifts(page);
      await open(
        page,
        server.url,
        { layout: look, close: true },
        { head: '<link rel="stylesheet" href="/hostile-wcag.css">' },
      );
      await page.route('**/hostile-wcag.css', (r) => r.fulfill({ contentType: 'text/css', body: HOSTILE }));
      await page.reload();
      await expect(page.getByRole('button', { name: 'Reject all', exact: true })).toBeVisible();
      expect(await page.evaluate(() => document.activeElement === document.body)).toBe(true);
      expect(await layout(page)).toEqual(plain);
      await page.getByRole('button', { name: 'Customize' }).focus();
      expect(await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle)).toBe('solid');
      await page.keyboard.press('Enter');
      expect(await dialogLayout(page)).toEqual(plainDialog);
      await page.getByRole('button', { name: 'Reject all', exact: true }).click();
      expect((await readState(page)).method).toBe('preferences');
      // The bar's spacer goes with the saved status, in the work the click leaves for later.
      await expect(page.locator('#consentline [aria-live="polite"]')).toHaveText('Your choices have been saved.');
      await afterFrames(page);
      expect(await shifts()).toEqual([]);
    });
  }
});

test.describe('page custom properties', () => {
  /** What the visitor sees of the banner and the dialog: colours, corners and padding. */
  const looks = (page: Page) =>
    page.evaluate(() =>
      [
        ...document.querySelectorAll('#consentline .b, #consentline .b *, #consentline dialog, #consentline dialog *'),
      ].map((el) => {
        const s = getComputedStyle(el);
        const knob = getComputedStyle(el, '::before');
        return [
          s.color,
          s.backgroundColor,
          s.borderTopColor,
          s.borderTopLeftRadius,
          s.paddingTop,
          knob.backgroundColor,
        ].join();
      }),
    );
  /** The custom properties our styles declare, read from the adopted sheets. */
  const ourProperties = (page: Page) =>
    page.evaluate(() => [
      ...new Set(
        document.adoptedStyleSheets
          .flatMap((sheet) => [...sheet.cssRules].map((r) => r.cssText))
          .join()
          .match(/--[\w-]+(?=:)/g),
      ),
    ]);

  test('a page rule setting custom properties on every element does not restyle the UI; the documented tokens still theme it', async ({
    page,
    server,
  }) => {
    await page.setViewportSize({ width: 1000, height: 700 });
    await open(page, server.url, { close: true });
    await page.getByRole('button', { name: 'Customize' }).click();
    const plain = await looks(page);
    const names = await ourProperties(page);
    expect(names.length).toBeGreaterThan(5);
    // Every name our styles use, set by the page on every element (and their ::before and ::after).
    const hostile = `*,*::before,*::after{${names.map((n) => `${n}:rgb(255, 0, 0)`).join(';')}}`;
    await open(page, server.url, { close: true }, { head: '<link rel="stylesheet" href="/vars.css">' });
    await page.route('**/vars.css', (r) => r.fulfill({ contentType: 'text/css', body: hostile }));
    await page.reload();
    await page.getByRole('button', { name: 'Customize' }).click();
    expect(await looks(page)).toEqual(plain);
    // The documented way: --cl-* tokens on :root theme the UI.
    await page.route('**/vars.css', (r) =>
      r.fulfill({ contentType: 'text/css', body: `${hostile}\n:root{--cl-accent:rgb(0, 90, 0)}` }),
    );
    await page.reload();
    const accept = page.locator('#consentline .b button', { hasText: 'Accept all' });
    expect(await accept.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(0, 90, 0)');
  });
});

test.describe('focus not obscured (2.4.11)', () => {
  // A page that cannot scroll, with links where the UI sits: the middle, and both bottom corners.
  const BODY =
    '<p style="position:fixed;top:300px;left:480px;margin:0"><a id="middle" href="#m">middle</a></p>' +
    '<p style="position:fixed;bottom:12px;left:20px;margin:0"><a id="left" href="#l">left corner</a></p>' +
    '<p style="position:fixed;bottom:12px;right:20px;margin:0"><a id="right" href="#r">right corner</a></p>';

  /** Focuses the page element and returns how much of it the UI element covers, in px². */
  const covered = async (page: Page, target: string, cover: string) => {
    await page.locator(target).focus();
    return page.evaluate(
      ([t, c]) => {
        const a = document.querySelector(t!)!.getBoundingClientRect();
        const b = document.querySelector(c!)!.getBoundingClientRect();
        const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
        const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
        return w > 0 && h > 0 ? Math.round(w * h) : 0;
      },
      [target, cover],
    );
  };

  for (const layout of LAYOUTS) {
    test(`${layout}: a focused page element the banner covers, on a page that cannot scroll, is uncovered`, async ({
      page,
      server,
    }) => {
      await page.setViewportSize({ width: 1000, height: 700 });
      await open(page, server.url, { layout, reopen: true }, { body: BODY });
      await expect(page.locator('#consentline .b')).toBeVisible();
      for (const target of ['#middle', '#left', '#right'])
        expect(await covered(page, target, '#consentline .b'), target).toBe(0);
    });
  }

  test('the floating reopen button moves aside from a focused page element under it', async ({ page, server }) => {
    await page.setViewportSize({ width: 1000, height: 700 });
    await open(page, server.url, { reopen: true }, { body: BODY });
    await page.getByRole('button', { name: 'Reject all', exact: true }).click();
    const reopen = page.getByRole('button', { name: 'Cookie settings' }).last();
    await expect(reopen).toBeVisible();
    expect(await covered(page, '#left', '#consentline .r')).toBe(0);
    expect(await covered(page, '#right', '#consentline .r')).toBe(0);
    await expect(reopen).toBeVisible();
  });
});

test.describe('screen readers', () => {
  test('the banner is announced once it shows, and the announcement goes with it: no stale title left to read', async ({
    page,
    server,
  }) => {
    await open(page, server.url, { reopen: true });
    const live = page.locator('#consentline [aria-live="polite"]');
    await expect(live).toHaveText('Cookies and your privacy');
    await page.getByRole('button', { name: 'Reject all', exact: true }).click();
    await expect(page.locator('#consentline .b')).toHaveCount(0);
    // The title goes with the banner, in the click; the status is said with the work the click
    // leaves for later.
    expect(await live.textContent()).not.toBe('Cookies and your privacy');
    await expect(live).toHaveText('Your choices have been saved.');
    // Decided by the page's own script while the page loads, before the announcement was due:
    // nothing is announced at all.
    await page.context().clearCookies();
    await open(page, server.url, {}, { body: '<script>Consentline.rejectAll()</script>' });
    await page.waitForTimeout(300);
    expect((await readState(page)).method).toBe('api');
    expect(await live.textContent()).toBe('');
  });
});

test.describe('status messages (4.1.3)', () => {
  test('Accept all, Reject all and Save choices each say politely that the choice was saved, without moving anything', async ({
    page,
    server,
  }) => {
    await page.setViewportSize({ width: 1000, height: 700 });
    const status = page.locator('#consentline [aria-live="polite"]');
    const heading = () => page.locator('h1').evaluate((el) => JSON.stringify(el.getBoundingClientRect()));
    for (const [name, inDialog] of [
      ['Accept all', false],
      ['Reject all', false],
      ['Save choices', true],
    ] as const) {
      await page.context().clearCookies();
      await open(page, server.url, { reopen: true });
      await expect(status).toHaveText('Cookies and your privacy');
      if (inDialog) await page.getByRole('button', { name: 'Customize' }).click();
      const before = await heading();
      await page.getByRole('button', { name, exact: true }).click();
      await expect(status, name).toHaveText('Your choices have been saved.');
      // Read, not seen: a 1 px clipped box, and the page where it was.
      expect(await status.evaluate((el) => [el.clientWidth, getComputedStyle(el).clipPath])).toEqual([1, 'inset(50%)']);
      expect(await heading()).toBe(before);
    }
  });
});

test.describe('focus after a decision (2.4.3)', () => {
  const active = (page: Page) =>
    page.evaluate(() => {
      const el = document.activeElement!;
      return el === document.body ? 'body' : `${el.tagName.toLowerCase()} ${el.textContent}`;
    });

  test('back to the page element that had it, else the reopen button, else nowhere; the same by mouse and by keyboard', async ({
    page,
    server,
  }) => {
    // By mouse, nothing focused before: the reopen button, where the choice can be changed again.
    await open(page, server.url, { reopen: true });
    expect(await active(page)).toBe('body');
    await page.getByRole('button', { name: 'Reject all', exact: true }).click();
    expect(await active(page)).toBe('button Cookie settings');
    await expect(page.locator('#consentline .r')).toBeFocused();
    // The same through the dialog opened from the banner.
    await page.context().clearCookies();
    await open(page, server.url, { reopen: true });
    await page.getByRole('button', { name: 'Customize' }).click();
    await page.getByRole('button', { name: 'Save choices' }).click();
    await expect(page.locator('#consentline .r')).toBeFocused();
    // Without a reopen button, nothing takes focus.
    await page.context().clearCookies();
    await open(page, server.url, {});
    await page.getByRole('button', { name: 'Accept all' }).click();
    expect(await active(page)).toBe('body');
    // A page element focused before the banner was used gets focus back, by mouse or by keyboard.
    for (const key of [false, true]) {
      await page.context().clearCookies();
      await open(page, server.url, { reopen: true });
      await page.locator('main a').focus();
      if (key) {
        // Home link, the page's Cookie settings button, then the banner: its policy link, Accept all.
        await page.keyboard.press('Tab');
        await page.keyboard.press('Tab');
        await page.keyboard.press('Tab');
        await expect(page.getByRole('button', { name: 'Accept all' })).toBeFocused();
        await page.keyboard.press('Enter');
        expect(await active(page), 'keyboard').toBe('button Cookie settings');
        await expect(page.locator('main button')).toBeFocused();
      } else {
        await page.getByRole('button', { name: 'Accept all' }).click();
        await expect(page.locator('main a'), 'mouse').toBeFocused();
      }
      expect((await readState(page)).method).toBe('banner');
    }
  });
});

test.describe('text spacing (1.4.12)', () => {
  // What a visitor's text-spacing tool sets, on every element of the UI (inline !important: the
  // UI's own declarations are !important too).
  const spaceText = (page: Page) =>
    page.evaluate(() => {
      for (const el of document.querySelectorAll<HTMLElement>('#consentline, #consentline *')) {
        el.style.setProperty('line-height', '1.5', 'important');
        el.style.setProperty('letter-spacing', '0.12em', 'important');
        el.style.setProperty('word-spacing', '0.16em', 'important');
        if (el.tagName === 'P') el.style.setProperty('margin-bottom', '2em', 'important');
      }
    });
  // Text that no longer fits its box (clipped or spilling out), among what the visitor reads and presses.
  const clipped = (page: Page) =>
    page.locator('#consentline :is(button, summary, label, h2, strong, p:not(.sr), a)').evaluateAll((els) =>
      els
        .filter((e) => e.getClientRects().length && getComputedStyle(e).visibility !== 'hidden' && e.clientWidth)
        .filter((e) => e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1)
        .map((e) => `${e.tagName} ${e.textContent}`),
    );

  for (const layout of LAYOUTS) {
    test(`${layout}: at 1000 and 320 px wide, no text of the banner or the dialog is clipped`, async ({
      page,
      server,
    }) => {
      for (const width of [1000, 320]) {
        await page.setViewportSize({ width, height: 700 });
        await open(page, server.url, { layout, close: true });
        await spaceText(page);
        expect(await clipped(page), `${width} banner`).toEqual([]);
        expect(await textOverlaps(page, '#consentline .b .t', '#consentline .b .x'), `${width} close`).toBe(false);
        await page.getByRole('button', { name: 'Customize' }).click();
        await page.locator('#consentline summary').first().click();
        await spaceText(page);
        expect(await clipped(page), `${width} dialog`).toEqual([]);
        expect(await textOverlaps(page, '#consentline h2', '#consentline dialog .x'), `${width} title`).toBe(false);
      }
    });
  }
});
