// The framework examples, built once by scripts/build-examples.mjs (`npm test` runs it): demo/react
// (Vite, React StrictMode, client-rendered, under a `style-src 'self'` policy whose violations
// show as console errors) served as static files, and demo/next (Next.js App Router,
// server-rendered with the consent cookie read by readConsentCookie, under a nonce-based CSP)
// under `next start`, and demo/vue (Vue server-rendered by demo/vue/server.mjs with the cookie
// read by readConsentCookie, hydrated by a development bundle that reports mismatches, under a
// strict CSP), and demo/islands (two React islands on one page, rendered and hydrated on their own as
// Astro renders them, under a strict CSP, by a development bundle that reports mismatches).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test as base, expect, type Page } from '@playwright/test';
import { axeViolations, recordLayoutShifts } from './ui-support';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const REACT_DIST = join(ROOT, 'demo/react/dist');
const NEXT_BUILD = join(ROOT, 'demo/next/.next/BUILD_ID');
const VUE_BUNDLE = join(ROOT, 'demo/vue/dist/assets/client.js');
const ISLANDS_BUNDLE = join(ROOT, 'demo/islands/dist/assets/client.js');
const SALES = '+15551234567';
const TRACKING = '+18005550199';

/** Console errors and warnings, and uncaught exceptions: a hydration mismatch shows up in one of them. */
interface PageProblems {
  list: string[];
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css',
};

async function serveStatic(dir: string): Promise<{ url: string; server: Server }> {
  const server = createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const file = join(dir, path.startsWith('/assets/') && !path.includes('..') ? path : 'index.html');
    try {
      const body = await readFile(file);
      res.writeHead(200, {
        'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
        'cache-control': 'no-store',
      });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((done) => probe.listen(0, '127.0.0.1', done));
  const { port } = probe.address() as AddressInfo;
  await new Promise((done) => probe.close(done));
  return port;
}

async function startNext(): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [
      join(ROOT, 'node_modules/next/dist/bin/next'),
      'start',
      join(ROOT, 'demo/next'),
      '-p',
      String(port),
      '-H',
      '127.0.0.1',
    ],
    {
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let log = '';
  child.stdout!.on('data', (d) => (log += d));
  child.stderr!.on('data', (d) => (log += d));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`next start exited:\n${log}`);
    try {
      if ((await fetch(`${url}/naive`)).ok) return { url, child };
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill();
  throw new Error(`next start did not answer in 30 s:\n${log}`);
}

const test = base.extend<
  { problems: PageProblems },
  { reactUrl: string; nextUrl: string; vueUrl: string; islandsUrl: string }
>({
  islandsUrl: [
    async ({}, use) => {
      if (!existsSync(ISLANDS_BUNDLE))
        throw new Error('demo/islands is not built: run `npm run build && npm run build:examples`');
      const { startIslandsDemo } = await import('../../demo/islands/server.mjs');
      const { url, close } = await startIslandsDemo();
      await use(url);
      await close();
    },
    { scope: 'worker' },
  ],
  vueUrl: [
    async ({}, use) => {
      if (!existsSync(VUE_BUNDLE))
        throw new Error('demo/vue is not built: run `npm run build && npm run build:examples`');
      const { startVueDemo } = await import('../../demo/vue/server.mjs');
      const { url, close } = await startVueDemo();
      await use(url);
      await close();
    },
    { scope: 'worker' },
  ],
  reactUrl: [
    async ({}, use) => {
      if (!existsSync(join(REACT_DIST, 'index.html')))
        throw new Error('demo/react is not built: run `npm run build && npm run build:examples`');
      const { url, server } = await serveStatic(REACT_DIST);
      await use(url);
      await new Promise((done) => server.close(done));
    },
    { scope: 'worker' },
  ],
  nextUrl: [
    async ({}, use) => {
      if (!existsSync(NEXT_BUILD))
        throw new Error('demo/next is not built: run `npm run build && npm run build:examples`');
      const { url, child } = await startNext();
      await use(url);
      child.kill();
    },
    { scope: 'worker' },
  ],
  problems: async ({ page }, use) => {
    const problems: PageProblems = { list: [] };
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.list.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.list.push(`pageerror: ${e.message}`));
    await use(problems);
  },
});

