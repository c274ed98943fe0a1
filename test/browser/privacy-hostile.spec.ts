// Hostile input in a real browser, against the built script tag: landing URLs, referrers and hashes,
// configuration, consent cookies, pool replies and US Privacy calls. For each: no markup from the
// payload reaches the DOM and nothing of it runs (support/hostile.ts watches every element and
// attribute added), no exception reaches the page, no CSP or Trusted Types violation under the
// strict policy, and the safe default holds (no consent read from junk, the fallback number shown).
// Hostile `__gpp` traffic (1,200 calls and postMessages) is in signals.spec.ts; a tampered consent
// cookie, a polluted JSON config and a public-suffix domain in foundation.spec.ts; hostile pool
// bodies that are markup, malformed or slow in dni.spec.ts. Cases tried are added to the tally.
import type { Page } from '@playwright/test';
import { recordFigures } from '../support/figures';
import { expect, test, type TestServer } from './fixtures';
import { addNonces, readHostile, watchHostile } from './support/hostile';

type State = { needsDecision: boolean; grants: Record<string, boolean>; regime: string };
const get = (page: Page) => page.evaluate(() => (window.Consentline!.get as () => State)());
const TEN_KB = 'x'.repeat(10_240);
/** Payloads: each carries the marker `xss` where it could become markup or code. */
const PAYLOADS = [
  `"><img src=x onerror="window.__xss=1">`,
  `<script>window.__xss=2</script>`,
  `javascript:window.__xss=3//xss`,
  `<svg/onload=window.__xss=4>xss`,
  `'';!--"<xss>=&{()}`,
  `<a href="javascript:window.__xss=5">xss</a>`,
  `data:text/html,<script>window.__xss=6</script>`,
  `<iframe srcdoc="<script>parent.__xss=7</script>">`,
  `\u202e<b onmouseover=window.__xss=8>lmth.xss`,
  `a\u200b\u200c\u200d\u2060\ufeffxss`,
  `\u0000\u001f\u007f<xss>`,
  `%3Cscript%3Ewindow.__xss%3D9%3C%2Fscript%3E`,
  `\ud800<xss>\udfff`,
  `{{constructor.constructor('window.__xss=10')()}}`,
  TEN_KB + '<xss>',
  `__proto__`,
];

const strict = (page: Page) => {
  const violations: string[] = [];
  page.on('console', (m) => /Content Security Policy|Trusted Type/i.test(m.text()) && violations.push(m.text()));
  return violations;
};

