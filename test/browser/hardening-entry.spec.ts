// Page content against the script tag, in Chromium against the built IIFE. Comments, reviews and
// CMS blocks keep `id`, `name` and `data-*` attributes; none of that may decide for the visitor:
// - configuration comes only from a <script type="application/json"> block (a <p> with the
//   config's id changes nothing, wherever the tag sits or however it loads), and more than one
//   candidate warns;
// - DOM clobbering: <img name="currentScript"> cannot stand in for the SDK's tag (its nonce gate
//   on held-back scripts and its data-region hold), <a id="Consentline"> cannot stop the SDK,
//   id="consentline" cannot stop the banner, and loading the script twice still gives one banner
//   and one Consent Mode default;
// - no page error from the SDK's bottom bar (Firefox ESR in hardening-firefox.spec.ts).
import type { Page } from '@playwright/test';
import { recordFigures } from '../support/figures';
import { changesAnnounced, consoleTexts, expect, test, type TestServer } from './fixtures';

const CSP =
  "script-src 'nonce-demo' 'strict-dynamic'; style-src 'self'; require-trusted-types-for 'script'; object-src 'none'; base-uri 'none'";
const SDK = '/dist/consentline.min.js';

type State = { regime: string; needsDecision: boolean; grants: Record<string, boolean> };
const state = (page: Page) => page.evaluate(() => (window.Consentline!.get as () => State)());
const warnings = (page: Page) => {
  const seen = consoleTexts(page, 'warning');
  return seen;
};
/** The first layer's buttons, in order. */
const bannerButtons = (page: Page) => page.locator('#consentline [role=region] button').allTextContents();
/** Every `gtag('consent', …)` command in dataLayer: [command, values]. */
const consentCommands = (page: Page) =>
  page.evaluate(() =>
    (window.dataLayer ?? [])
      .map((e) => Array.from(e as ArrayLike<unknown>))
      .filter((e) => e[0] === 'consent')
      .map((e) => [e[1], e[2]] as [string, Record<string, string>]),
  );
const requested = (server: TestServer, prefix: string) =>
  server.requests.map((r) => r.path + r.search).filter((p) => p.startsWith(prefix));

/** Serves `body` (a whole document) at `path` under the strict nonce CSP. */
const serve = (page: Page, path: string, body: string) =>
  page.route(`**${path}`, (route) =>
    route.fulfill({ contentType: 'text/html', headers: { 'content-security-policy': CSP }, body }),
  );
