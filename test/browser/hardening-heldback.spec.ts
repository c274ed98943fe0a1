// Embed placeholders against markup the site does not control: a placeholder names every category
// its click grants, refuses what it cannot honestly ask for, never undoes an opt-out, follows the
// site's declared providers, and lives and dies with its element when an app re-renders it.
import type { Page } from '@playwright/test';
import { recordFigures } from '../support/figures';
import { consoleTexts, expect, test, type TestServer } from './fixtures';
import { readState, routePage } from './ui-support';

const frame = (category: string, tag: string, provider = 'Chirp', src = `/social-post.html?${tag}`) =>
  `<iframe data-category="${category}" data-src="${src}" data-provider="${provider}" title="${tag}" width="320" height="150"></iframe>`;

/** Which `?tag` embeds the server was asked for. */
const loaded = (server: TestServer) =>
  server.requests.filter((r) => r.path === '/social-post.html').map((r) => r.search.slice(1));

const warningsOf = (page: Page) => {
  const warnings = consoleTexts(page, 'warning');
  return warnings;
};

const placeholders = (page: Page) =>
  page.locator('.consentline-ph').evaluateAll((ps) =>
    ps.map((p) => ({
      text: p.querySelector('p')?.textContent,
      button: p.querySelector('button')?.textContent ?? null,
    })),
  );

test('a placeholder names every category its click grants; necessary and unknown ids are refused with a warning', async ({
  page,
  server,
}) => {
  const warnings = warningsOf(page);
  const refused = [
    frame('necessary advertising', 'necessary-advertising'),
    frame('necessary', 'necessary'),
    frame('advertising bogus', 'bogus'),
    frame('constructor', 'constructor'),
    frame('   ', 'blank'),
    frame('social', 'script-url', 'Chirp', 'javascript:parent.__pwned=1'),
  ];
  await routePage(page, '/embeds.html', {
    body: frame('analytics advertising social', 'all-three') + refused.join(''),
  });
  await page.goto(`${server.url}/embeds.html`);
  await expect(page.locator('.consentline-ph')).toHaveCount(1);
  const shown = await placeholders(page);
  const problems: string[] = [];
  if (
    JSON.stringify(shown) !==
    JSON.stringify([
      {
        text: 'Chirp content is blocked until you allow Analytics, Advertising, and Social media.',
        button: 'Allow Analytics, Advertising, and Social media and load',
      },
    ])
  ) {
    problems.push(`placeholders ${JSON.stringify(shown)}`);
  }
  const refusals = warnings.filter((w) => w.includes('held back for good'));
  if (refusals.length !== refused.length)
    problems.push(`${refusals.length} refusal warnings for ${refused.length} refused embeds`);
  await page.getByRole('button', { name: 'Allow Analytics, Advertising, and Social media and load' }).click();
  await expect(page.frameLocator('iframe[title="all-three"]').locator('[data-embed="loaded"]')).toBeVisible();
  // Granted now, and still nothing refused loads.
  await page.evaluate(() => (window.Consentline!.acceptAll as () => void)());
  await page.waitForTimeout(300);
  if (loaded(server).join() !== 'all-three') problems.push(`loaded ${loaded(server).join()}`);
  recordFigures('hardening: embed placeholders', { cases: refused.length + 1, leaks: problems.length });
  expect(problems).toEqual([]);
  expect(await readState(page)).toEqual({
    method: 'api',
    grants: { necessary: true, analytics: true, advertising: true, social: true },
  });
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
});

test('the one click grants what it named, and only that: a social embed click leaves advertising off', async ({
  page,
  server,
}) => {
  await routePage(page, '/embed-one.html', { body: frame('social', 'social-only') });
  await page.goto(`${server.url}/embed-one.html`);
  await page.getByRole('button', { name: 'Allow Social media and load' }).click();
  await expect(page.frameLocator('iframe[title="social-only"]').locator('[data-embed="loaded"]')).toBeVisible();
  expect(await readState(page)).toEqual({
    method: 'embed',
    grants: { necessary: true, analytics: false, advertising: false, social: true },
  });
});

