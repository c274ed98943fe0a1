// Page content named after a member of `document` shadows it (named access on Document overrides
// its own members): <form name="cookie"> makes `document.cookie` that form. The consent cookie must
// still be read and written, and a withdrawn category's cookies still deleted.
import type { Page } from '@playwright/test';
import { recordFigures } from '../support/figures';
import { expect, test } from './fixtures';
import { readState, routePage } from './ui-support';

const FORM = '<form name="cookie"></form>';
const SHADOWS = [FORM, '<img name="cookie" alt="" src="data:,">'];
const cookieNames = async (page: Page) => (await page.context().cookies()).map((c) => c.name).sort();

for (const markup of SHADOWS) {
  test(`${markup} in the page: a Do Not Sell in the opt-out regime is stored and holds after a reload`, async ({
    page,
    server,
  }) => {
    await routePage(page, '/shadowed-cookie.html', { config: { regime: 'opt-out' }, body: markup });
    await page.goto(`${server.url}/shadowed-cookie.html`);
    expect(await page.evaluate(() => typeof document.cookie)).toBe('object');
    await page.evaluate(() => (window.Consentline!.rejectAll as () => void)());
    await page.reload();
    const state = await readState(page);
    recordFigures('hardening: shadowed document.cookie', { scenarios: 1, leaks: state.grants['advertising'] ? 1 : 0 });
    expect(state).toEqual({
      method: 'api',
      grants: { necessary: true, analytics: false, advertising: false, social: false },
    });
    expect(await cookieNames(page)).toEqual(['consentline']);
  });
}

test('<form name="cookie"> in the page: withdrawing a category still deletes its cookies', async ({ page, server }) => {
  await routePage(page, '/shadowed-cookie-clear.html', {
    config: { categories: { analytics: { cookies: ['_ga', '_ga_*'] } } },
    body: FORM,
  });
  await page.goto(`${server.url}/shadowed-cookie-clear.html`);
  await page.getByRole('button', { name: 'Accept all' }).click();
  await page.context().addCookies([
    { name: '_ga', value: 'GA1.1.1', url: server.url },
    { name: '_ga_X1', value: 'GS1.1', url: server.url },
  ]);
  await page.evaluate(() => (window.Consentline!.set as (g: object) => void)({ analytics: false }));
  await expect.poll(() => cookieNames(page)).toEqual(['consentline']);
});
