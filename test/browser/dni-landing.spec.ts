// The landing URL call tracking reads is the one the page was opened with, even when the page
// rewrites its own address (a router normalising the path, a script removing the campaign
// parameters) before dist/dni.js has arrived.
import { expect, test } from './fixtures';

test('a page that cleans its address before the add-on arrives keeps its campaign number', async ({ page, server }) => {
  // The add-on arrives late (a slow network) …
  await page.route('**/dist/dni.js', async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 300));
    await route.continue();
  });
  // … after the page has removed the campaign parameters from its address.
  await page.addInitScript(() =>
    document.addEventListener('DOMContentLoaded', () => history.replaceState(null, '', location.pathname)),
  );
  await page.goto(`${server.url}/?utm_source=google&utm_medium=cpc`);
  await page.waitForFunction(() => typeof window.Consentline?.get === 'function');
  expect(new URL(page.url()).search).toBe('');
  await page.evaluate(() => (window.Consentline as unknown as { acceptAll(): void }).acceptAll());
  await expect(page.locator('.hero strong')).toHaveText('(888) 999-0000');
  expect(await page.evaluate(() => localStorage.getItem('consentline_dni'))).toContain('"utm_source":"google"');
});
