// Apps that replace <body> on navigation (Turbo Drive, pjax) or empty it at start take the UI out
// of the page with it: the banner must come back until the visitor decides, and the page's
// "Cookie settings" controls must keep opening the preferences, with no error in the page.
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { readState, routePage } from './ui-support';

const NEXT =
  '<main><h1>Next page</h1><button type="button" data-consentline-preferences>Cookie settings</button>' +
  '<div style="height: 1500px"></div></main><footer><a href="#terms">Terms</a></footer>';

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
    // The bar does not cover the end of the new page: a real click reaches its last link.
    await page.setViewportSize({ width: 800, height: 500 });
    await page.mouse.wheel(0, 10_000);
    await page.getByRole('link', { name: 'Terms' }).click({ timeout: 3000 });
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

test('a dialog open when <body> is swapped closes undecided; the next one opens modal and Escape closes it', async ({
  page,
  server,
}) => {
  await routePage(page, '/body-swap-dialog.html', {});
  await page.goto(`${server.url}/body-swap-dialog.html`);
  await page.getByRole('button', { name: 'Customize' }).click();
  await expect(page.getByRole('dialog')).toBeVisible();
  await swaps['a new <body> (Turbo Drive)']!(page);
  await expect(page.locator('dialog')).toHaveCount(0);
  expect((await readState(page)).method).toBeNull();
  await page.getByRole('button', { name: 'Cookie settings' }).click();
  await expect(page.getByRole('dialog')).toBeVisible();
  expect(await page.locator('dialog').evaluate((dl) => dl.matches(':modal'))).toBe(true);
  await page.keyboard.press('Escape');
  await expect(page.locator('dialog')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Reject all' })).toBeVisible();
});
