import type { Page } from '@playwright/test';
import { changesAnnounced, expect, test } from './fixtures';
import { afterFrames, readState } from './ui-support';

type W = { __tagsRun?: string[]; __order?: string[]; __violations?: string[]; __spa?: string[] };
const get = <K extends keyof W>(page: Page, key: K) => page.evaluate((k) => (window as unknown as W)[k], key);
const requested = (server: { requests: Array<{ path: string }> }, path: string) =>
  server.requests.filter((r) => r.path === path).length;

test.describe('held-back scripts and embeds', () => {
  test('nothing held back runs or loads before a decision, nor after a refusal', async ({ page, server }) => {
    await page.goto(`${server.url}/`);
    await expect(page.locator('.consentline-ph')).toContainText(
      'Chirp content is blocked until you allow Social media.',
    );
    await page.waitForTimeout(300);
    expect(await get(page, '__tagsRun')).toBeUndefined();
    expect(requested(server, '/js/marketing.js')).toBe(0);
    expect(requested(server, '/social-post.html')).toBe(0);
    expect(
      await page
        .locator('iframe[data-category]')
        .evaluate((f: HTMLIFrameElement) => [f.src, getComputedStyle(f).display]),
    ).toEqual(['', 'none']);
    await page.getByRole('button', { name: 'Reject all' }).click();
    await page.reload();
    await page.waitForTimeout(300);
    expect(await get(page, '__tagsRun')).toBeUndefined();
    expect(requested(server, '/js/marketing.js')).toBe(0);
    expect(requested(server, '/social-post.html')).toBe(0);
    await expect(page.locator('.consentline-ph')).toHaveCount(1);
  });

  test('on grant: each script runs exactly once, in document order; the embed loads in place', async ({
    page,
    server,
  }) => {
    await page.goto(`${server.url}/`);
    await page.getByRole('button', { name: 'Accept all' }).click();
    await expect.poll(() => get(page, '__tagsRun')).toEqual(['analytics', 'advertising', 'social']);
    await expect(page.locator('[data-status="social"]')).toHaveText('social tag: running');
    await expect(page.frameLocator('iframe[data-category]').locator('[data-embed="loaded"]')).toBeVisible();
    await expect(page.locator('.consentline-ph')).toHaveCount(0);
    // Further changes and re-grants never run a script twice.
    await page.evaluate(() => {
      const api = window.Consentline as unknown as { set(g: object): void; acceptAll(): void };
      api.set({ analytics: false });
      api.set({ analytics: true });
      api.acceptAll();
    });
    // The click and the three changes, each with the work it leaves for later done; then a moment
    // for a script run again to arrive.
    await expect.poll(() => changesAnnounced(page)).toBe(4);
    await page.waitForTimeout(300);
    expect(await get(page, '__tagsRun')).toEqual(['analytics', 'advertising', 'social']);
    expect(requested(server, '/js/marketing.js')).toBe(3);
    // A stored decision runs them on the next page load, again once each.
    await page.reload();
    await expect.poll(() => get(page, '__tagsRun')).toEqual(['analytics', 'advertising', 'social']);
  });

  test('a partial grant runs only that category; the placeholder button grants its category and loads the embed', async ({
    page,
    server,
  }) => {
    await page.goto(`${server.url}/`);
    await page.evaluate(() => (window.Consentline!.set as (g: object) => void)({ analytics: true }));
    await expect.poll(() => get(page, '__tagsRun')).toEqual(['analytics']);
    expect(requested(server, '/social-post.html')).toBe(0);
    await page.getByRole('button', { name: 'Allow Social media and load' }).click();
    await expect(page.frameLocator('iframe[data-category]').locator('[data-embed="loaded"]')).toBeVisible();
    expect(await readState(page)).toEqual({
      method: 'embed',
      grants: { necessary: true, analytics: true, advertising: false, social: true },
    });
    await expect.poll(() => get(page, '__tagsRun')).toEqual(['analytics', 'social']);
  });

  test('content added later (SPA) is handled by the observer: held until granted, then run once', async ({
    page,
    server,
  }) => {
    await page.goto(`${server.url}/`);
    await page.getByRole('button', { name: 'Reject all' }).click();
    await page.evaluate(() => {
      for (const [cat, name] of [
        ['analytics', 'a1'],
        ['advertising', 'b1'],
        ['analytics', 'a2'],
      ]) {
        const s = document.createElement('script');
        s.type = 'text/plain';
        s.dataset['category'] = cat!;
        s.text = `(window.__spa = window.__spa || []).push('${name}')`;
        document.body.append(s);
      }
      const f = document.createElement('iframe');
      f.dataset['category'] = 'social';
      f.dataset['src'] = '/social-post.html';
      f.title = 'late embed';
      document.querySelector('main')!.append(f);
    });
    await expect(page.locator('.consentline-ph')).toHaveCount(2);
    await page.waitForTimeout(200);
    expect(await get(page, '__spa')).toBeUndefined();
    await page.evaluate(() => (window.Consentline!.set as (g: object) => void)({ analytics: true }));
    await expect.poll(() => get(page, '__spa')).toEqual(['a1', 'a2']);
    // Granted already: a script added now runs at once.
    await page.evaluate(() => {
      const s = document.createElement('script');
      s.type = 'text/plain';
      s.dataset['category'] = 'analytics';
      s.text = `window.__spa.push('a3')`;
      document.body.append(s);
    });
    await expect.poll(() => get(page, '__spa')).toEqual(['a1', 'a2', 'a3']);
    expect(requested(server, '/social-post.html')).toBe(0);
  });

  test('a javascript: data-src never loads, even when granted', async ({ page, server }) => {
    await page.goto(`${server.url}/`);
    await page.getByRole('button', { name: 'Accept all' }).click();
    const src = await page.evaluate(async () => {
      const f = document.createElement('iframe');
      f.dataset['category'] = 'social';
      f.dataset['src'] = 'javascript:parent.__pwned=1';
      document.body.append(f);
      await new Promise((r) => setTimeout(r, 200));
      return [f.src, (window as unknown as { __pwned?: number }).__pwned];
    });
    expect(src).toEqual(['', undefined]);
  });
});

