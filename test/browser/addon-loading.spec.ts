// Script-tag add-ons in Chromium against the built files: call tracking (dist/dni.js) and the pool
// client (dist/dni-pool.js) are fetched by dist/consentline.min.js only when the configuration
// uses them, from beside the SDK's own tag, with its nonce and the integrity baked in at build
// time. Before consent the fetch is the only thing that happens: nothing stored, nothing sent.
// When the add-on cannot arrive (missing, not matching its integrity, blocked by the CSP) the
// page keeps its own numbers and the consent part works as before.
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { recordFigures } from '../support/figures';
import { consoleTexts, expect, nonStatic, snapshotStorage, test, type TestServer } from './fixtures';
import { sri } from './support/sri';

const STRICT =
  "script-src 'nonce-demo' 'strict-dynamic'; style-src 'self'; require-trusted-types-for 'script'; object-src 'none'; base-uri 'none'";
const SDK = '/dist/consentline.min.js';
const DNI = { targets: ['+15551234567'], rules: [{ direct: true, number: '+18880000000' }] };
const POOL = { ...DNI, rules: [{ direct: true, pool: true, number: '+18880000000' }], pool: { url: '/pool/' } };

const doc = (config: object, tag: string) =>
  '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>t</title><link rel="stylesheet" href="/site.css">' +
  `<script type="application/json" id="consentline-config">${JSON.stringify({ categories: { analytics: {}, advertising: {} }, ...config })}</script>${tag}` +
  '</head><body><main><h1>Page</h1><p class="phone">Call (555) 123-4567</p><a class="tel" href="tel:+15551234567">call</a></main></body></html>';

/** Serves `body` at `path`, under `csp` when given. */
const serve = (page: Page, path: string, body: string, csp?: string) =>
  page.route(`**${path}`, (route) =>
    route.fulfill({ contentType: 'text/html', headers: csp ? { 'content-security-policy': csp } : {}, body }),
  );
const fetched = (server: TestServer, file: string) => server.requests.filter((r) => r.path === file);
const phone = (page: Page) => page.locator('p.phone');
const warnings = (page: Page) => {
  const seen = consoleTexts(page, 'warning');
  return seen;
};
const violations = (page: Page) =>
  page.addInitScript(() => {
    (window as unknown as { violations: string[] }).violations = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      (window as unknown as { violations: string[] }).violations.push(`${e.violatedDirective} ${e.blockedURI}`),
    );
  });
/** Serves `body` at `path` under the strict nonce CSP with Trusted Types, recording any violation. */
const serveStrict = async (page: Page, path: string, body: string) => {
  await violations(page);
  await serve(page, path, body, STRICT);
};
const acceptAll = (page: Page) =>
  page.evaluate(() => (window.Consentline as unknown as { acceptAll(): void }).acceptAll());
/** The release the build stamps into the SDK and its add-ons (their registry keys carry it). */
const VERSION = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;
/** Holds every request for dist/gpp.js until the returned function is called. */
const holdGpp = async (page: Page): Promise<() => void> => {
  let release = () => {};
  const held = new Promise<void>((r) => {
    release = r;
  });
  await page.route('**/dist/gpp.js', async (route) => {
    await held;
    await route.continue();
  });
  return release;
};