const doc = (head: string, body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>t</title><link rel="stylesheet" href="/site.css">${head}</head><body><main><h1>Page</h1>${body}</main></body></html>`;

test.describe('configuration comes only from a <script type="application/json"> block', () => {
  // What a comment can carry: the other regime, Accept and Reject swapped, an attacker's policy
  // link, receipts endpoint and DNI pool (which would receive the visit context and choose the number).
  const EVIL = JSON.stringify({
    regime: 'opt-out',
    privacyPolicyUrl: 'https://evil.example/policy',
    ui: { strings: { accept: 'Reject all', reject: 'Accept all', title: 'Evil' } },
    signals: { receipts: { endpoint: '/collect/evil-receipts' } },
    dni: {
      targets: ['+15551234567'],
      rules: [{ direct: true, pool: true, number: '+18880000000' }],
      pool: { url: '/evil-pool/' },
    },
  });
  const COMMENT = `<section class="comments"><p id="consentline-config">${EVIL}</p></section><p class="phone">Call (555) 123-4567</p>`;
  const SITE = `<script type="application/json" id="consentline-config">${JSON.stringify({
    privacyPolicyUrl: '/privacy.html',
    signals: { receipts: { endpoint: '/collect/receipts' } },
  })}</script>`;
  const POOL = `<script src="/dist/dni-pool.js" nonce="demo"></script>`;
  const LAYOUTS: Array<{ name: string; html: string; policy: string[]; receipts: boolean; slowSdk?: boolean }> = [
    {
      name: 'defer tag in <head>, configured by data attributes',
      html: doc(`${POOL}<script src="${SDK}" nonce="demo" defer data-consentline data-revision="2"></script>`, COMMENT),
      policy: [],
      receipts: false,
    },
    // The SDK is held back until the page is parsed, as a slow network would, so the comment exists when it runs.
    {
      name: 'async tag in <head>, configured by data attributes',
      html: doc(`${POOL}<script src="${SDK}" nonce="demo" async data-consentline data-revision="2"></script>`, COMMENT),
      policy: [],
      receipts: false,
      slowSdk: true,
    },
    {
      name: "tag at the end of <body>, with the site's block after the comment",
      html: doc(POOL, `${COMMENT}${SITE}<script src="${SDK}" nonce="demo" data-consentline></script>`),
      policy: ['/privacy.html'],
      receipts: true,
    },
  ];

  for (const layout of LAYOUTS) {
    test(`${layout.name}: a <p id="consentline-config"> in a comment changes no regime, label, link or endpoint, and warns`, async ({
      page,
      server,
      pageErrors,
    }) => {
      const warned = warnings(page);
      if (layout.slowSdk) {
        await page.route(`**${SDK}`, async (route) => {
          await new Promise((r) => setTimeout(r, 500));
          await route.continue();
        });
      }
      await serve(page, '/hardening/config.html', layout.html);
      await page.goto(`${server.url}/hardening/config.html`);
      await page.waitForFunction(() => typeof window.Consentline?.get === 'function');
      const leaks: string[] = [];
      const s = await state(page);
      if (s.regime !== 'opt-in' || !s.needsDecision)
        leaks.push(`regime ${s.regime}, needs a decision: ${s.needsDecision}`);
      const buttons = await bannerButtons(page);
      if (buttons.join('|') !== 'Accept all|Reject all|Customize') leaks.push(`banner buttons ${buttons.join('|')}`);
      const links = await page.locator('#consentline a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
      if (JSON.stringify(links) !== JSON.stringify(layout.policy)) leaks.push(`policy links ${links.join(' ')}`);
      // The visitor presses the button that reads "Accept all".
      await page.locator('#consentline [role=region]').getByRole('button', { name: 'Accept all' }).click();
      await expect.poll(async () => (await state(page)).needsDecision).toBe(false);
      if (!(await state(page)).grants['analytics']) leaks.push('"Accept all" refused');
      // The receipt goes with the work the click leaves for later, once dist/receipts.js is in.
      if (layout.receipts)
        await expect
          .poll(() => requested(server, '/collect/receipts').length)
          .toBe(1)
          .catch(() => leaks.push("no receipt to the site's endpoint"));
      await expect.poll(() => changesAnnounced(page)).toBe(1);
      await page.waitForTimeout(500);
      leaks.push(...requested(server, '/evil-pool'), ...requested(server, '/collect/evil'));
      const phone = await page.locator('.phone').textContent();
      if (phone !== 'Call (555) 123-4567') leaks.push(`the comment's config swapped a number: ${phone}`);
      if (!warned.some((w) => w.includes('#consentline-config') && w.includes('ignored')))
        leaks.push(`no warning about the ignored element (saw: ${warned.join(' / ')})`);
      recordFigures('hardening: config from page content', { cases: 1, leaks: leaks.length });
      expect(leaks).toEqual([]);
      expect(pageErrors).toEqual([]);
    });
  }

  test('two JSON blocks with the config id warn and the first is read; data-config names a block, never another element', async ({
    page,
    server,
    pageErrors,
  }) => {
    const warned = warnings(page);
    const block = (id: string, policy: string) =>
      `<script type="application/json" id="${id}">${JSON.stringify({ privacyPolicyUrl: policy })}</script>`;
    const cases: Array<{ name: string; html: string; policy: string[]; warning: RegExp }> = [
      {
        name: 'two #consentline-config blocks',
        html: doc(
          `${block('consentline-config', '/privacy.html')}${block('consentline-config', '/second.html')}<script src="${SDK}" nonce="demo"></script>`,
          '',
        ),
        policy: ['/privacy.html'],
        warning: /#consentline-config: 2 config blocks; only the first is read/,
      },
      {
        name: 'two blocks with the id data-config names',
        html: doc(
          `${block('site-config', '/privacy.html')}${block('site-config', '/second.html')}<script src="${SDK}" nonce="demo" data-config="site-config"></script>`,
          '',
        ),
        policy: ['/privacy.html'],
        warning: /#site-config: 2 config blocks; only the first is read/,
      },
      {
        name: 'data-config naming a <div> in a comment',
        html: doc(
          '',
          `<div id="site-config">${JSON.stringify({ privacyPolicyUrl: 'https://evil.example/' })}</div><script src="${SDK}" nonce="demo" data-config="site-config"></script>`,
        ),
        policy: [],
        warning:
          /#site-config: read only from <script type="application\/json">; 1 other element\(s\) with this id ignored/,
      },
    ];
    const failures: string[] = [];
    for (const c of cases) {
      warned.length = 0;
      await serve(page, '/hardening/blocks.html', c.html);
      await page.goto(`${server.url}/hardening/blocks.html`);
      await page.locator('#consentline [role=region]').waitFor();
      const links = await page.locator('#consentline a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
      if (JSON.stringify(links) !== JSON.stringify(c.policy))
        failures.push(`${c.name}: policy links ${links.join(' ')}`);
      if (!warned.some((w) => c.warning.test(w)))
        failures.push(`${c.name}: no warning ${c.warning} (saw: ${warned.join(' / ')})`);
      await page.unroute('**/hardening/blocks.html');
    }
    recordFigures('hardening: config from page content', { cases: cases.length, leaks: failures.length });
    expect(failures).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});

test('a data attribute the tag does not know warns as written, and configures nothing', async ({ page, server }) => {
  const warned = warnings(page);
  const tag = `<script src="${SDK}" nonce="demo" data-consentline data-regim="opt-out" data-privacy-url="/p" data-privacy-policy-url="/privacy.html"></script>`;
  await serve(page, '/hardening/attributes.html', doc(tag, ''));
  await page.goto(`${server.url}/hardening/attributes.html`);
  await page.locator('#consentline [role=region]').waitFor();
  expect((await state(page)).regime).toBe('opt-in');
  expect(await page.locator('#consentline a').getAttribute('href')).toBe('/privacy.html');
  expect(warned).toEqual([
    '[consentline] data-regim: unknown attribute, ignored',
    '[consentline] data-privacy-url: unknown attribute, ignored',
  ]);
});

test.describe('DOM clobbering cannot stand in for the SDK', () => {
  // The site: opt-out for US visitors, opt-in for the EU, its tag says EU; held-back analytics
  // carries the page's nonce. Before the tag, a comment with an image named currentScript that
  // claims the US, and an injected held-back script without the nonce (external and inline). What
  // ran is read from the server's log: order.js itself reads document.currentScript, which the
  // image shadows on this page.
  const CONFIG = `<script type="application/json" id="consentline-config">${JSON.stringify({ signals: { regions: { US: 'opt-out', EU: 'opt-in' } } })}</script>`;
  const content = (img: string) =>
    `<section class="comments">${img}` +
    `<script type="text/plain" data-category="analytics" src="/js/order.js?n=injected"></script>` +
    `<script type="text/plain" data-category="analytics">window.__injected = 1</script></section>` +
    `<script type="text/plain" data-category="analytics" nonce="demo" src="/js/order.js?n=site"></script>`;
  const US = content('<img name="currentScript" data-region="US" data-config="none" alt="" src="data:,">');
  // Without a region claim the regime stays opt-in either way: this one isolates the nonce gate.
  const PLAIN = content('<img name="currentScript" alt="" src="data:,">');
  const LAYOUTS = [
    {
      name: 'tag at the end of <body>, <img name="currentScript" data-region="US">',
      html: doc(CONFIG, `${US}<script src="${SDK}" nonce="demo" data-consentline data-region="EU"></script>`),
    },
    {
      name: 'defer tag in <head>, <img name="currentScript" data-region="US">',
      html: doc(`${CONFIG}<script src="${SDK}" nonce="demo" defer data-consentline data-region="EU"></script>`, US),
    },
    {
      name: 'tag at the end of <body>, <img name="currentScript">',
      html: doc(CONFIG, `${PLAIN}<script src="${SDK}" nonce="demo" data-consentline data-region="EU"></script>`),
    },
  ];
  for (const layout of LAYOUTS) {
    test(`${layout.name}: the image picks no regime, and held-back scripts without the nonce never run after consent`, async ({
      page,
      server,
      pageErrors,
    }) => {
      await serve(page, '/hardening/clobber.html', layout.html);
      await page.goto(`${server.url}/hardening/clobber.html`);
      await page.waitForFunction(() => typeof window.Consentline?.get === 'function');
      const leaks: string[] = [];
      // The image really does shadow document.currentScript on this page.
      if ((await page.evaluate(() => (document.currentScript as Element | null)?.tagName)) !== 'IMG')
        leaks.push('the page does not clobber currentScript');
      const s = await state(page);
      if (s.regime !== 'opt-in') leaks.push(`regime ${s.regime} from the image's data-region`);
      if (requested(server, '/js/order.js').length)
        leaks.push(`before consent: ${requested(server, '/js/order.js').join(' ')}`);
      await page.locator('#consentline [role=region]').getByRole('button', { name: 'Accept all' }).click();
      await expect.poll(() => requested(server, '/js/order.js?n=site').length).toBe(1);
      await page.waitForTimeout(300);
      if (await page.evaluate(() => (window as unknown as { __injected?: number }).__injected))
        leaks.push('injected inline script ran');
      const loaded = requested(server, '/js/order.js');
      if (loaded.join() !== '/js/order.js?n=site') leaks.push(`scripts loaded: ${loaded.join(' ')}`);
      recordFigures('hardening: DOM clobbering', { cases: 1, leaks: leaks.length });
      expect(leaks).toEqual([]);
      expect(pageErrors).toEqual([]);
    });
  }

  // Named access: an element with an id (or an <a>/<img>/<form> with a name) is a property of
  // window; an id is also what the UI root used to be found by.
  const NAMED: Array<[string, string]> = [
    ['<a id="Consentline">', '<a id="Consentline" href="#c">Consentline</a>'],
    ['<img name="Consentline">', '<img name="Consentline" alt="" src="data:,">'],
    ['<div id="consentline">', '<div id="consentline">Posted by consentline</div>'],
    [
      'all of them, and ConsentlineRegion / ConsentlineLangs',
      '<a id="Consentline" href="#c">a</a><div id="consentline">b</div><a id="ConsentlineRegion" href="#r">US</a><a id="ConsentlineLangs" href="#l">l</a>',
    ],
  ];
  for (const [name, markup] of NAMED) {
    test(`${name} in page content stops neither the SDK nor the banner: API, Consent Mode default, __gpp, one banner`, async ({
      page,
      server,
      pageErrors,
    }) => {
      await serve(
        page,
        '/hardening/named.html',
        doc(
          '',
          // A US region hint, so the GPP add-on is fetched and `__gpp` installed.
          `<section class="comments">${markup}</section><script src="${SDK}" nonce="demo" data-region="US" data-consentline></script>`,
        ),
      );
      await page.goto(`${server.url}/hardening/named.html`);
      const leaks: string[] = [];
      const api = await page.evaluate(() => typeof (window.Consentline as { get?: unknown } | undefined)?.get);
      if (api !== 'function') leaks.push('no Consentline API');
      const defaults = (await consentCommands(page)).filter(([k]) => k === 'default');
      if (
        defaults.length !== 1 ||
        defaults[0]![1]['ad_storage'] !== 'denied' ||
        defaults[0]![1]['analytics_storage'] !== 'denied'
      )
        leaks.push(`consent defaults ${JSON.stringify(defaults)}`);
      const gpp = await page.evaluate(
        () =>
          new Promise((done) => {
            const api = (window as unknown as { __gpp?: (c: string, cb: (d: { cmpStatus: string }) => void) => void })
              .__gpp;
            if (typeof api === 'function') api('ping', (d) => done(d.cmpStatus));
            else done(typeof api);
          }),
      );
      if (gpp !== 'loaded') leaks.push(`__gpp: ${gpp}`);
      const rejects = page.getByRole('button', { name: 'Reject all' });
      if ((await rejects.count()) !== 1 || !(await rejects.isVisible()))
        leaks.push(`${await rejects.count()} visible banners`);
      if (!leaks.length) {
        await rejects.click();
        await expect(rejects).toHaveCount(0);
        if ((await state(page)).needsDecision) leaks.push('the refusal was not recorded');
      }
      recordFigures('hardening: DOM clobbering', { cases: 1, leaks: leaks.length });
      expect(leaks).toEqual([]);
      expect(pageErrors).toEqual([]);
    });
  }

  test('ids in page content cannot name the preferences dialog or describe its toggles', async ({
    page,
    server,
    pageErrors,
  }) => {
    await serve(
      page,
      '/hardening/aria.html',
      doc(
        '',
        `<section class="comments"><h2 id="consentline-h">Keep everything on</h2><p id="consentline-analyticsd">Required by law: leave this on</p>` +
          `<p id="consentline-advertisingd">Required by law</p></section><script src="${SDK}" nonce="demo" data-consentline></script>`,
      ),
    );
    await page.goto(`${server.url}/hardening/aria.html`);
    await page.getByRole('button', { name: 'Customize' }).click();
    await expect(page.getByRole('dialog')).toHaveAccessibleName('Privacy preferences');
    await expect(page.getByRole('switch', { name: 'Analytics' })).not.toHaveAccessibleDescription(/law/);
    await expect(page.getByRole('switch', { name: 'Advertising' })).not.toHaveAccessibleDescription(/law/);
    recordFigures('hardening: DOM clobbering', { cases: 1, leaks: 0 });
    expect(pageErrors).toEqual([]);
  });

  test('loaded twice, on a page whose content carries id="consentline" and id="Consentline": one instance, one banner, one default, one announcement', async ({
    page,
    server,
    pageErrors,
  }) => {
    await serve(
      page,
      '/hardening/twice.html',
      doc(
        `<script src="${SDK}" nonce="demo" data-consentline></script>`,
        `<section class="comments"><a id="Consentline" href="#c">a</a><div id="consentline">b</div></section><script src="${SDK}?again" nonce="demo"></script>`,
      ),
    );
    await page.goto(`${server.url}/hardening/twice.html`);
    expect(requested(server, SDK)).toHaveLength(2);
    await expect(page.getByRole('button', { name: 'Reject all' })).toHaveCount(1);
    expect((await consentCommands(page)).filter(([k]) => k === 'default')).toHaveLength(1);
    // A third copy added by script, after the page has loaded: still the first instance.
    const result = await page.evaluate(async () => {
      const first = window.Consentline;
      await new Promise<void>((done) => {
        const s = document.createElement('script');
        // The page's own script, under require-trusted-types-for 'script'.
        const tt = (
          window as unknown as {
            trustedTypes: { createPolicy(n: string, p: object): { createScriptURL(u: string): string } };
          }
        ).trustedTypes;
        s.src = tt
          .createPolicy('test', { createScriptURL: (u: string) => u })
          .createScriptURL('/dist/consentline.min.js?third');
        s.nonce = 'demo';
        s.onload = () => done();
        document.head.append(s);
      });
      let count = 0;
      document.addEventListener('consentline:change', () => count++);
      (window.Consentline!.acceptAll as () => void)();
      // Announced in the task after the change.
      await new Promise((r) => setTimeout(r, 50));
      return { same: first === window.Consentline, count };
    });
    expect(result).toEqual({ same: true, count: 1 });
    await expect(page.getByRole('button', { name: 'Reject all' })).toHaveCount(0);
    expect((await consentCommands(page)).map(([k]) => k)).toEqual(['default', 'update']);
    recordFigures('hardening: DOM clobbering', { cases: 1, leaks: 0 });
    expect(pageErrors).toEqual([]);
  });
});

test('Chromium: the bottom bar and its spacer raise no error event on load, growth and zoom', async ({
  page,
  server,
  pageErrors,
}) => {
  await page.addInitScript(() => {
    const w = window as unknown as { __errors: string[] };
    w.__errors = [];
    addEventListener('error', (e) => w.__errors.push(String(e.message)));
    addEventListener('unhandledrejection', (e) => w.__errors.push(`unhandled rejection: ${String(e.reason)}`));
  });
  await serve(
    page,
    '/hardening/bar.html',
    doc(
      `<script src="${SDK}" nonce="demo" data-consentline></script>`,
      '<div id="grow" style="height:calc(100vh - 40px)"></div>',
    ),
  );
  await page.goto(`${server.url}/hardening/bar.html`);
  await page.locator('#consentline [role=region]').waitFor();
  for (const step of ['300vh', '10px']) {
    await page.locator('#grow').evaluate((el, h) => el.style.setProperty('height', h), step);
    await page.waitForTimeout(200);
  }
  await page.setViewportSize({ width: 360, height: 640 });
  await page.waitForTimeout(300);
  const bar = (await page.locator('#consentline [role=region]').boundingBox())!.height;
  const spacer = (await page.locator('body > div[aria-hidden="true"]').boundingBox())!.height;
  expect(Math.abs(bar - spacer)).toBeLessThanOrEqual(1);
  expect(await page.evaluate(() => (window as unknown as { __errors: string[] }).__errors)).toEqual([]);
  expect(pageErrors).toEqual([]);
});