test.describe('a placeholder click never undoes an opt-out', () => {
  test('opt-out regime after Do Not Sell: the placeholder says the opt-out is honored and offers no button; the opt-out survives', async ({
    page,
    server,
  }) => {
    await routePage(page, '/embed-optout.html', {
      config: { regime: 'opt-out' },
      body: frame('social', 'social') + frame('analytics advertising', 'ads'),
    });
    await page.goto(`${server.url}/embed-optout.html`);
    // Opt-out regime, no decision: everything runs until the visitor opts out.
    await expect(page.frameLocator('iframe[title="social"]').locator('[data-embed="loaded"]')).toBeVisible();
    await page.evaluate(() => (window.Consentline!.optOut as () => void)());
    server.clear();
    await page.reload();
    await expect(page.locator('.consentline-ph')).toHaveCount(2);
    const shown = await placeholders(page);
    const problems: string[] = [];
    const expected = [
      {
        text: 'Chirp content stays blocked: it needs Social media, and your opt-out of the sale or sharing of personal information is honored.',
        button: null,
      },
      {
        text: 'Chirp content stays blocked: it needs Advertising, and your opt-out of the sale or sharing of personal information is honored.',
        button: null,
      },
    ];
    if (JSON.stringify(shown) !== JSON.stringify(expected)) problems.push(`placeholders ${JSON.stringify(shown)}`);
    // Whatever the visitor clicks in a placeholder, the opt-out holds.
    const buttons = page.locator('.consentline-ph button');
    for (let i = 0; i < 2 && (await buttons.count()); i++) await buttons.first().click();
    await page.waitForTimeout(300);
    const state = await readState(page);
    if (state.method !== 'opt-out' || state.grants['social'] || state.grants['advertising'])
      problems.push(`state ${JSON.stringify(state)}`);
    if (loaded(server).length) problems.push(`loaded ${loaded(server).join()}`);
    recordFigures('hardening: embed placeholders', { scenarios: problems.length ? 0 : 1, leaks: problems.length });
    expect(problems).toEqual([]);
  });

  test('GPC in opt-in: a sale/share embed says why it stays blocked, with no button; an analytics embed still asks', async ({
    page,
    server,
  }) => {
    await page.addInitScript(() =>
      Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true, configurable: true }),
    );
    await routePage(page, '/embed-gpc.html', {
      body: frame('social', 'social') + frame('analytics', 'stats', 'Stats'),
    });
    await page.goto(`${server.url}/embed-gpc.html`);
    await expect(page.locator('.consentline-ph')).toHaveCount(2);
    const shown = await placeholders(page);
    const problems: string[] = [];
    const expected = [
      {
        text: 'Chirp content stays blocked: it needs Social media, and your opt-out of the sale or sharing of personal information is honored.',
        button: null,
      },
      { text: 'Stats content is blocked until you allow Analytics.', button: 'Allow Analytics and load' },
    ];
    if (JSON.stringify(shown) !== JSON.stringify(expected)) problems.push(`placeholders ${JSON.stringify(shown)}`);
    await page.getByRole('button', { name: 'Allow Analytics and load' }).click();
    await expect(page.frameLocator('iframe[title="stats"]').locator('[data-embed="loaded"]')).toBeVisible();
    const state = await readState(page);
    if (state.grants['social'] || state.grants['advertising']) problems.push(`state ${JSON.stringify(state)}`);
    if (loaded(server).join() !== 'stats') problems.push(`loaded ${loaded(server).join()}`);
    recordFigures('hardening: embed placeholders', { scenarios: problems.length ? 0 : 1, leaks: problems.length });
    expect(problems).toEqual([]);
  });
});

test('declared providers: an embed with an undeclared provider, other categories or another host is refused, as are those of a declaration naming necessary', async ({
  page,
  server,
}) => {
  const warnings = warningsOf(page);
  const elsewhere = server.url.replace('127.0.0.1', 'localhost');
  const refused = [
    frame('social', 'undeclared', 'Chirp Video'),
    frame('social', 'no-provider', ''),
    frame('social advertising', 'more'),
    frame('analytics', 'other'),
    frame('social', 'host', 'Chirp', `${elsewhere}/social-post.html?host`),
    frame('analytics', 'bad-declaration', 'Broken'),
  ];
  await routePage(page, '/embed-providers.html', {
    config: {
      ui: {
        providers: {
          Chirp: { categories: ['social'], hosts: ['127.0.0.1'] },
          Maps: { categories: ['analytics', 'advertising'] },
          Broken: { categories: ['analytics', 'necessary'] },
        },
      },
    },
    body: frame('social', 'chirp') + frame('advertising analytics', 'maps', 'Maps') + refused.join(''),
  });
  await page.goto(`${server.url}/embed-providers.html`);
  await expect(page.locator('.consentline-ph')).toHaveCount(2);
  const problems: string[] = [];
  const shown = (await placeholders(page)).map((p) => p.button);
  if (shown.join() !== 'Allow Social media and load,Allow Advertising and Analytics and load')
    problems.push(`placeholders ${shown.join()}`);
  const refusals = warnings.filter((w) => w.includes('held back for good'));
  if (refusals.length !== refused.length)
    problems.push(`${refusals.length} refusal warnings for ${refused.length} refused embeds: ${refusals.join(' | ')}`);
  await page.evaluate(() => (window.Consentline!.acceptAll as () => void)());
  await expect(page.frameLocator('iframe[title="maps"]').locator('[data-embed="loaded"]')).toBeVisible();
  await page.waitForTimeout(300);
  if (loaded(server).sort().join() !== 'chirp,maps') problems.push(`loaded ${loaded(server).join()}`);
  recordFigures('hardening: embed placeholders', { cases: refused.length + 2, leaks: problems.length });
  expect(problems).toEqual([]);
});

