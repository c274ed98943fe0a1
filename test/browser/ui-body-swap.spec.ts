// Apps that replace <body> on navigation (Turbo Drive, pjax) or empty it at start take the UI out
// of the page with it: the banner must come back until the visitor decides, and the page's
// "Cookie settings" controls must keep opening the preferences, with no error in the page.
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { readState, routePage } from './ui-support';

const NEXT = '<main><h1>Next page</h1><button type="button" data-consentline-preferences>Cookie settings</button></main>';

const swaps: Record<string, (page: Page) => Promise<void>> = {
  'a new <body> (Turbo Drive)': (page) =>
    page.evaluate((html) => {
      const body = document.createElement('body');
      body.innerHTML = html;
      document.body.replaceWith(body);
    }, NEXT),
  'the body emptied and refilled': (page) =>
    page.evaluate((html) => {
      document.body.innerHTML = html;
    }, NEXT),
};

for (const [name, swap] of Object.entries(swaps)) {
  test(`${name}: the banner comes back before a decision; the page's settings control opens the preferences`, async ({
    page,
    server,
  }) => {
    await routePage(page, '/body-swap.html', {});
    await page.goto(`${server.url}/body-swap.html`);
    await expect(page.getByRole('button', { name: 'Reject all' })).toBeVisible();
    await swap(page);
    await expect(page.getByRole('heading', { name: 'Next page' })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Reject all' })).toBeVisible();
    await page.getByRole('button', { name: 'Reject all' }).click();
    await expect(page.locator('#consentline .b')).toHaveCount(0);
    await swap(page);
    await page.getByRole('button', { name: 'Cookie settings' }).click();
    const dialog = page.getByRole('dialog');
    await expect(dialog).toBeVisible();
    await dialog.getByRole('switch', { name: 'Analytics' }).check();
    await dialog.getByRole('button', { name: 'Save choices' }).click();
    await expect(dialog).toHaveCount(0);
    expect((await readState(page)).grants['analytics']).toBe(true);
    await expect(page.getByRole('button', { name: 'Cookie settings' })).toBeFocused();
  });
}