test.describe('hostile landing URLs, referrers and hashes', () => {
  // Each payload goes into the campaign, term and content (source and medium stay a paid search, so the pool is asked), two click ids, an unknown parameter, the hash and the
  // referrer's path at once, on the landing page with pool and receipts (strict CSP), then consent.
  for (const [half, list] of [PAYLOADS.slice(0, 8), PAYLOADS.slice(8)].entries()) {
    test(`payloads ${half * 8 + 1}-${half * 8 + list.length}: text only, capped, nothing runs, nothing leaks into the pool call`, async ({
      page,
      server,
      pageErrors,
    }) => {
      await watchHostile(page);
      const violations = strict(page);
      let cases = 0;
      const escapes: string[] = [];
      await addNonces(page, '**/privacy-landing.html?*');
      for (const p of list) {
        const e = encodeURIComponent(p.replace(/[\ud800-\udfff]/g, '\ufffd'));
        // A 10 kB value goes in one parameter and the hash only: the request line must stay under the server's 16 kB header limit.
        const keys =
          p.length > 1000 ? ['utm_campaign'] : ['utm_campaign', 'utm_term', 'utm_content', 'gclid', 'fbclid', 'x'];
        const params = 'utm_source=google&utm_medium=cpc&' + keys.map((k) => `${k}=${e}`).join('&');
        await page.context().clearCookies();
        server.clear();
        await page.goto(`${server.url}/privacy-landing.html?csp=strict&${params}#${e}`, {
          referer: p.length > 1000 ? 'https://evil.example/' : `https://evil.example/${e}?q=${e}`,
        });
        await page.evaluate(() => localStorage.clear());
        await page.evaluate(() => (window.Consentline!.acceptAll as () => void)());
        await expect.poll(() => server.requests.filter((r) => r.path === '/pool/assign').length).toBe(1);
        cases += keys.length + 2;
        const stored = (await page.evaluate(() => localStorage.getItem('consentline_dni'))) ?? '';
        const body = server.requests.find((r) => r.path === '/pool/assign')!.body;
        const report = await readHostile(page);
        escapes.push(...report.flags, ...report.violations);
        if (/[<>"'`]/.test(stored.replace(/\\"/g, '').replace(/"/g, '')))
          escapes.push(`markup stored: ${stored.slice(0, 80)}`);
        if (/[<>]/.test(body)) escapes.push(`markup sent to the pool: ${body.slice(0, 80)}`);
        if (stored.length > 1200 || body.length > 1400) escapes.push(`uncapped: ${stored.length} / ${body.length}`);
        if (JSON.parse(stored).f.r !== 'evil.example')
          escapes.push(`referrer kept more than its host: ${JSON.parse(stored).f.r}`);
        if (await page.evaluate(() => Object.prototype.hasOwnProperty.call(Object.prototype, 'xss')))
          escapes.push('Object.prototype polluted');
        // The page's own numbers still swap: hostile values never break the visit.
        if ((await page.locator('.hero strong').textContent()) === '(555) 123-4567')
          escapes.push(`no swap after ${p.slice(0, 20)}`);
      }
      escapes.push(...violations, ...pageErrors.map(String));
      recordFigures('privacy: hostile landing URLs', { cases, leaks: escapes.length });
      expect(escapes).toEqual([]);
    });
  }
});

/** A page with the given config (JSON block) and tag attributes, under the strict CSP, loading the SDK with its nonce. */
async function routeConfigPage(page: Page, path: string, config: string, attrs = ''): Promise<void> {
  await page.route(`**${path}`, (route) =>
    route.fulfill({
      contentType: 'text/html',
      headers: {
        'content-security-policy':
          "script-src 'nonce-demo' 'strict-dynamic'; style-src 'self'; require-trusted-types-for 'script'; object-src 'none'; base-uri 'none'",
      },
      body:
        `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>t</title><link rel="stylesheet" href="/site.css">` +
        `<script type="application/json" id="consentline-config">${config.replace(/</g, '\\u003c')}</script>` +
        `<script src="/dist/consentline.min.js" nonce="demo" ${attrs}></script></head><body><main><h1>Page</h1>` +
        `<p>Call <strong>(555) 123-4567</strong></p><button type="button" data-consentline-preferences>Cookie settings</button>` +
        `<a href="/p" data-consentline-optout>Do Not Sell</a><p data-consentline-gpc-status hidden></p></main>` +
        `<iframe data-category="social" data-src="javascript:window.__xss=1" data-provider="<img src=x onerror=window.__xss=1>"></iframe></body></html>`,
    }),
  );
}

const H = `<img src=x onerror="window.__xss=1">xss`;
const deep = (v: unknown) => ({
  __proto__: { polluted: v },
  constructor: { prototype: { polluted: v } },
  prototype: v,
  toString: v,
  valueOf: v,
});
const HOSTILE_CONFIGS: Array<[string, unknown]> = [
  [
    'HTML in every UI string',
    {
      ui: {
        strings: Object.fromEntries(
          [
            'title',
            'text',
            'accept',
            'reject',
            'custom',
            'prefs',
            'save',
            'honored',
            'blocked',
            'load',
            'analytics',
            'analyticsText',
            'close',
            'policy',
          ].map((k) => [k, H]),
        ),
      },
    },
  ],
  ['javascript: policy link', { privacyPolicyUrl: 'javascript:window.__xss=1//xss' }],
  ['obfuscated javascript: policy link', { privacyPolicyUrl: ' \tJaVaScRiPt:window.__xss=1//xss' }],
  ['data: policy link', { privacyPolicyUrl: 'data:text/html,<script>window.__xss=1</script>' }],
  [
    'HTML in category labels and descriptions',
    {
      categories: {
        analytics: { label: H, description: H, cookies: [H] },
        [H]: { label: H, description: H, saleShare: true },
      },
    },
  ],
  [
    '__proto__ and constructor everywhere',
    {
      ...deep(true),
      categories: deep({ label: H }),
      ui: { ...deep(true), strings: deep(H) },
      signals: { ...deep(true), regions: deep('opt-out') },
      dni: { ...deep(true), rules: [deep(true)] },
    },
  ],
  [
    'wrong types everywhere',
    {
      regime: ['opt-out'],
      revision: { n: 2 },
      consentDays: '9999',
      refusalDays: -1,
      cookieName: 42,
      cookieDomain: true,
      categories: [H],
      debug: 'yes',
      ui: 'bottom',
      signals: [1],
      dni: 'on',
    },
  ],
  [
    'wrong types in parts',
    {
      ui: { position: H, close: 'true', reopen: 1, lang: H, strings: [H], cookiePaths: H },
      signals: { regions: [H], region: { x: 1 }, consentMode: H, gpp: 7, usp: H, receipts: H },
      dni: { targets: { a: 1 }, rules: H, pool: [], days: 'x' },
    },
  ],
  [
    'javascript: and data: endpoints',
    {
      signals: { receipts: { endpoint: 'javascript:window.__xss=1//xss' } },
      dni: {
        targets: ['+15551234567'],
        rules: [{ direct: true, pool: true, number: '+18889990000' }],
        pool: { url: 'data:text/html,<script>window.__xss=1</script>' },
      },
    },
  ],
  [
    'markup in DNI targets and numbers',
    {
      dni: {
        targets: [H, { number: H, text: [H], template: H }, '+15551234567'],
        rules: [
          { direct: true, number: { '+15551234567': H } },
          { direct: true, number: H },
        ],
      },
    },
  ],
  ['hostile cookie name and domain', { cookieName: `a;domain=evil.example;${H}`, cookieDomain: `"><xss>` }],
  [
    'RTL, zero-width and 10 kB strings',
    {
      ui: { lang: '\u202een', strings: { title: '\u202e' + TEN_KB, text: 'a\u200b'.repeat(2000), accept: '\u0000' } },
      categories: { analytics: { label: TEN_KB } },
    },
  ],
];

test.describe('hostile configuration under a strict CSP', () => {
  test(`${HOSTILE_CONFIGS.length} hostile JSON configs and a hostile data-attribute tag: text stays text, links stay safe, opt-in defaults hold`, async ({
    page,
    server,
    pageErrors,
  }) => {
    await watchHostile(page);
    const violations = strict(page);
    const escapes: string[] = [];
    let cases = 0;
    for (const [i, [name, config]] of HOSTILE_CONFIGS.entries()) {
      await routeConfigPage(page, `/hostile-config-${i}.html`, JSON.stringify(config));
      await page.goto(`${server.url}/hostile-config-${i}.html`);
      await page.waitForFunction(() => typeof window.Consentline?.get === 'function');
      const s = await get(page);
      cases++;
      if (
        s.regime !== 'opt-in' ||
        !s.needsDecision ||
        Object.entries(s.grants).some(([k, v]) => v && k !== 'necessary')
      )
        escapes.push(`${name}: unsafe state ${JSON.stringify(s)}`);
      const report = await readHostile(page);
      escapes.push(...report.flags.map((f) => `${name}: ${f}`), ...report.violations.map((v) => `${name}: ${v}`));
      const hrefs = await page.evaluate(() =>
        Array.from(document.querySelectorAll('#consentline a')).map((a) => a.getAttribute('href') ?? ''),
      );
      for (const h of hrefs) if (!/^(https?:|\/)/.test(h.trim())) escapes.push(`${name}: link ${h}`);
      if (await page.evaluate(() => 'polluted' in {})) escapes.push(`${name}: Object.prototype polluted`);
      // The banner is still there and usable: its second button (Reject all, whatever its label) works.
      await page.locator('#consentline [role=region] button').nth(1).click();
      const after = await get(page);
      if (after.needsDecision || Object.entries(after.grants).some(([k, v]) => v && k !== 'necessary'))
        escapes.push(`${name}: reject did not record a refusal`);
      if ((await page.context().cookies()).some((c) => c.domain.includes('evil')))
        escapes.push(`${name}: cookie on a foreign domain`);
      await page.context().clearCookies();
    }
    // Data attributes on the tag are configuration too.
    await routeConfigPage(
      page,
      '/hostile-attrs.html',
      '{}',
      `data-privacy-policy-url="javascript:window.__xss=1//xss" data-regime="&lt;xss&gt;" data-revision="1e999" data-cookie-name="x;path=/;xss" data-consent-days="-5" data-debug="&lt;img src=x onerror=window.__xss=1&gt;" data-region="__proto__" data-config="__proto__"`,
    );
    await page.goto(`${server.url}/hostile-attrs.html`);
    cases++;
    const s = await get(page);
    if (s.regime !== 'opt-in' || !s.needsDecision) escapes.push(`data attributes: unsafe state ${JSON.stringify(s)}`);
    escapes.push(...(await readHostile(page)).flags, ...violations, ...pageErrors.map(String));
    recordFigures('privacy: hostile config', { cases, leaks: escapes.length });
    expect(escapes).toEqual([]);
  });
});

test.describe('hostile consent cookies', () => {
  test('malformed, forged, future, expired, foreign and junk values read as no decision, in place (store refresh on focus)', async ({
    page,
    server,
    pageErrors,
  }) => {
    await page.goto(`${server.url}/privacy.html`);
    const genuine = await page.evaluate(() => {
      (window.Consentline!.set as (g: object) => void)({ analytics: true });
      return document.cookie
        .split('; ')
        .find((c) => c.startsWith('consentline='))!
        .slice('consentline='.length);
    });
    const result = await page.evaluate(
      ({ genuine, payloads }) => {
        const raw = decodeURIComponent(genuine);
        const f = raw.split('~');
        const day = 86_400_000;
        const b36 = (n: number) => Math.round(n).toString(36);
        const field = (i: number, v: string) => f.map((x, j) => (j === i ? v : x)).join('~');
        const now = Date.now();
        const variants: string[] = [
          field(0, '2'),
          field(0, '0'),
          field(1, '2'),
          field(1, '0'),
          field(1, '-1'),
          field(1, '1.5'),
          field(3, b36(now + 365 * day)),
          field(3, b36(now + 2 * day)),
          field(4, b36(now - 1000)),
          field(4, b36(now + 500 * day)),
          field(3, 'zzzzzzzzzzzz'),
          field(4, '0'),
          field(5, 'x'),
          field(5, ''),
          field(6, '2'),
          field(6, 'true'),
          field(7, ''),
          field(7, 'x'),
          field(7, 'opt-in'),
          // Made where consent is presumed: its grant is no consent here (opt-in).
          field(7, 'o'),
          field(8, f[8]!.replace('advertising:0', 'advertising:1') + '|evil:1'),
          field(8, f[8]!.replace(/\|social:\d/, '')),
          field(8, f[8]!.replace('analytics:1', 'analytics:2')),
          field(8, f[8]!.replace('analytics', '__proto__')),
          field(8, f[8]!.replace('analytics', 'constructor')),
          field(8, 'analytics:1|advertising:1|social:1|necessary:0'),
          field(8, f[8]! + '|' + f[8]!),
          raw + '~',
          '~' + raw,
          raw.slice(0, -1),
          raw.replace(/~/g, '|'),
          raw.toUpperCase(),
          raw + '\u0000',
          raw.replace('analytics', 'analytics\u200b'),
          'true',
          '1',
          'accepted',
          'all',
          '{}',
          '{"analytics":true,"advertising":true}',
          'null',
          'undefined',
          '%',
          '%E0%A4%A',
          '%00',
          ...payloads,
        ];
        // Seeded mutations of the genuine record: each replaces one character with a character that
        // cannot appear there (the record is base-36, digits, `~`, `|` and `:` only).
        let seed = 7;
        const rnd = (n: number) => {
          seed = (seed * 1103515245 + 12345) % 2147483648;
          return seed % n;
        };
        const bad = '<>"\'`;,=\\ {}[]()\u202e\u200b\u0000%&#!?*@$^XYZ';
        for (let i = 0; i < 400; i++) {
          const at = rnd(raw.length);
          variants.push(raw.slice(0, at) + bad[rnd(bad.length)] + raw.slice(at + 1));
        }
        const get = window.Consentline!.get as () => { needsDecision: boolean; grants: Record<string, boolean> };
        const wrong: string[] = [];
        let tried = 0;
        const enc = (v: string) => {
          try {
            return encodeURIComponent(v);
          } catch {
            return v.replace(/[;\s]/g, ''); // lone surrogates: written raw
          }
        };
        const set = (v: string) => (document.cookie = `consentline=${enc(v)}; path=/`);
        for (const v of variants) {
          set(v);
          window.dispatchEvent(new Event('focus'));
          const s = get();
          tried++;
          if (!s.needsDecision || s.grants['advertising'] || s.grants['analytics']) wrong.push(v.slice(0, 60));
        }
        // The genuine record still reads back after all that (the refresh is real, not stuck).
        set(raw);
        window.dispatchEvent(new Event('focus'));
        const back = get();
        return { tried, wrong, back: back.grants['analytics'] === true && !back.needsDecision };
      },
      { genuine, payloads: PAYLOADS },
    );
    expect(result.back).toBe(true);
    recordFigures('privacy: hostile consent cookies', { cases: result.tried, leaks: result.wrong.length });
    expect(result.wrong).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  test('two cookies of the same name on two paths read as the one that grants least (a bad one as no decision)', async ({
    page,
    server,
    context,
  }) => {
    await page.route('**/deep/page.html', (r) =>
      r.fulfill({
        contentType: 'text/html',
        body: '<!doctype html><title>t</title><script src="/dist/consentline.min.js"></script><p>deep</p>',
      }),
    );
    await page.goto(`${server.url}/deep/page.html`);
    const granted = await page.evaluate(() => {
      (window.Consentline!.acceptAll as () => void)();
      return document.cookie.split('=')[1]!;
    });
    const refused = await page.evaluate(() => {
      (window.Consentline!.rejectAll as () => void)();
      return document.cookie.split('=')[1]!;
    });
    let cases = 0;
    const wrong: string[] = [];
    const cookieCases: Array<[string, string, 'refused' | 'granted' | 'none']> = [
      [granted, refused, 'refused'],
      [refused, granted, 'refused'],
      [granted, granted.replace(/~a~/, '~b~'), 'granted'],
      [granted, 'junk', 'none'],
      [granted, '', 'none'],
    ];
    for (const [root, deeper, expected] of cookieCases) {
      await context.clearCookies();
      await context.addCookies([
        { name: 'consentline', value: root, url: `${server.url}/` },
        { name: 'consentline', value: deeper, domain: '127.0.0.1', path: '/deep/' },
      ]);
      await page.reload();
      const s = await get(page);
      cases++;
      const reading = s.needsDecision ? 'none' : s.grants['advertising'] ? 'granted' : 'refused';
      if (reading !== expected) wrong.push(`${root} + ${deeper}: ${reading}`);
    }
    recordFigures('privacy: duplicated consent cookies', { cases, leaks: wrong.length });
    expect(wrong).toEqual([]);
  });
});

test.describe('hostile pool replies', () => {
  const big = JSON.stringify({ numbers: { '+15551234567': '+1888' + '5'.repeat(3_000_000) }, lease: 'a', ttl: 60 });
  const REPLIES: Array<[string, string, string?]> = [
    ['numbers as an array', JSON.stringify({ numbers: ['+18885550101'], lease: 'a', ttl: 60 })],
    ['numbers as a string', JSON.stringify({ numbers: '+18885550101', lease: 'a', ttl: 60 })],
    ['number as a number', JSON.stringify({ numbers: { '+15551234567': 18885550101 }, lease: 'a', ttl: 60 })],
    ['unknown target', JSON.stringify({ numbers: { '+19999999999': '+18885550101' }, lease: 'a', ttl: 60 })],
    ['__proto__ target', '{"numbers":{"__proto__":{"+15551234567":"+18885550101"}},"lease":"a","ttl":60}'],
    [
      'markup in the lease',
      JSON.stringify({
        numbers: { '+15551234567': '+18885550101' },
        lease: '<img src=x onerror=window.__xss=1>',
        ttl: 60,
      }),
    ],
    ['ttl as a string', JSON.stringify({ numbers: { '+15551234567': '+18885550101' }, lease: 'a', ttl: '60' })],
    ['ttl of a billion', JSON.stringify({ numbers: { '+15551234567': '+18885550101' }, lease: 'a', ttl: 1e9 })],
    [
      'unknown status',
      JSON.stringify({ numbers: { '+15551234567': '+18885550101' }, lease: 'a', ttl: 60, status: '<xss>' }),
    ],
    ['an HTML page', '<!doctype html><script>window.__xss=1</script><img src=x onerror=window.__xss=1>', 'text/html'],
    ['null', 'null'],
    ['an array', '[1,2,3]'],
    ['empty', ''],
    ['truncated JSON', '{"numbers":{"+15551234567":"+1888'],
    ['a 3 MB body', big],
    ['a 3 MB junk body', '<'.repeat(3_000_000), 'text/html'],
  ];
  const swapTo = async (page: Page, server: TestServer, body: string, type: string) => {
    server.routes['/pool/'] = (_req, res) => {
      const r = res as import('node:http').ServerResponse;
      r.writeHead(200, { 'content-type': type });
      r.end(body);
      return true;
    };
    await page.goto(`${server.url}/pool.html?csp=strict`);
    await page.evaluate(() => (window.Consentline!.acceptAll as () => void)());
    await expect.poll(() => server.requests.filter((r) => r.path === '/pool/assign').length).toBeGreaterThan(0);
    await page.waitForTimeout(150);
  };
  for (const [half, list] of [REPLIES.slice(0, 8), REPLIES.slice(8)].entries()) {
    test(`replies ${half * 8 + 1}-${half * 8 + list.length} (wrong types, markup, huge bodies): the fallback shows, nothing runs, no error`, async ({
      page,
      server,
      pageErrors,
    }) => {
      const original = server.routes['/pool/']!;
      await watchHostile(page);
      await addNonces(page, '**/pool.html?*');
      const violations = strict(page);
      const escapes: string[] = [];
      try {
        for (const [name, body, type = 'application/json'] of list) {
          server.clear();
          await page.context().clearCookies();
          await swapTo(page, server, body, type);
          const hero = await page.locator('main strong').textContent();
          if (hero !== '(888) 999-0000') escapes.push(`${name}: shows ${hero}`);
          escapes.push(...(await readHostile(page)).flags.map((f) => `${name}: ${f}`));
          if (await page.locator('html[data-consentline-dni-pending]').count())
            await expect(page.locator('html')).not.toHaveAttribute('data-consentline-dni-pending', /.*/, {
              timeout: 1500,
            });
        }
      } finally {
        server.routes['/pool/'] = original;
      }
      escapes.push(...violations, ...pageErrors.map(String));
      recordFigures('privacy: hostile pool replies', { cases: list.length, leaks: escapes.length });
      expect(escapes).toEqual([]);
    });
  }
});

test('__uspapi calls and postMessages with junk: only getUSPData v1 answers, no exception, no eval', async ({
  page,
  server,
  pageErrors,
}) => {
  const violations = strict(page);
  await page.goto(`${server.url}/us.html?csp=strict`);
  const r = await page.evaluate(async (payloads) => {
    const usp = (window as unknown as { __uspapi: (...a: unknown[]) => unknown }).__uspapi;
    const commands: unknown[] = [
      'getUSPData ',
      'GETUSPDATA',
      'constructor',
      '__proto__',
      'toString',
      'eval',
      'ping',
      '',
      null,
      undefined,
      0,
      {},
      [],
      Symbol('x'),
      () => 'getUSPData',
      { toString: () => 'getUSPData' },
      10n,
      ...payloads,
    ];
    const versions: unknown[] = [
      1,
      '1',
      2,
      0,
      null,
      undefined,
      NaN,
      {},
      [],
      'x',
      Symbol('v'),
      10n,
      { valueOf: () => 1 },
    ];
    let calls = 0;
    let ok = 0;
    const threw: string[] = [];
    const answers: unknown[] = [];
    const cb = (d: unknown, success: unknown) => {
      answers.push(success);
      if (success === true) ok++;
    };
    for (const c of commands) {
      for (const v of versions) {
        for (const callback of [
          cb,
          null,
          'cb',
          {},
          () => {
            throw new Error('caller');
          },
        ]) {
          calls++;
          try {
            usp(c, v, callback);
          } catch (e) {
            threw.push(`${String(c)} ${String(v)}: ${e}`);
          }
        }
      }
    }
    // Genuine calls answer with the right string.
    let genuine = '';
    usp('getUSPData', 1, (d: { uspString: string }) => (genuine = d.uspString));
    const junk: unknown[] = [
      '{',
      '{"__uspapiCall":{"command":"constructor","callId":1}}',
      { __uspapiCall: { command: 'eval', parameter: 'window.__xss=1', callId: 2 } },
      { __uspapiCall: null },
      ...payloads,
    ];
    for (const j of junk) {
      window.postMessage(j, '*');
      calls++;
    }
    await new Promise((res) => setTimeout(res, 200));
    return {
      calls,
      ok,
      threw,
      genuine,
      proto: Object.getOwnPropertyNames(Object.prototype).length,
      xss: (window as unknown as { __xss?: unknown }).__xss,
    };
  }, PAYLOADS);
  const escapes = [...r.threw, ...violations, ...pageErrors.map(String), ...(r.xss ? ['__xss set'] : [])];
  recordFigures('privacy: hostile __uspapi', { cases: r.calls, leaks: escapes.length });
  // getUSPData with version 1, '1' or an object whose value is 1, times the two function callbacks.
  expect(r.genuine).toBe('1YNN');
  expect(r.ok).toBeLessThanOrEqual(3 * 2);
  expect(escapes).toEqual([]);
});

test('the hostile watcher itself catches a page that puts its URL into innerHTML, and a CSP violation', async ({
  page,
  server,
}) => {
  await watchHostile(page);
  await page.route('**/vulnerable.html*', (r) =>
    r.fulfill({
      contentType: 'text/html',
      headers: { 'content-security-policy': "script-src 'nonce-demo'" },
      body: `<!doctype html><title>t</title><div id="out"></div><script nonce="demo">document.getElementById('out').innerHTML = decodeURIComponent(location.hash.slice(1));</script>`,
    }),
  );
  await page.goto(
    `${server.url}/vulnerable.html#${encodeURIComponent(PAYLOADS[0]! + PAYLOADS[3]! + '<script>window.__xss=9</script>')}`,
  );
  await page.waitForTimeout(200);
  const report = await readHostile(page);
  expect(report.flags.join('\n')).toMatch(/onerror/);
  expect(report.flags.join('\n')).toMatch(/onload/);
  // The inline onerror handler is blocked by the CSP, and the watcher hears about it.
  expect(report.violations.join('\n')).toMatch(/script-src/);
});