/** Consent Mode commands in the page's dataLayer, as `consent default` / `consent update` counts. */
const consentCommands = (page: Page) =>
  page.evaluate(() => {
    const dl = ((window as unknown as { dataLayer?: ArrayLike<unknown>[] }).dataLayer ?? []).filter(
      (a) => a[0] === 'consent',
    );
    return { default: dl.filter((a) => a[1] === 'default').length, update: dl.filter((a) => a[1] === 'update').length };
  });

const banners = (page: Page) => page.locator('[role="region"][aria-label="Cookies and your privacy"]');
/** The page's cookies as a request's `Cookie` header. */
const cookieHeader = async (page: Page) =>
  (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
/** Serves `url` as its server sent it with the scripts left out: what a visitor sees before they run. */
const withoutScripts = (page: Page, url: string) =>
  page.route(url, async (route) => {
    const html = await (await route.fetch()).text();
    await route.fulfill({ contentType: 'text/html', body: html.replace(/<script\b[\s\S]*?<\/script>/g, '') });
  });
/** Reloads as the returning visitor: the decided page, hydrated with no banner and no warning. */
async function expectReturningVisit(page: Page, problems: PageProblems, accepted: boolean): Promise<void> {
  problems.list.length = 0;
  await page.reload();
  await expect(page.locator('#status')).toHaveText(accepted ? 'Analytics on.' : 'Analytics off.');
  await expect(page.locator(accepted ? '#analytics-on' : '#analytics-off')).toBeVisible();
  await page.waitForLoadState('networkidle');
  await expect(banners(page)).toHaveCount(0);
  expect(problems.list).toEqual([]);
}

test.describe('demo/react: Vite, React StrictMode', () => {
  test('a first visit shows one banner, one Consent Mode default, the original number', async ({
    page,
    reactUrl,
    problems,
  }) => {
    await page.goto(reactUrl);
    // StrictMode really re-ran the effects (a development build), so "one" below means something.
    await expect(page.locator('html')).toHaveAttribute('data-effect-runs', '2');
    await expect(banners(page)).toHaveCount(1);
    await expect(page.locator('#consentline')).toHaveCount(1);
    await expect(page.locator('#status')).toHaveText('No decision yet.');
    await expect(page.locator('#analytics-off')).toBeVisible();
    await expect(page.locator('#phone')).toHaveText(SALES);
    expect(await consentCommands(page)).toEqual({ default: 1, update: 0 });
    expect(problems.list).toEqual([]);
  });

  test('accepting updates useConsent, useCategory and ConsentGate consumers, the tracking number and Consent Mode once', async ({
    page,
    reactUrl,
    problems,
  }) => {
    await page.goto(reactUrl);
    await banners(page).getByRole('button', { name: 'Accept all' }).click();
    await expect(banners(page)).toHaveCount(0);
    await expect(page.locator('#status')).toHaveText('Analytics on.');
    await expect(page.locator('#status')).toHaveAttribute('data-analytics', 'true');
    await expect(page.locator('#analytics-on')).toBeVisible();
    await expect(page.locator('#video')).toBeVisible();
    await expect(page.locator('#phone')).toHaveText(TRACKING);
    await expect(page.locator('#phone')).toHaveAttribute('href', `tel:${TRACKING}`);
    // One bridge however often StrictMode ran the effect: one update for one decision.
    expect(await consentCommands(page)).toEqual({ default: 1, update: 1 });

    // Withdrawal: the gate closes and the original number comes back, with its stored context gone.
    await page.locator('#withdraw').click();
    await expect(page.locator('#status')).toHaveText('Analytics off.');
    await expect(page.locator('#analytics-off')).toBeVisible();
    await expect(page.locator('#phone')).toHaveText(SALES);
    expect(await page.evaluate(() => localStorage.getItem('consentline_dni'))).toBeNull();
    expect(await consentCommands(page)).toEqual({ default: 1, update: 2 });
    expect(problems.list).toEqual([]);
  });

  test("the gate's allow button grants its category in place, and nothing else", async ({ page, reactUrl }) => {
    await page.goto(reactUrl);
    await page.getByRole('button', { name: 'Allow social media and play' }).click();
    await expect(page.locator('#video')).toBeVisible();
    await expect(page.locator('#status')).toHaveText('Analytics off.');
    await expect(page.locator('#phone')).toHaveText(SALES);
    await expect(banners(page)).toHaveCount(0);
  });

  test('a returning visitor gets no banner and one Consent Mode update on load', async ({
    page,
    reactUrl,
    problems,
  }) => {
    await page.goto(reactUrl);
    await banners(page).getByRole('button', { name: 'Accept all' }).click();
    await page.reload();
    await expect(page.locator('#status')).toHaveText('Analytics on.');
    await expect(page.locator('#phone')).toHaveText(TRACKING);
    await expect(banners(page)).toHaveCount(0);
    expect(await consentCommands(page)).toEqual({ default: 1, update: 1 });
    expect(problems.list).toEqual([]);
  });
});

test.describe('demo/next: App Router, cookie read on the server', () => {
  test('a first visit has the banner in the server HTML, hydrates without a warning, and shows one banner', async ({
    page,
    nextUrl,
    problems,
  }) => {
    const response = await fetch(nextUrl);
    // Next.js's CSP guide's policy (demo/next/proxy.ts): the copy's <style> needs the nonce.
    expect(response.headers.get('content-security-policy')).toMatch(/style-src 'self' 'nonce-[^']+';/);
    const html = await response.text();
    expect(html).toContain('id="consentline"');
    expect(html).toMatch(/<style nonce="[^"]+">/);
    expect(html).toContain('Accept all');
    expect(html).toContain('No decision yet.');
    await page.goto(nextUrl);
    await expect(banners(page)).toHaveCount(1);
    await expect(page.locator('#consentline')).toHaveCount(1);
    await expect(page.locator('#phone')).toHaveText(SALES);
    await page.waitForLoadState('networkidle');
    expect(problems.list).toEqual([]);
  });

  for (const choice of ['Accept all', 'Reject all'] as const) {
    test(`a returning visitor (${choice}) gets the decided page from the server and hydrates without a warning`, async ({
      page,
      nextUrl,
      problems,
    }) => {
      await page.goto(nextUrl);
      await banners(page).getByRole('button', { name: choice }).click();
      const accepted = choice === 'Accept all';
      await expect(page.locator('#status')).toHaveText(accepted ? 'Analytics on.' : 'Analytics off.');
      const html = await (await fetch(nextUrl, { headers: { cookie: await cookieHeader(page) } })).text();
      expect(html).not.toContain('id="consentline"');
      expect(html).toContain(accepted ? 'Analytics on.' : 'Analytics off.');
      await expectReturningVisit(page, problems, accepted);
      await expect(page.locator('#phone')).toHaveText(accepted ? TRACKING : SALES);
    });
  }

  test("the tracking number follows consent and withdrawal; the gate's allow button grants in place", async ({
    page,
    nextUrl,
    problems,
  }) => {
    await page.goto(nextUrl);
    await page.getByRole('button', { name: 'Allow live chat' }).click();
    await expect(page.locator('#chat')).toBeVisible();
    await expect(page.locator('#phone')).toHaveText(SALES);
    await page.locator('#consentline').waitFor({ state: 'attached' });
    await page.getByRole('button', { name: 'Cookie settings' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Accept all' }).click();
    await expect(page.locator('#phone')).toHaveText(TRACKING);
    expect(await consentCommands(page)).toEqual({ default: 1, update: 2 });
    await page.locator('#withdraw').click();
    await expect(page.locator('#phone')).toHaveText(SALES);
    await expect(page.locator('#analytics-off')).toBeVisible();
    expect(problems.list).toEqual([]);
  });

  test("a banner's copy in a Suspense boundary that hydrates after the shell is hydrated where the server put it, without a warning", async ({
    page,
    nextUrl,
    problems,
  }) => {
    const html = await (await fetch(`${nextUrl}/suspense`)).text();
    expect(html.split('id="consentline"').length - 1).toBe(1);
    expect(html).toMatch(/<aside id="early"><div id="consentline"/);
    // Copies put into the page by a script (React drawing one again), not by the parser.
    await page.addInitScript(() => {
      const page = window as unknown as { copiesDrawn: number };
      page.copiesDrawn = 0;
      const seen = new MutationObserver((records) => {
        for (const r of records)
          r.addedNodes.forEach((n) => {
            if (n instanceof Element && (n.matches('.cp') || n.querySelector('.cp'))) page.copiesDrawn++;
          });
      });
      document.addEventListener('DOMContentLoaded', () =>
        seen.observe(document.documentElement, { childList: true, subtree: true }),
      );
    });
    await page.goto(`${nextUrl}/suspense`);
    await expect(banners(page)).toHaveCount(1);
    await expect(page.locator('#consentline.cp')).toHaveCount(0);
    await expect(page.locator('#early')).toHaveCount(1);
    await page.waitForLoadState('networkidle');
    expect(await page.evaluate(() => (window as unknown as { copiesDrawn: number }).copiesDrawn)).toBe(0);
    expect(problems.list).toEqual([]);
  });

  test('the check above sees a mismatch: the naive useSyncExternalStore page fails hydration for a returning visitor', async ({
    page,
    nextUrl,
    problems,
  }) => {
    await page.goto(nextUrl);
    await banners(page).getByRole('button', { name: 'Accept all' }).click();
    await page.goto(`${nextUrl}/naive`);
    await expect(page.locator('#naive')).toHaveText('Statistics are on.');
    await page.waitForLoadState('networkidle');
    expect(problems.list.join('\n')).toMatch(/418|hydrat/i);
  });
});

test.describe('demo/vue: server-rendered, cookie read on the server, hydrated', () => {
  test('a first visit has the banner in the server HTML with the CSP nonce on its <style>, hydrates without a warning, and shows one banner', async ({
    page,
    vueUrl,
    problems,
  }) => {
    const response = await fetch(vueUrl);
    const nonce = /style-src 'self' 'nonce-([^']+)';/.exec(response.headers.get('content-security-policy') ?? '')?.[1];
    expect(nonce).toBeTruthy();
    const html = await response.text();
    expect(html).toContain('id="consentline"');
    expect(html).toContain(`<style nonce="${nonce}">`);
    expect(html).toContain('Accept all');
    await page.goto(vueUrl);
    await expect(banners(page)).toHaveCount(1);
    await expect(page.locator('#consentline')).toHaveCount(1);
    // The live UI's root, not the copy inside the app.
    await expect(page.locator('#app #consentline')).toHaveCount(0);
    await page.waitForLoadState('networkidle');
    expect(problems.list).toEqual([]);
  });

  test("the live banner takes the copy's place without a layout shift, in the box the copy had", async ({
    page,
    vueUrl,
  }) => {
    // Where the visitor first sees the banner: the copy, before the scripts run.
    await withoutScripts(page, vueUrl);
    await page.goto(vueUrl);
    const copyBox = await banners(page).boundingBox();
    await page.unroute(vueUrl);
    const shifts = await recordLayoutShifts(page);
    await page.goto(vueUrl);
    await page.waitForLoadState('networkidle');
    await page.waitForTimeout(500);
    await expect(page.locator('#app #consentline')).toHaveCount(0);
    expect(await banners(page).boundingBox()).toEqual(copyBox);
    expect(await shifts()).toEqual([]);
  });

  test('with the script tag on the page too, one banner shows before the page hydrates, and one after', async ({
    page,
    vueUrl,
  }) => {
    const tag = await readFile(join(ROOT, 'dist/consentline.min.js'), 'utf8');
    await page.route(`${vueUrl}/consentline.min.js`, (route) =>
      route.fulfill({ contentType: 'text/javascript', body: tag }),
    );
    let hydrates = false;
    await page.route(vueUrl, async (route) => {
      const response = await route.fetch();
      const html = (await response.text()).replace('<head>', '<head><script src="/consentline.min.js"></script>');
      await route.fulfill({
        response,
        body: hydrates ? html : html.replace(/<script type="module"[^>]*><\/script>/, ''),
      });
    });
    const shown = () => banners(page).filter({ visible: true });
    // The app's scripts held back: the server's copy and the script tag's live UI are both in the page.
    await page.goto(vueUrl);
    await expect(page.locator('#app #consentline')).toHaveCount(1);
    await expect(page.locator('body > #consentline')).toHaveCount(1);
    await expect(shown()).toHaveCount(1);
    await expect(page.locator('#app #consentline')).toBeHidden();
    hydrates = true;
    await page.reload();
    await page.waitForLoadState('networkidle');
    await expect(page.locator('#app #consentline')).toHaveCount(0);
    await expect(shown()).toHaveCount(1);
  });

  test('a first visit renders the undecided page on the server, hydrates without a warning, and shows one banner', async ({
    page,
    vueUrl,
    problems,
  }) => {
    const html = await (await fetch(vueUrl)).text();
    expect(html).toContain('No decision yet.');
    expect(html).toContain('Statistics are off.');
    await page.goto(vueUrl);
    await expect(banners(page)).toHaveCount(1);
    await banners(page).getByRole('button', { name: 'Accept all' }).click();
    await expect(page.locator('#status')).toHaveText('Analytics on.');
    await expect(page.locator('#analytics-on')).toBeVisible();
    await expect(page.locator('#chat')).toBeVisible();
    await expect(banners(page)).toHaveCount(0);
    expect(problems.list).toEqual([]);
  });

  for (const choice of ['Accept all', 'Reject all'] as const) {
    test(`a returning visitor (${choice}) gets the decided page from the server and hydrates without a warning`, async ({
      page,
      vueUrl,
      problems,
    }) => {
      await page.goto(vueUrl);
      await banners(page).getByRole('button', { name: choice }).click();
      const accepted = choice === 'Accept all';
      const status = accepted ? 'Analytics on.' : 'Analytics off.';
      await expect(page.locator('#status')).toHaveText(status);
      const html = await (await fetch(vueUrl, { headers: { cookie: await cookieHeader(page) } })).text();
      expect(html).toContain(status);
      expect(html).not.toContain('id="consentline"');
      await expectReturningVisit(page, problems, accepted);
    });
  }

  test("the gate's allow button grants its category in place; withdrawal and the preferences follow", async ({
    page,
    vueUrl,
    problems,
  }) => {
    await page.goto(vueUrl);
    await page.getByRole('button', { name: 'Allow Live chat' }).click();
    await expect(page.locator('#chat')).toBeVisible();
    await expect(page.locator('#status')).toHaveText('Analytics off.');
    await page.getByRole('button', { name: 'Cookie settings' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Accept all' }).click();
    await expect(page.locator('#analytics-on')).toBeVisible();
    await page.locator('#withdraw').click();
    await expect(page.locator('#analytics-off')).toBeVisible();
    await expect(page.locator('#chat')).toBeHidden();
    expect(problems.list).toEqual([]);
  });

  test('the check above sees a mismatch: the page hydrated without the server state fails for a returning visitor', async ({
    page,
    vueUrl,
    problems,
  }) => {
    await page.goto(vueUrl);
    await banners(page).getByRole('button', { name: 'Accept all' }).click();
    await expect(page.locator('#status')).toHaveText('Analytics on.');
    await page.goto(`${vueUrl}/naive`);
    await expect(page.locator('#status')).toHaveText('Analytics on.');
    await page.waitForLoadState('networkidle');
    expect(problems.list.join('\n')).toMatch(/hydrat/i);
  });
});

test.describe('demo/islands: two React islands, each a root of its own', () => {
  for (const order of [
    ['header', 'footer'],
    ['footer', 'header'],
  ])
    test(`one banner copy in the server HTML, and one banner shown throughout, the ${order[0]} island hydrating first`, async ({
      page,
      islandsUrl,
      problems,
    }) => {
      const html = await (await fetch(islandsUrl)).text();
      expect(html.split('id="consentline"').length - 1).toBe(1);
      expect(html).toMatch(/<section id="header"[^>]*><p class="status">No decision yet.<\/p><div id="consentline"/);
      await page.goto(islandsUrl);
      await page.waitForFunction(() => 'hydrateIsland' in window);
      const shown = banners(page).filter({ visible: true });
      await expect(shown).toHaveCount(1);
      const copy = page.locator('#header #consentline.cp');
      for (const island of order) {
        await page.evaluate(
          (id) => (window as unknown as { hydrateIsland(id: string): void }).hydrateIsland(id),
          island,
        );
        await expect(page.locator('body > #consentline')).toHaveCount(1);
        await expect(shown).toHaveCount(1);
        await expect(page.locator('body > #consentline [role="region"]')).toBeVisible();
      }
      await expect(copy).toHaveCount(0);
      await expect(page.locator('#consentline')).toHaveCount(1);
      await shown.getByRole('button', { name: 'Accept all' }).click();
      await expect(banners(page)).toHaveCount(0);
      await expect(page.locator('#header .status')).toHaveText('Decided.');
      expect(problems.list).toEqual([]);
    });
});

// A returning visitor's cookie that no longer counts (from an older policy revision, or broken)
// and a visitor sending GPC: the server renders what the browser store then reads, so the page
// hydrates without a warning and asks for a decision.
test.describe('server-rendered examples: stale and broken cookies, GPC', () => {
  const examples = [
    ['demo/next', 'nextUrl'],
    ['demo/vue', 'vueUrl'],
  ] as const;
  /** An accepted visitor's cookie as the example writes it. */
  async function acceptedCookie(page: Page, url: string): Promise<{ name: string; value: string }> {
    await page.goto(url);
    await banners(page).getByRole('button', { name: 'Accept all' }).click();
    await expect(page.locator('#status')).toHaveText('Analytics on.');
    const cookie = (await page.context().cookies()).find((c) => c.name === 'consentline')!;
    await page.context().clearCookies();
    return cookie;
  }
  for (const [name, fixture] of examples) {
    const cases: Array<[string, (value: string) => string]> = [
      ['a cookie from an older policy revision', (value) => value.replace(/^(\d+)~\d+~/, '$1~0~')],
      ['a malformed cookie', () => '1~1~%ZZ~~<b>~'],
    ];
    for (const [what, turn] of cases)
      test(`${name}: ${what} renders and hydrates as a first visit`, async ({ page, problems, nextUrl, vueUrl }) => {
        const url = fixture === 'nextUrl' ? nextUrl : vueUrl;
        const { value } = await acceptedCookie(page, url);
        await page.context().addCookies([{ name: 'consentline', value: turn(value), url }]);
        const header = await cookieHeader(page);
        expect(header).toContain('consentline=');
        expect(await (await fetch(url, { headers: { cookie: header } })).text()).toContain('No decision yet.');
        problems.list.length = 0;
        await page.reload();
        await expect(page.locator('#status')).toHaveText('No decision yet.');
        await expect(banners(page)).toHaveCount(1);
        await page.waitForLoadState('networkidle');
        expect(problems.list).toEqual([]);
      });

    for (const header of [true, false])
      test(`${name}: GPC ${header ? 'with' : 'without'} its Sec-GPC header hydrates without a warning and keeps advertising off after Accept all`, async ({
        page,
        problems,
        nextUrl,
        vueUrl,
      }) => {
        const url = fixture === 'nextUrl' ? nextUrl : vueUrl;
        await page.addInitScript(() =>
          Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true }),
        );
        if (header) await page.setExtraHTTPHeaders({ 'Sec-GPC': '1' });
        await page.goto(url);
        await expect(banners(page)).toHaveCount(1);
        await page.waitForLoadState('networkidle');
        await banners(page).getByRole('button', { name: 'Accept all' }).click();
        await expect(page.locator('#status')).toHaveText('Analytics on.');
        const value = (await page.context().cookies()).find((c) => c.name === 'consentline')!.value;
        expect(value).toMatch(/advertising:0/);
        await expectReturningVisit(page, problems, true);
      });
  }
});

// The script tag on a server-rendered page: its live UI is drawn before the page hydrates, beside
// the server's copy of the banner, which hides while a live UI is on the page. A browser without
// `:has()` (Firefox before 121, Safari before 15.4) drops every rule that uses it: here they are
// deleted from the page's sheets.
test.describe('server-rendered examples: the script tag beside the banner copy, without :has()', () => {
  for (const [name, fixture] of [
    ['demo/next', 'nextUrl'],
    ['demo/vue', 'vueUrl'],
  ] as const)
    test(`${name}: one banner shows before the page hydrates`, async ({ page, nextUrl, vueUrl }) => {
      const url = fixture === 'nextUrl' ? nextUrl : vueUrl;
      const tag = await readFile(join(ROOT, 'dist/consentline.min.js'), 'utf8');
      await page.route(`${url}/consentline.min.js`, (route) =>
        route.fulfill({ contentType: 'text/javascript', body: tag }),
      );
      // The app's scripts held back, so the page stays as the server sent it, with the tag added
      // (with the request's nonce, which Next.js's policy asks of every script).
      await page.route(url, async (route) => {
        const response = await route.fetch();
        const nonce = /'nonce-([^']+)'/.exec(response.headers()['content-security-policy'] ?? '')?.[1] ?? '';
        const html = (await response.text())
          .replace(/<script\b[\s\S]*?<\/script>/g, '')
          .replace('<head>', `<head><script src="/consentline.min.js" nonce="${nonce}"></script>`);
        await route.fulfill({ response, body: html });
      });
      await page.goto(url);
      const copy = page.locator('#consentline.cp');
      const live = page.locator('body > #consentline:not(.cp)');
      await expect(copy).toHaveCount(1);
      await expect(live).toHaveCount(1);
      await page.evaluate(() => {
        for (const sheet of [...document.styleSheets, ...document.adoptedStyleSheets])
          for (let i = sheet.cssRules.length - 1; i >= 0; i--)
            if (sheet.cssRules[i]!.cssText.includes(':has(')) sheet.deleteRule(i);
      });
      await expect(banners(page).filter({ visible: true })).toHaveCount(1);
      await expect(live.locator('[role="region"]')).toBeVisible();
      await expect(copy).toBeHidden();
    });
});

// axe-core runs as an inline script, which the examples' policies refuse: these tests bypass CSP
// (the tests above check the examples under it).
test.describe('the consent UI through the bindings: accessibility (axe-core)', () => {
  test.use({ bypassCSP: true });

  for (const [name, fixture] of [
    ['demo/next', 'nextUrl'],
    ['demo/vue', 'vueUrl'],
  ] as const)
    test(`${name}: the banner's server-rendered copy, the live banner and the preferences dialog`, async ({
      page,
      nextUrl,
      vueUrl,
    }) => {
      const url = fixture === 'nextUrl' ? nextUrl : vueUrl;
      await withoutScripts(page, url);
      await page.goto(url);
      await expect(banners(page)).toHaveCount(1);
      expect(await axeViolations(page)).toEqual([]);
      await page.unroute(url);
      await page.goto(url);
      await page.waitForLoadState('networkidle');
      expect(await axeViolations(page)).toEqual([]);
      await banners(page).getByRole('button', { name: 'Customize' }).click();
      await expect(page.getByRole('dialog')).toBeVisible();
      expect(await axeViolations(page)).toEqual([]);
    });
});