test('an app that removes, re-inserts, moves and re-creates a held-back iframe: one placeholder per iframe on the page, none after Allow', async ({
  page,
  server,
}) => {
  await routePage(page, '/embed-app.html', { body: '<div id="app"></div><div id="other"></div>' });
  await page.goto(`${server.url}/embed-app.html`);
  // The page's own script, as a framework renders: its nodes only, never the placeholder it does not know.
  await page.evaluate(() => {
    const app = document.getElementById('app')!;
    const make = (n: number) => {
      const f = document.createElement('iframe');
      f.dataset['category'] = 'social';
      f.dataset['src'] = `/social-post.html?render-${n}`;
      f.dataset['provider'] = 'Chirp';
      f.title = `render-${n}`;
      return f;
    };
    let n = 0;
    let current = make(n);
    app.appendChild(current);
    const w = window as unknown as Record<string, unknown>;
    w['__unmount'] = () => current.parentNode?.removeChild(current);
    w['__mount'] = () => app.appendChild(current);
    w['__move'] = () => document.getElementById('other')!.appendChild(current);
    w['__rerender'] = () => {
      current.parentNode?.removeChild(current);
      current = make(++n);
      app.appendChild(current);
    };
  });
  const act = (name: string) => page.evaluate((k) => (window as unknown as Record<string, () => void>)[k]!(), name);
  const settle = () => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 20))));
  /** Placeholders on the page, and how many stand right before a held-back iframe that has not loaded. */
  const count = () =>
    page.evaluate(() => {
      const all = document.querySelectorAll('.consentline-ph').length;
      const iframes = Array.from(document.querySelectorAll<HTMLIFrameElement>('iframe[data-category]'));
      const waiting = iframes.filter((f) => !f.src);
      const placed = waiting.filter((f) => f.previousElementSibling?.classList.contains('consentline-ph')).length;
      return { all, waiting: waiting.length, placed };
    });
  const problems: string[] = [];
  const check = async (step: string, all: number) => {
    await settle();
    const c = await count();
    if (c.all !== all || c.placed !== c.waiting) problems.push(`${step}: ${JSON.stringify(c)}`);
  };
  // On script-tag pages the placeholders come with dist/embeds.js, fetched at the page's first
  // embed; every step after that is handled synchronously, as the renders below need.
  await expect(page.locator('.consentline-ph')).toHaveCount(1);
  await check('first render', 1);
  await act('__unmount');
  await check('unmounted', 0);
  await act('__mount');
  await check('mounted again', 1);
  await act('__move');
  await check('moved', 1);
  for (let i = 0; i < 5; i++) await act('__rerender');
  await check('re-rendered 5 times', 1);
  // Several renders inside one task, as a batched framework update does.
  await page.evaluate(() => {
    const w = window as unknown as Record<string, () => void>;
    for (let i = 0; i < 4; i++) w['__rerender']!();
    w['__unmount']!();
    w['__mount']!();
  });
  await check('re-rendered in one task', 1);
  await page.locator('.consentline-ph:has(+ iframe[data-category]:not([src])) button').first().click();
  await expect(page.locator('iframe[data-category][src]')).toHaveCount(1);
  await check('after Allow', 0);
  for (let i = 0; i < 3; i++) await act('__rerender');
  await act('__unmount');
  await act('__mount');
  await check('re-rendered after Allow', 0);
  await expect(page.frameLocator('#app iframe').locator('[data-embed="loaded"]')).toBeVisible();
  // Nothing loaded before Allow (renders 0 to 8 came and went before it); afterwards what the app rendered.
  const renders = loaded(server).map((r) => Number(r.split('-')[1]));
  if (!renders.includes(12) || renders.some((n) => n < 9)) problems.push(`loaded ${renders.join()}`);
  recordFigures('hardening: embed placeholders', { scenarios: problems.length ? 0 : 1, leaks: problems.length });
  expect(problems).toEqual([]);
});

test('a providers declaration that fails validation restricts to nothing, never to anything', async ({
  page,
  server,
}) => {
  const warnings = warningsOf(page);
  const problems: string[] = [];
  const configs: Array<[string, unknown]> = [
    ['providers not an object', 'Chirp'],
    ['hosts not a list', { Chirp: { categories: ['social'], hosts: '127.0.0.1' } }],
    ['categories not a list', { Chirp: { categories: 'social' } }],
  ];
  for (const [i, [name, providers]] of configs.entries()) {
    await routePage(page, `/embed-bad-providers-${i}.html`, {
      config: { ui: { providers } },
      body: frame('social', `bad-${i}`),
    });
    await page.goto(`${server.url}/embed-bad-providers-${i}.html`);
    await page.waitForFunction(() => typeof window.Consentline?.get === 'function');
    await page.evaluate(() => (window.Consentline!.acceptAll as () => void)());
    await page.waitForTimeout(200);
    if (await page.locator('.consentline-ph').count()) problems.push(`${name}: a placeholder`);
  }
  if (loaded(server).length) problems.push(`loaded ${loaded(server).join()}`);
  if (warnings.filter((w) => w.includes('held back for good')).length !== configs.length)
    problems.push(`warnings ${warnings.join(' | ')}`);
  recordFigures('hardening: embed placeholders', { cases: configs.length, leaks: problems.length });
  expect(problems).toEqual([]);
});