test.describe('call tracking is fetched only when configured', () => {
  test('a consent-only page never fetches the call-tracking, pool, receipts or GPP add-on', async ({
    page,
    server,
  }) => {
    await serve(page, '/addon/consent-only.html', doc({}, `<script src="${SDK}" data-consentline></script>`));
    await page.goto(server.url + '/addon/consent-only.html');
    await page.waitForFunction(() => typeof window.Consentline?.get === 'function');
    await acceptAll(page);
    await page.waitForTimeout(300);
    const extra = ['dni.js', 'dni-pool.js', 'receipts.js', 'gpp.js'].flatMap((file) =>
      fetched(server, `/dist/${file}`),
    );
    recordFigures('add-ons: loading', { scenarios: 1, leaks: extra.length });
    expect(extra).toEqual([]);
    expect(await page.evaluate(() => 'dni' in window.Consentline!)).toBe(false);
  });

  test('under the strict nonce CSP with Trusted Types: fetched once from beside the tag, with its nonce and integrity; nothing stored or sent before consent; the number on accept', async ({
    page,
    server,
    pageErrors,
  }) => {
    await serveStrict(
      page,
      '/addon/strict.html',
      doc({ dni: DNI }, `<script src="${SDK}" nonce="demo" data-consentline></script>`),
    );
    await page.goto(server.url + '/addon/strict.html');
    await page.waitForFunction(() => document.querySelector('script[src$="/dni.js"]') !== null);
    const tag = await page.evaluate(() => {
      const s = document.querySelector<HTMLScriptElement>('script[src$="/dni.js"]')!;
      return { src: s.src, nonce: s.nonce, integrity: s.integrity, crossOrigin: s.crossOrigin };
    });
    expect(tag).toEqual({
      src: `${server.url}/dist/dni.js`,
      nonce: 'demo',
      integrity: sri('dist/dni.js'),
      crossOrigin: 'anonymous',
    });
    // Consentline.dni is there before the add-on runs, and answers once it has.
    await page.waitForTimeout(300);
    const before = await snapshotStorage(page);
    const sent = nonStatic(server.requests);
    recordFigures('add-ons: loading', {
      scenarios: 1,
      leaks: before.cookies.length + before.localStorage.length + before.sessionStorage.length + sent.length,
    });
    expect(before).toEqual({ cookies: [], localStorage: [], sessionStorage: [] });
    expect(sent).toEqual([]);
    await expect(phone(page)).toHaveText('Call (555) 123-4567');
    await acceptAll(page);
    await expect(phone(page)).toHaveText('Call (888) 000-0000');
    expect(
      await page.evaluate(() => (window.Consentline as unknown as { dni: { getNumber(): string } }).dni.getNumber()),
    ).toBe('+18880000000');
    expect(fetched(server, '/dist/dni.js')).toHaveLength(1);
    expect(fetched(server, '/dist/dni-pool.js')).toEqual([]);
    expect(await page.evaluate(() => (window as unknown as { violations: string[] }).violations)).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  test('a subscriber that comes before the add-on hears the number; one that left first does not', async ({
    page,
    server,
  }) => {
    await serve(page, '/addon/early.html', doc({ dni: DNI }, `<script src="${SDK}" data-consentline></script>`));
    // The add-on is held back, so both subscribe while only the SDK has run.
    await page.route('**/dist/dni.js', async (route) => {
      await new Promise((r) => setTimeout(r, 300));
      await route.continue();
    });
    await page.goto(server.url + '/addon/early.html');
    type Heard = { early: string | undefined; stayed: string[]; left: string[] };
    await page.evaluate(() => {
      type Dni = { getNumber(): string | undefined; subscribe(fn: (n: Record<string, string>) => void): () => void };
      const dni = (window.Consentline as unknown as { dni: Dni }).dni;
      const heard: Heard = { early: dni.getNumber(), stayed: [], left: [] };
      (window as unknown as { heard: Heard }).heard = heard;
      dni.subscribe((n) => heard.stayed.push(n['+15551234567']!));
      dni.subscribe((n) => heard.left.push(n['+15551234567']!))();
      (window.Consentline as unknown as { acceptAll(): void }).acceptAll();
    });
    const heard = () => page.evaluate(() => (window as unknown as { heard: Heard }).heard);
    // The add-on arrives 300 ms on, or later on a busy machine.
    await expect.poll(async () => (await heard()).stayed).toEqual(['+18880000000']);
    expect(await heard()).toEqual({ early: undefined, stayed: ['+18880000000'], left: [] });
  });

  test('the pool client comes along only when dni.pool.url is set', async ({ page, server }) => {
    await serve(page, '/addon/pool.html', doc({ dni: POOL }, `<script src="${SDK}" data-consentline></script>`));
    await page.goto(server.url + '/addon/pool.html');
    await page.waitForFunction(() =>
      Object.keys((window as unknown as Record<symbol, object>)[Symbol.for('consentline.addons')] ?? {}).some((key) =>
        key.startsWith('dni-pool@'),
      ),
    );
    const tag = await page.evaluate(
      () => document.querySelector<HTMLScriptElement>('script[src$="/dni-pool.js"]')!.integrity,
    );
    expect(tag).toBe(sri('dist/dni-pool.js'));
    // Nothing asks the pool before consent; after it, the pool is asked.
    await page.waitForTimeout(300);
    expect(server.requests.filter((r) => r.path.startsWith('/pool/'))).toEqual([]);
    await acceptAll(page);
    await expect.poll(() => server.requests.filter((r) => r.path === '/pool/assign').length).toBe(1);
  });

  test("a known crawler gets the rules' numbers without fetching the pool client it would never use", async ({
    browser,
    server,
  }) => {
    const context = await browser.newContext({
      userAgent: 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
    });
    const page = await context.newPage();
    await serve(
      page,
      '/addon/pool-crawler.html',
      doc({ dni: POOL }, `<script src="${SDK}" data-consentline></script>`),
    );
    await page.goto(server.url + '/addon/pool-crawler.html');
    await page.waitForFunction(() => typeof window.Consentline?.get === 'function');
    await acceptAll(page);
    await expect(phone(page)).toHaveText('Call (888) 000-0000');
    expect(fetched(server, '/dist/dni.js')).toHaveLength(1);
    expect(fetched(server, '/dist/dni-pool.js')).toEqual([]);
    expect(server.requests.filter((r) => r.path.startsWith('/pool/'))).toEqual([]);
    await context.close();
  });

  test('a pool client that cannot arrive: one warning naming why, and the numbers from the rules', async ({
    page,
    server,
  }) => {
    const warned = warnings(page);
    await page.route('**/dist/dni-pool.js', (route) => route.fulfill({ status: 404, body: 'not found' }));
    await serve(page, '/addon/pool-gone.html', doc({ dni: POOL }, `<script src="${SDK}" data-consentline></script>`));
    await page.goto(server.url + '/addon/pool-gone.html');
    await acceptAll(page);
    await expect(phone(page)).toHaveText('Call (888) 000-0000');
    expect(warned.filter((w) => w.includes('dni.pool'))).toEqual([
      expect.stringMatching(/dni\.pool: .*dni-pool\.js did not load/),
    ]);
  });

  test("with SRI on the SDK's own tag, from a path of its own, the add-on loads from that directory", async ({
    page,
    server,
  }) => {
    // The SDK under another directory (as a site copying the files would put them).
    const sdk = readFileSync('dist/consentline.min.js');
    const addon = readFileSync('dist/dni.js');
    await page.route('**/assets/cl/consentline.min.js', (route) =>
      route.fulfill({ contentType: 'text/javascript', body: sdk }),
    );
    await page.route('**/assets/cl/dni.js', (route) => route.fulfill({ contentType: 'text/javascript', body: addon }));
    await serve(
      page,
      '/addon/sri.html',
      doc(
        { dni: DNI },
        `<script src="/assets/cl/consentline.min.js" integrity="${sri('dist/consentline.min.js')}" crossorigin="anonymous" data-consentline></script>`,
      ),
    );
    const requested: string[] = [];
    page.on('request', (r) => requested.push(new URL(r.url()).pathname));
    await page.goto(server.url + '/addon/sri.html');
    await page.waitForFunction(() => typeof window.Consentline?.get === 'function');
    await acceptAll(page);
    await expect(phone(page)).toHaveText('Call (888) 000-0000');
    expect(requested.filter((p) => p.endsWith('dni.js'))).toEqual(['/assets/cl/dni.js']);
  });
});

test.describe('an add-on that cannot arrive leaves the page its own numbers and the consent part working', () => {
  const FAULTS: Array<{ name: string; arrange(page: Page): Promise<unknown>; csp?: string }> = [
    {
      name: 'missing (404)',
      arrange: (page) => page.route('**/dist/dni.js', (route) => route.fulfill({ status: 404, body: 'not found' })),
    },
    {
      name: 'not matching its integrity',
      arrange: (page) =>
        page.route('**/dist/dni.js', async (route) => {
          const res = await route.fetch();
          route.fulfill({ response: res, body: `${await res.text()}\n;document.title='tampered';` });
        }),
    },
    // The page's policy allows the SDK's file only.
    {
      name: 'blocked by the CSP',
      arrange: async () => {},
      csp: 'script-src http://127.0.0.1:*/dist/consentline.min.js',
    },
  ];
  for (const fault of FAULTS) {
    test(`${fault.name}: a warning, the page's number kept, the decision stored and the banner gone`, async ({
      page,
      server,
      pageErrors,
    }) => {
      const warned = warnings(page);
      await fault.arrange(page);
      await serve(
        page,
        '/addon/fault.html',
        doc({ dni: DNI }, `<script src="${SDK}" data-consentline></script>`),
        fault.csp,
      );
      await page.goto(server.url + '/addon/fault.html');
      await page.waitForFunction(() => typeof window.Consentline?.get === 'function');
      await expect.poll(() => warned.filter((w) => w.includes('dni:')).length).toBe(1);
      await page.locator('#consentline button', { hasText: 'Accept all' }).click();
      await page.waitForTimeout(300);
      const cookies = (await page.context().cookies()).map((c) => c.name);
      const kept = await phone(page).textContent();
      recordFigures('add-ons: failures', { scenarios: 1, leaks: kept === 'Call (555) 123-4567' ? 0 : 1 });
      expect(kept).toBe('Call (555) 123-4567');
      expect(await page.locator('a.tel').getAttribute('href')).toBe('tel:+15551234567');
      expect(cookies).toEqual(['consentline']);
      await expect(page.locator('#consentline [role=region]')).toBeHidden();
      expect(
        await page.evaluate(() => (window.Consentline as unknown as { dni: { getNumber(): unknown } }).dni.getNumber()),
      ).toBeUndefined();
      expect(await page.title()).toBe('t');
      expect(warned.find((w) => w.includes('dni:'))).toMatch(/dni\.js did not load .*; the page keeps its own numbers/);
      expect(pageErrors).toEqual([]);
    });
  }
});

// dist/dni.js takes its validators and helpers from the SDK that loaded it. A copy of the file
// started without that SDK's runtime (none lent, or one of another version) must not start: an
// error in the console naming why, the page's numbers kept, nothing stored, no exception.
test.describe('call tracking without the runtime of its own SDK does not start', () => {
  const CASES = [
    { name: 'no runtime lent', found: 'none' },
    { name: 'the runtime of another version', found: '0.0.9' },
  ];
  for (const { name, found } of CASES) {
    test(`${name}: an error naming it, the page's number kept, nothing stored`, async ({
      page,
      server,
      pageErrors,
    }) => {
      const errors = consoleTexts(page, 'error');
      // The registry made before the SDK runs: what the SDK lends there is dropped, or replaced
      // by another version's.
      await page.addInitScript(
        ([found, version]) => {
          let lent: object | undefined;
          const registry = Object.create(null);
          Object.defineProperty(registry, `runtime@${version}`, {
            get: () => (found === 'none' || !lent ? undefined : { ...lent, version: found }),
            set: (value) => {
              lent = value;
            },
          });
          (window as unknown as Record<symbol, unknown>)[Symbol.for('consentline.addons')] = registry;
        },
        [found, VERSION] as const,
      );
      await serve(page, '/addon/runtime.html', doc({ dni: DNI }, `<script src="${SDK}" data-consentline></script>`));
      await page.goto(server.url + '/addon/runtime.html');
      await expect.poll(() => errors.filter((e) => e.includes('dni.js')).length).toBe(1);
      await acceptAll(page);
      await page.waitForTimeout(300);
      const storage = await snapshotStorage(page);
      const kept = await phone(page).textContent();
      recordFigures('add-ons: failures', { scenarios: 1, leaks: kept === 'Call (555) 123-4567' ? 0 : 1 });
      expect(errors.find((e) => e.includes('dni.js'))).toMatch(
        new RegExp(
          `dni\\.js \\S+ not started: it runs only inside the Consentline SDK \\S+ that loads it \\(found ${found.replace(/\./g, '\\.')}\\)`,
        ),
      );
      expect(kept).toBe('Call (555) 123-4567');
      expect(await page.locator('a.tel').getAttribute('href')).toBe('tel:+15551234567');
      expect(storage.localStorage).toEqual([]);
      expect(
        await page.evaluate(() => (window.Consentline as unknown as { dni: { getNumber(): unknown } }).dni.getNumber()),
      ).toBeUndefined();
      expect(pageErrors).toEqual([]);
    });
  }
});

// GPP lives in dist/gpp.js, fetched on a visit US rules apply to. Tags that run right after the
// SDK's find a stub of `__gpp` that keeps their calls for the add-on, and US Privacy answering.
test.describe('GPP is fetched on a visit US rules apply to', () => {
  const US = { regime: 'opt-out', signals: { usp: true } };
  // A vendor's tag right after the SDK's: it asks both APIs before the GPP add-on can have arrived.
  const EARLY_TAG = `<script nonce="demo">
    window.heard = [];
    __gpp('ping', (d) => heard.push('ping ' + d.cmpStatus));
    __gpp('addEventListener', (e, ok) => heard.push(e ? e.eventName + ' ' + e.pingData.cmpStatus : 'gpp ' + ok));
    __uspapi('getUSPData', 1, (d, ok) => heard.push(d ? d.uspString : 'usp ' + ok));
  </script>`;
  // What it hears: the stub's answers, US Privacy's at once, then the add-on taking over (the CMP
  // loaded, the banner showing, the signal ready).
  const TAKEN_OVER = [
    'ping stub',
    'listenerRegistered stub',
    '1YNN',
    'cmpStatus loaded',
    'cmpDisplayStatus loaded',
    'signalStatus loaded',
  ];
  const heard = (page: Page) => page.evaluate(() => (window as unknown as { heard: string[] }).heard);
  /** A US page hinted at `region`: the SDK's tag, then the vendor's. */
  const usPage = (region: string) =>
    doc(US, `<script src="${SDK}" nonce="demo" data-region="${region}" data-consentline></script>${EARLY_TAG}`);

  test('under the strict nonce CSP: a stub answering the tags that come first, the add-on with its nonce and integrity telling their listener it is ready; nothing stored or sent', async ({
    page,
    server,
    pageErrors,
  }) => {
    await serveStrict(page, '/addon/us.html', usPage('US-CA'));
    await page.goto(server.url + '/addon/us.html');
    await expect.poll(() => heard(page)).toEqual(TAKEN_OVER);
    const tag = await page.evaluate(() => {
      const s = document.querySelector<HTMLScriptElement>('script[src$="/gpp.js"]')!;
      return { src: s.src, nonce: s.nonce, integrity: s.integrity };
    });
    expect(tag).toEqual({ src: `${server.url}/dist/gpp.js`, nonce: 'demo', integrity: sri('dist/gpp.js') });
    await page.waitForTimeout(300);
    const before = await snapshotStorage(page);
    expect(before).toEqual({ cookies: [], localStorage: [], sessionStorage: [] });
    expect(nonStatic(server.requests)).toEqual([]);
    // The listener registered with the stub hears the opt-out.
    await page.evaluate(() => (window.Consentline as unknown as { optOut(): void }).optOut());
    await expect.poll(() => heard(page)).toContain('sectionChange loaded');
    expect(fetched(server, '/dist/gpp.js')).toHaveLength(1);
    expect(await page.evaluate(() => (window as unknown as { violations: string[] }).violations)).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  test("another release's gpp.js already on the page is not used: the SDK fetches its own, with its integrity, and the console names the file", async ({
    page,
    server,
    pageErrors,
  }) => {
    const warned = warnings(page);
    // What an older release's file left in the registry: under the bare name (releases before
    // keys had versions) and under its own release's key.
    const OLD_FILE = `<script>
      (function () {
        var addons = (window[Symbol.for('consentline.addons')] = Object.create(null));
        var stale = function () { window.staleRan = (window.staleRan || 0) + 1; return function () {}; };
        addons.gpp = stale; addons.usp = stale; addons['gpp@0.0.9'] = stale; addons['usp@0.0.9'] = stale;
      })();
    </script>`;
    await serve(
      page,
      '/addon/us-stale.html',
      doc(US, `${OLD_FILE}<script src="${SDK}" data-region="US-CA" data-consentline></script>${EARLY_TAG}`),
    );
    await page.goto(server.url + '/addon/us-stale.html');
    await expect.poll(() => heard(page)).toEqual(TAKEN_OVER);
    const ping = await page.evaluate(
      () =>
        new Promise<{ cmpStatus: string; supportedAPIs: string[] }>((done) =>
          (window as unknown as { __gpp(c: string, cb: (d: never) => void): void }).__gpp('ping', done),
        ),
    );
    expect(ping).toMatchObject({ cmpStatus: 'loaded', supportedAPIs: ['7:usnat'] });
    expect(await page.evaluate(() => (window as { staleRan?: number }).staleRan)).toBeUndefined();
    const tag = await page.evaluate(
      () => document.querySelector<HTMLScriptElement>('script[src$="/gpp.js"]')!.integrity,
    );
    expect(tag).toBe(sri('dist/gpp.js'));
    expect(fetched(server, '/dist/gpp.js')).toHaveLength(1);
    // US Privacy's frame path came from the same fetched file.
    await expect
      .poll(() => page.evaluate(() => !!(window.frames as unknown as Record<string, unknown>)['__uspapiLocator']), {
        timeout: 10_000,
      })
      .toBe(true);
    expect(warned.filter((w) => w.includes('gpp.js on the page'))).toEqual([
      `[consentline] gpp.js on the page is not of release ${VERSION}: not used`,
    ]);
    expect(pageErrors).toEqual([]);
  });

  test('not matching its integrity: a warning, the listener told the CMP failed, ping says error, the banner still works', async ({
    page,
    server,
    pageErrors,
  }) => {
    const warned = warnings(page);
    await page.route('**/dist/gpp.js', async (route) => {
      const res = await route.fetch();
      route.fulfill({ response: res, body: `${await res.text()}\n;document.title='tampered';` });
    });
    await serve(page, '/addon/us-fault.html', usPage('US'));
    await page.goto(server.url + '/addon/us-fault.html');
    await expect.poll(() => heard(page)).toEqual(['ping stub', 'listenerRegistered stub', '1YNN', 'cmpStatus error']);
    expect(warned.find((w) => w.includes('signals.gpp:'))).toMatch(
      /signals\.gpp: \S+gpp\.js did not load .*; __gpp reports cmpStatus "error"/,
    );
    // US Privacy's frame path came with the same file: direct calls still answer (1YNN above).
    expect(warned.find((w) => w.includes('signals.usp:'))).toMatch(
      /signals\.usp: \S+gpp\.js did not load .*; frames find no __uspapiLocator/,
    );
    const status = await page.evaluate(
      () =>
        new Promise((done) =>
          (window as unknown as { __gpp(c: string, cb: (d: { cmpStatus: string }) => void): void }).__gpp('ping', (d) =>
            done(d.cmpStatus),
          ),
        ),
    );
    expect(status).toBe('error');
    await page.locator('#consentline button', { hasText: 'Reject all' }).click();
    await expect(page.locator('#consentline [role=region]')).toBeHidden();
    expect(await page.title()).toBe('t');
    expect(pageErrors).toEqual([]);
  });
});

// US Privacy: `__uspapi` answers from the SDK at once; its path for frames (`__uspapiCall`
// postMessages and the `__uspapiLocator` frame) comes with dist/gpp.js on a visit CCPA applies to,
// fetched for it even with GPP turned off.
test.describe("US Privacy's path for frames comes with dist/gpp.js", () => {
  const USP_ONLY = { regime: 'opt-out', signals: { usp: true, gpp: false } };
  const uspPage = () =>
    doc(USP_ONLY, `<script src="${SDK}" nonce="demo" data-region="US-CA" data-consentline></script>`);
  const askUsp = (page: Page) =>
    page.evaluate(
      () =>
        new Promise((done) =>
          (window as unknown as { __uspapi(c: string, v: number, cb: (d: unknown) => void): void }).__uspapi(
            'getUSPData',
            1,
            done,
          ),
        ),
    );
  const hasLocator = (page: Page) =>
    page.evaluate(() => !!(window.frames as unknown as Record<string, unknown>)['__uspapiLocator']);

  test('with GPP off: __uspapi answers at once; a frame that asked before the add-on arrived is answered once it has; then the locator frame, the file fetched once with its nonce and integrity', async ({
    page,
    server,
    pageErrors,
  }) => {
    const release = await holdGpp(page);
    await serve(page, '/addon/usp-only.html', uspPage());
    await page.goto(server.url + '/addon/usp-only.html', { waitUntil: 'domcontentloaded' });
    await page.waitForFunction(() => typeof (window as { __uspapi?: unknown }).__uspapi === 'function');
    expect(await askUsp(page)).toEqual({ version: 1, uspString: '1YNN' });
    // A frame's script posts to the page without looking for the locator frame (there is none yet).
    await page.evaluate(() => {
      const f = document.createElement('iframe');
      document.body.append(f);
      const child = f.contentWindow!;
      const s = child.document.createElement('script');
      s.textContent = `addEventListener('message', function (e) {
          if (e.data && e.data.__uspapiReturn) parent.frameReply = e.data.__uspapiReturn;
        });
        parent.postMessage({ __uspapiCall: { command: 'getUSPData', version: 1, callId: 'early' } }, '*');`;
      child.document.body.append(s);
    });
    await page.waitForTimeout(300);
    expect(await page.evaluate(() => (window as { frameReply?: unknown }).frameReply)).toBeUndefined();
    expect(await hasLocator(page)).toBe(false);
    release();
    await expect
      .poll(() => page.evaluate(() => (window as { frameReply?: unknown }).frameReply))
      .toEqual({ returnValue: { version: 1, uspString: '1YNN' }, success: true, callId: 'early' });
    await expect.poll(() => hasLocator(page), { timeout: 10_000 }).toBe(true);
    const tag = await page.evaluate(() => {
      const s = document.querySelector<HTMLScriptElement>('script[src$="/gpp.js"]')!;
      return { nonce: s.nonce, integrity: s.integrity };
    });
    expect(tag).toEqual({ nonce: 'demo', integrity: sri('dist/gpp.js') });
    expect(fetched(server, '/dist/gpp.js')).toHaveLength(1);
    expect(await page.evaluate(() => typeof (window as { __gpp?: unknown }).__gpp)).toBe('undefined');
    expect(pageErrors).toEqual([]);
  });

  test("a frame flooding calls before the add-on arrives does not crowd out another frame's: the vendor frame is answered once it has", async ({
    page,
    server,
    pageErrors,
  }) => {
    const release = await holdGpp(page);
    await serve(page, '/addon/usp-flood.html', uspPage());
    await page.goto(server.url + '/addon/usp-flood.html', { waitUntil: 'domcontentloaded' });
    await page.waitForFunction(() => typeof (window as { __uspapi?: unknown }).__uspapi === 'function');
    // Two frames post to the page before the add-on is there: one 150 calls, then a vendor's one.
    await page.evaluate(() => {
      const frameRunning = (code: string) => {
        const f = document.createElement('iframe');
        document.body.append(f);
        const s = f.contentWindow!.document.createElement('script');
        s.textContent = code;
        f.contentWindow!.document.body.append(s);
      };
      frameRunning(`for (var i = 0; i < 150; i++)
          parent.postMessage({ __uspapiCall: { command: 'getUSPData', version: 1, callId: 'flood' + i } }, '*');`);
      frameRunning(`addEventListener('message', function (e) {
          if (e.data && e.data.__uspapiReturn) parent.vendorReply = e.data.__uspapiReturn;
        });
        parent.postMessage({ __uspapiCall: { command: 'getUSPData', version: 1, callId: 'vendor' } }, '*');`);
    });
    await page.waitForTimeout(300);
    release();
    await expect
      .poll(() => page.evaluate(() => (window as { vendorReply?: unknown }).vendorReply))
      .toEqual({ returnValue: { version: 1, uspString: '1YNN' }, success: true, callId: 'vendor' });
    expect(pageErrors).toEqual([]);
  });

  test("a third-party frame's nested frames share its part of the calls kept before the add-on arrives; a frame that navigated is answered only for its new document's call", async ({
    page,
    server,
    pageErrors,
  }) => {
    const release = await holdGpp(page);
    const html = (body: string) => (route: import('@playwright/test').Route) =>
      route.fulfill({ contentType: 'text/html', body: `<!doctype html><title>f</title>${body}` });
    const recordReplies = `<script>window.replies = [];
      addEventListener('message', function (e) { if (e.data && e.data.__uspapiReturn) replies.push(e.data.__uspapiReturn.callId); });`;
    // An ad frame holding 12 frames of its own, each posting 10 calls to the page.
    await page.route(
      'https://ads.example/outer.html',
      html(
        Array.from({ length: 12 }, (_, i) => `<iframe src="https://ads.example/inner.html?${i}"></iframe>`).join(''),
      ),
    );
    await page.route(
      'https://ads.example/inner.html*',
      html(`${recordReplies}
      for (var i = 0; i < 10; i++)
        top.postMessage({ __uspapiCall: { command: 'getUSPData', version: 1, callId: 'ad' + location.search + '.' + i } }, '*');
      </script>`),
    );
    // A frame whose first document asks three times, then navigates to another origin that asks once.
    await page.route(
      'https://first.example/a.html',
      html(`${recordReplies}
      for (var i = 0; i < 3; i++) parent.postMessage({ __uspapiCall: { command: 'getUSPData', version: 1, callId: 'old' + i } }, '*');
      </script>`),
    );
    await page.route(
      'https://second.example/b.html',
      html(`${recordReplies}
      parent.postMessage({ __uspapiCall: { command: 'getUSPData', version: 1, callId: 'new' } }, '*');
      </script>`),
    );
    await serve(page, '/addon/usp-nested.html', uspPage());
    await page.goto(server.url + '/addon/usp-nested.html', { waitUntil: 'domcontentloaded' });
    await page.waitForFunction(() => typeof (window as { __uspapi?: unknown }).__uspapi === 'function');
    const framed = (src: string) =>
      page.evaluate(
        (url) =>
          new Promise<void>((done) => {
            const f = document.createElement('iframe');
            f.src = url;
            f.id = new URL(url).hostname.split('.')[0]!;
            f.addEventListener('load', () => done(), { once: true });
            document.body.append(f);
          }),
        src,
      );
    await framed('https://ads.example/outer.html');
    await expect.poll(() => page.frames().filter((f) => f.url().includes('/inner.html')).length).toBe(12);
    await framed('https://first.example/a.html');
    await page.evaluate(
      () =>
        new Promise<void>((done) => {
          const f = document.getElementById('first') as HTMLIFrameElement;
          f.addEventListener('load', () => done(), { once: true });
          f.src = 'https://second.example/b.html';
        }),
    );
    // Then a vendor's frame asks once.
    await page.evaluate(() => {
      const f = document.createElement('iframe');
      document.body.append(f);
      const s = f.contentWindow!.document.createElement('script');
      s.textContent = `addEventListener('message', function (e) {
          if (e.data && e.data.__uspapiReturn) parent.vendorReply = e.data.__uspapiReturn;
        });
        parent.postMessage({ __uspapiCall: { command: 'getUSPData', version: 1, callId: 'vendor' } }, '*');`;
      f.contentWindow!.document.body.append(s);
    });
    await page.waitForTimeout(300);
    release();
    await expect
      .poll(() => page.evaluate(() => (window as { vendorReply?: unknown }).vendorReply))
      .toEqual({ returnValue: { version: 1, uspString: '1YNN' }, success: true, callId: 'vendor' });
    const second = page.frames().find((f) => f.url().startsWith('https://second.example'))!;
    await expect
      .poll(() => second.evaluate(() => (window as unknown as { replies: string[] }).replies))
      .toEqual(['new']);
    // The ad frame's part: 10 calls in all, answered to whichever of its frames asked.
    await page.waitForTimeout(300);
    const adReplies = await Promise.all(
      page
        .frames()
        .filter((f) => f.url().includes('/inner.html'))
        .map((f) => f.evaluate(() => (window as unknown as { replies: string[] }).replies.length)),
    );
    expect(adReplies.reduce((a, b) => a + b, 0)).toBe(10);
    expect(await second.evaluate(() => (window as unknown as { replies: string[] }).replies)).toEqual(['new']);
    expect(pageErrors).toEqual([]);
  });

  test('when the add-on cannot arrive: a warning, no locator frame, __uspapi answering a stored opt-out at once', async ({
    page,
    server,
    pageErrors,
  }) => {
    const warned = warnings(page);
    await page.route('**/dist/gpp.js', (route) => route.fulfill({ status: 404, body: '' }));
    await serve(page, '/addon/usp-fault.html', uspPage());
    await page.goto(server.url + '/addon/usp-fault.html');
    await page.evaluate(() => (window.Consentline as unknown as { optOut(): void }).optOut());
    // The opt-out is stored: the next page's __uspapi says so from its first call.
    await page.goto(server.url + '/addon/usp-fault.html');
    expect(await askUsp(page)).toEqual({ version: 1, uspString: '1YYN' });
    await expect.poll(() => warned.filter((w) => w.includes('signals.usp:'))).toHaveLength(2);
    expect(warned.find((w) => w.includes('signals.usp:'))).toMatch(
      /signals\.usp: \S+gpp\.js did not load .*; frames find no __uspapiLocator \(__uspapi answers on the page\)/,
    );
    // Past the idle time the frame would be added in.
    await page.waitForTimeout(2500);
    expect(await hasLocator(page)).toBe(false);
    expect(pageErrors).toEqual([]);
  });
});

test.describe('GPP add-on that never arrives', () => {
  test('past 10 s the tags waiting on the stub are answered as when it fails; a file arriving later still takes over', async ({
    page,
    server,
    pageErrors,
  }) => {
    const warned = warnings(page);
    const release = await holdGpp(page);
    await page.clock.install();
    const tag = `<script src="${SDK}" data-region="US" data-consentline></script><script>
      window.heard = [];
      __gpp('addEventListener', (e) => heard.push(e.eventName + ' ' + e.pingData.cmpStatus));
      __gpp('vendorCommand', (d, ok) => heard.push('vendorCommand ' + ok));
    </script>`;
    await serve(page, '/addon/gpp-hung.html', doc({ regime: 'opt-out' }, tag));
    await page.goto(server.url + '/addon/gpp-hung.html', { waitUntil: 'domcontentloaded' });
    const heard = () => page.evaluate(() => (window as unknown as { heard: string[] }).heard);
    const ping = () =>
      page.evaluate(
        () =>
          new Promise((done) =>
            (window as unknown as { __gpp(c: string, cb: (d: { cmpStatus: string }) => void): void }).__gpp(
              'ping',
              (d) => done(d.cmpStatus),
            ),
          ),
      );
    await page.clock.fastForward(9_000);
    expect(await heard()).toEqual(['listenerRegistered stub']);
    await page.clock.fastForward(1_500);
    await expect.poll(heard).toEqual(['listenerRegistered stub', 'cmpStatus error', 'vendorCommand false']);
    expect(await ping()).toBe('error');
    expect(warned.find((w) => w.includes('signals.gpp:'))).toMatch(
      /signals\.gpp: gpp\.js has not arrived within 10 s; __gpp reports cmpStatus "error"$/,
    );
    release();
    await expect.poll(ping).toBe('loaded');
    // The listener that heard the error is the installed API's now.
    await expect.poll(heard).toContain('signalStatus loaded');
    expect(pageErrors).toEqual([]);
  });
});
