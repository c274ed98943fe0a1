// The consent UI under the conditions WCAG 2.2 asks about: reflow at 320 CSS px and 400 % zoom,
// forced colours, right-to-left, hostile page CSS, focus not obscured, in every layout.
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { routePage } from './ui-support';

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
  }
});
