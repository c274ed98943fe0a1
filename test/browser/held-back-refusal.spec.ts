// Held-back content against a visitor who changes their mind while it is still on its way: a
// refusal that comes while held-back scripts wait for the one before them to load stops every
// script that has not gone in yet.
import type { Page } from '@playwright/test';
import { recordFigures } from '../support/figures';
import { expect, test } from './fixtures';
import { routePage } from './ui-support';

const ran = (page: Page) => page.evaluate(() => (window as unknown as { __ran?: string[] }).__ran ?? []);
const push = (name: string) => `(window.__ran=window.__ran||[]).push(${JSON.stringify(name)})`;

test('a refusal while held-back scripts wait for a slow one: nothing queued behind it runs; a new grant runs them once, in order', async ({
  page,
  server,
}) => {
  let release = () => {};
  const slowDone = new Promise<void>((resolve) => (release = resolve));
  await page.route('**/js/slow.js', async (route) => {
    await slowDone;
    await route.fulfill({ contentType: 'text/javascript', body: push('slow') });
  });
  await page.route('**/js/ads.js', (route) => route.fulfill({ contentType: 'text/javascript', body: push('ads') }));
  await routePage(page, '/held-back-refusal.html', {
    body:
      '<script type="text/plain" data-category="analytics" src="/js/slow.js"></script>' +
      `<script type="text/plain" data-category="analytics">${push('inline')}</script>` +
      '<script type="text/plain" data-category="advertising" src="/js/ads.js"></script>',
  });
  await page.goto(`${server.url}/held-back-refusal.html`);
  await page.getByRole('button', { name: 'Accept all' }).click();
  // The visitor changes their mind while /js/slow.js is still loading.
  await page.evaluate(() => (window.Consentline!.rejectAll as () => void)());
  release();
  await expect.poll(() => ran(page)).toContain('slow');
  await page.waitForTimeout(300);
  const afterRefusal = await ran(page);
  recordFigures('held back: refusal while loading', {
    scenarios: 1,
    leaks: afterRefusal.filter((name) => name !== 'slow').length,
  });
  // The one already inserted cannot be called back; what waited behind it never runs.
  expect(afterRefusal).toEqual(['slow']);
  await page.evaluate(() => (window.Consentline!.acceptAll as () => void)());
  await expect.poll(() => ran(page)).toEqual(['slow', 'inline', 'ads']);
});

test('a withdrawn category unloads its embed: the frame leaves the provider, the placeholder comes back, a new grant reloads it', async ({
  page,
  server,
}) => {
  await routePage(page, '/held-back-embed.html', {
    body: '<iframe data-category="social" data-src="/social-post.html" data-provider="Chirp" title="post" width="320" height="150"></iframe>',
  });
  await page.goto(`${server.url}/held-back-embed.html`);
  await page.getByRole('button', { name: 'Allow Social media and load' }).click();
  await expect(page.frameLocator('iframe[title="post"]').locator('[data-embed="loaded"]')).toBeVisible();
  const frameUrl = () =>
    page.locator('iframe[title="post"]').evaluate((f: HTMLIFrameElement) => f.contentWindow?.location.href);
  await page.evaluate(() => (window.Consentline!.set as (g: object) => void)({ social: false }));
  await expect.poll(frameUrl).toBe('about:blank');
  await expect(page.getByRole('button', { name: 'Allow Social media and load' })).toBeVisible();
  expect(
    await page.locator('iframe[title="post"]').evaluate((f: HTMLIFrameElement) => getComputedStyle(f).display),
  ).toBe('none');
  await page.getByRole('button', { name: 'Allow Social media and load' }).click();
  await expect(page.frameLocator('iframe[title="post"]').locator('[data-embed="loaded"]')).toBeVisible();
  await expect(page.locator('.consentline-ph')).toHaveCount(0);
});