test.describe('strict CSP + Trusted Types (?csp=strict)', () => {
  test.beforeEach(async ({ page }) => {
    await page.addInitScript(() => {
      const w = window as unknown as W;
      w.__violations = [];
      document.addEventListener('securitypolicyviolation', (e) =>
        w.__violations!.push(`${e.violatedDirective} ${e.blockedURI}`),
      );
    });
  });
  const noViolations = async (page: Page, messages: string[]) => {
    expect(await get(page, '__violations')).toEqual([]);
    expect(messages.filter((m) => /Content Security Policy|Trusted/i.test(m))).toEqual([]);
  };

  test('load, reject, reopen, accept, reload: zero violations; scripts keep order and nonce', async ({
    page,
    server,
  }) => {
    const messages: string[] = [];
    page.on('console', (m) => messages.push(m.text()));
    const res = await page.goto(`${server.url}/csp.html?csp=strict`);
    expect(res!.headers()['content-security-policy']).toContain("require-trusted-types-for 'script'");
    await expect(page.getByRole('button', { name: 'Reject all', exact: true })).toBeVisible();
    // Styles applied (adopted sheet): the banner is a fixed bar, not unstyled page flow.
    expect(await page.locator('#consentline .b').evaluate((el) => getComputedStyle(el).position)).toBe('fixed');
    await noViolations(page, messages);
    await page.getByRole('button', { name: 'Reject all', exact: true }).click();
    await page.locator('#consentline .r').click();
    await expect(page.getByRole('dialog')).toBeVisible();
    await page.getByRole('button', { name: 'Accept all' }).click();
    await expect.poll(() => get(page, '__order')).toEqual(['inline-1', 'external-2', 'inline-3', 'module-4']);
    await expect.poll(() => get(page, '__tagsRun')).toEqual(['analytics', 'advertising']);
    await noViolations(page, messages);
    await page.reload();
    await expect.poll(() => get(page, '__order')).toEqual(['inline-1', 'external-2', 'inline-3', 'module-4']);
    await page.locator('main [data-consentline-preferences]').click();
    await page.getByRole('switch', { name: 'Analytics' }).uncheck();
    await page.getByRole('button', { name: 'Save choices' }).click();
    // What the click leaves for later has run too.
    await expect(page.locator('#consentline [aria-live="polite"]')).toHaveText('Your choices have been saved.');
    await afterFrames(page);
    await noViolations(page, messages);
  });

  test('embed placeholder under strict CSP: zero violations', async ({ page, server }) => {
    const messages: string[] = [];
    page.on('console', (m) => messages.push(m.text()));
    await page.goto(`${server.url}/csp.html?csp=strict`);
    await page.getByRole('button', { name: 'Allow Social media and load' }).click();
    await expect(page.frameLocator('iframe[data-category]').locator('[data-embed="loaded"]')).toBeVisible();
    expect(await readState(page)).toEqual({
      method: 'embed',
      grants: { necessary: true, analytics: false, advertising: false, social: true },
    });
    // What the click leaves for later has run too.
    await expect.poll(() => changesAnnounced(page)).toBe(1);
    await afterFrames(page);
    await noViolations(page, messages);
  });
});

test('on a nonce-using page, held-back scripts without the SDK nonce (injected markup) never run', async ({
  page,
  server,
}) => {
  await page.goto(`${server.url}/csp.html`);
  await page.evaluate(() => {
    const div = document.createElement('div');
    div.innerHTML =
      '<script type="text/plain" data-category="analytics" src="/js/order.js?n=injected"></script>' +
      '<script type="text/plain" data-category="analytics">window.__injected = 1</script>';
    document.body.append(div);
  });
  await page.getByRole('button', { name: 'Accept all' }).click();
  await expect.poll(() => get(page, '__order')).toEqual(['inline-1', 'external-2', 'inline-3', 'module-4']);
  await page.waitForTimeout(300);
  expect(await page.evaluate(() => (window as unknown as { __injected?: number }).__injected)).toBeUndefined();
  expect(server.requests.filter((r) => r.path === '/js/order.js').map((r) => r.search)).toEqual(['?n=external-2']);
});
