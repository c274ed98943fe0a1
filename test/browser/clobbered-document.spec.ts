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

// Members of document the UI reads, each shadowed by a form of that name in the page's content.
const UI_MEMBERS = [
  'createElement',
  'body',
  'activeElement',
  'documentElement',
  'readyState',
  'addEventListener',
  'querySelectorAll',
  'head',
  'adoptedStyleSheets',
];

test(`forms named ${UI_MEMBERS.join(', ')}: banner, dialog, focus return, held-back content and no error`, async ({
  page,
  server,
  pageErrors,
}) => {
  const problems: string[] = [];
  for (const member of UI_MEMBERS) {
    pageErrors.length = 0;
    await page.context().clearCookies();
    const path = `/shadowed-${member}.html`;
    await routePage(page, path, {
      body:
        `<form name="${member}"><input name="querySelectorAll"><input name="matches"></form>` +
        `<iframe data-category="social" data-src="/social-post.html?${member}" data-provider="Chirp" title="post"></iframe>` +
        `<script type="text/plain" data-category="analytics">window.__ran = ${JSON.stringify(member)}</script>`,
    });
    await page.goto(server.url + path);
    const customize = page.getByRole('button', { name: 'Customize' });
    if (!(await customize.isVisible())) {
      problems.push(`${member}: no banner`);
      continue;
    }
    await customize.click();
    await page
      .getByRole('dialog')
      .waitFor({ timeout: 2000 })
      .catch(() => problems.push(`${member}: no dialog`));
    await page.keyboard.press('Escape');
    if (!(await customize.evaluate((b) => b === Reflect.get(Document.prototype, 'activeElement', document))))
      problems.push(`${member}: focus not back on Customize`);
    await page.getByRole('button', { name: 'Accept all' }).click();
    await page
      .frameLocator('iframe[title="post"]')
      .locator('[data-embed="loaded"]')
      .waitFor({ timeout: 2000 })
      .catch(() => problems.push(`${member}: embed not loaded`));
    if ((await page.evaluate(() => (window as unknown as { __ran?: string }).__ran)) !== member)
      problems.push(`${member}: held-back script did not run`);
    // Content added later, inside a form whose controls shadow its querySelectorAll and matches.
    await page.evaluate(() => {
      // The page's own script, written past the shadowed members as the SDK must be.
      const form = Document.prototype.createElement.call(document, 'form');
      form.innerHTML =
        '<input name="querySelectorAll"><input name="matches"><iframe data-category="social" data-src="/social-post.html?later" title="later"></iframe>';
      (Reflect.get(Document.prototype, 'body', document) as HTMLElement).append(form);
    });
    await page
      .frameLocator('iframe[title="later"]')
      .locator('[data-embed="loaded"]')
      .waitFor({ timeout: 2000 })
      .catch(() => problems.push(`${member}: later embed not loaded`));
    if (pageErrors.length) problems.push(`${member}: ${pageErrors.map((e) => e.message).join('; ')}`);
  }
  pageErrors.length = 0;
  recordFigures('hardening: shadowed document members', { cases: UI_MEMBERS.length, leaks: 0 });
  expect(problems).toEqual([]);
});

// A form before the SDK's own tag shadows `document.addEventListener` by the time the SDK starts.
test('the tag after <form name="addEventListener">: the banner shows, and a decision in another tab reaches it', async ({
  page,
  server,
  pageErrors,
}) => {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  const opts = { head: '<form name="addEventListener"><input name="querySelectorAll"></form>' };
  await routePage(page, '/shadowed-listener-tag.html', opts);
  await page.goto(`${server.url}/shadowed-listener-tag.html`);
  expect(await page.evaluate(() => typeof document.addEventListener)).toBe('object');
  const banner = page.locator('#consentline [role=region]');
  await expect(banner).toBeVisible();
  const other = await page.context().newPage();
  await routePage(other, '/shadowed-listener-tag.html', opts);
  await other.goto(`${server.url}/shadowed-listener-tag.html`);
  await other.locator('#consentline [role=region]').getByRole('button', { name: 'Reject all' }).click();
  await expect(banner).toBeHidden();
  recordFigures('hardening: shadowed document members', { cases: 1, leaks: errors.length });
  expect(errors).toEqual([]);
  expect(pageErrors).toEqual([]);
});
