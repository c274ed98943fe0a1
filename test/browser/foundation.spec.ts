import { consoleTexts, expect, nonStatic, snapshotStorage, test } from './fixtures';

test.describe('script-tag foundation (opt-in, no UI interaction)', () => {
  test('before a decision: no cookie, no storage key, no request beyond the page files', async ({
    page,
    server,
    pageErrors,
  }) => {
    await page.goto(`${server.url}/privacy.html`);
    await page.waitForFunction(() => typeof window.Consentline?.get === 'function');
    const state = await page.evaluate(() =>
      (window.Consentline!.get as () => { needsDecision: boolean; grants: Record<string, boolean> })(),
    );
    expect(state.needsDecision).toBe(true);
    expect(state.grants).toEqual({ necessary: true, analytics: false, advertising: false, social: false });
    await page.waitForTimeout(300);
    const storage = await snapshotStorage(page);
    expect(storage.cookies).toEqual([]);
    expect(storage.localStorage).toEqual([]);
    expect(storage.sessionStorage).toEqual([]);
    expect(nonStatic(server.requests)).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  test('acceptAll writes exactly one consent cookie with the right flags', async ({ page, server }) => {
    await page.goto(`${server.url}/privacy.html`);
    await page.evaluate(() => (window.Consentline!.acceptAll as () => void)());
    const cookies = await page.context().cookies();
    expect(cookies).toHaveLength(1);
    const [c] = cookies;
    expect(c!.name).toBe('consentline');
    expect(c!.path).toBe('/');
    expect(c!.sameSite).toBe('Lax');
    expect(c!.secure).toBe(false); // http page; https gets Secure
    expect(c!.httpOnly).toBe(false);
    const days = (c!.expires * 1000 - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(394);
    expect(days).toBeLessThanOrEqual(395);
    expect(c!.value.length).toBeLessThan(120);
  });

  test('rejectAll survives a reload: still refused, about 6 months, nothing non-essential', async ({
    page,
    server,
  }) => {
    await page.goto(`${server.url}/privacy.html`);
    await page.evaluate(() => (window.Consentline!.rejectAll as () => void)());
    await page.reload();
    const state = await page.evaluate(() =>
      (
        window.Consentline!.get as () => {
          needsDecision: boolean;
          grants: Record<string, boolean>;
          decision: { method: string };
        }
      )(),
    );
    expect(state.needsDecision).toBe(false);
    expect(state.grants).toEqual({ necessary: true, analytics: false, advertising: false, social: false });
    // The refusal lasts about 6 months (then the banner asks again); its cookie is kept a refusal's
    // lifetime longer, so what it refused still holds when the visitor comes back after that.
    const [c] = await page.context().cookies();
    const record = decodeURIComponent(c!.value).split('~');
    const lasts = (parseInt(record[4]!, 36) - parseInt(record[3]!, 36)) / 86_400_000;
    expect(lasts).toBe(182);
    const days = (c!.expires * 1000 - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(363);
    expect(days).toBeLessThanOrEqual(364);
    expect(nonStatic(server.requests)).toEqual([]);
  });

  test('the jar cleared right after a grant whose held-back scripts are still loading stays clear: the next load asks again', async ({
    page,
    server,
    context,
  }) => {
    // The held-back tags arrive slowly: the grant's later work (its cookie's read-back among it)
    // waits for them, for a moment at most.
    await page.route('**/js/marketing.js*', async (route) => {
      await new Promise((r) => setTimeout(r, 150));
      await route.continue();
    });
    await page.goto(`${server.url}/`);
    await page.getByRole('button', { name: 'Accept all' }).waitFor();
    await page.evaluate(() => (window.Consentline!.acceptAll as () => void)());
    await context.clearCookies();
    await page.reload();
    await expect(page.getByRole('button', { name: 'Accept all' })).toBeVisible();
    expect(await context.cookies()).toEqual([]);
  });

  test('a tampered cookie reads as no decision, never as consent', async ({ page, server, context }) => {
    await page.goto(`${server.url}/privacy.html`);
    const good = await page.evaluate(() => {
      (window.Consentline!.acceptAll as () => void)();
      return document.cookie.split('=')[1];
    });
    const forged = [
      good!.replace(/:0/g, ':1') + '|chat:1',
      good!.slice(0, -3),
      '1~1~aaaaaaaaaa~zzzzzzzzzz~zzzzzzzzzzz~a~0~i~analytics:1|advertising:1|social:1',
      '%E0%A4%A',
      'true',
    ];
    for (const value of forged) {
      await context.clearCookies();
      await context.addCookies([{ name: 'consentline', value, url: server.url }]);
      await page.reload();
      const s = await page.evaluate(() =>
        (window.Consentline!.get as () => { needsDecision: boolean; grants: Record<string, boolean> })(),
      );
      expect(s.needsDecision, value).toBe(true);
      expect(s.grants['advertising'], value).toBe(false);
    }
  });

  test('announces changes as a DOM event and a dataLayer event', async ({ page, server }) => {
    await page.goto(`${server.url}/privacy.html`);
    const seen = await page.evaluate(async () => {
      const events: string[] = [];
      document.addEventListener('consentline:change', (e) =>
        events.push(JSON.stringify((e as CustomEvent).detail.grants)),
      );
      (window.Consentline!.set as (g: Record<string, boolean>) => void)({ analytics: true });
      // Announced in the task after the change.
      await new Promise((r) => setTimeout(r, 50));
      const dl = (window.dataLayer ?? []) as Array<Record<string, unknown>>;
      return { events, last: dl.filter((x) => x['event'] === 'consentline_change').pop() };
    });
    expect(seen.events).toHaveLength(1);
    expect(JSON.parse(seen.events[0]!)).toMatchObject({ analytics: true, advertising: false });
    expect(seen.last).toMatchObject({ consentline: { grants: { analytics: true }, method: 'api' } });
  });

  test('loading the script twice yields one instance and one announcement per change', async ({ page, server }) => {
    await page.goto(`${server.url}/privacy.html`);
    const result = await page.evaluate(async () => {
      const first = window.Consentline;
      await new Promise<void>((done) => {
        const s = document.createElement('script');
        s.src = '/dist/consentline.min.js';
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
  });

  test('another tab sees a decision without a reload', async ({ context, server }) => {
    const a = await context.newPage();
    const b = await context.newPage();
    await a.goto(`${server.url}/privacy.html`);
    await b.goto(`${server.url}/privacy.html`);
    await a.evaluate(() => (window.Consentline!.acceptAll as () => void)());
    await expect
      .poll(() =>
        b.evaluate(() => (window.Consentline!.get as () => { grants: Record<string, boolean> })().grants['analytics']),
      )
      .toBe(true);
  });

  test('cookies disabled: falls back to memory for the page, nothing throws', async ({ page, server, pageErrors }) => {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Emulation.setDocumentCookieDisabled', { disabled: true });
    await page.goto(`${server.url}/privacy.html`);
    const s = await page.evaluate(() => (window.Consentline!.acceptAll as () => { grants: Record<string, boolean> })());
    expect(s.grants['analytics']).toBe(true);
    expect(await page.context().cookies()).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  test('a public-suffix cookie domain is refused and the host cookie is used instead', async ({ page, server }) => {
    await page.goto(`${server.url}/privacy.html`);
    await page.evaluate(() => {
      document.getElementById('consentline-config')?.remove();
    });
    // A fresh page whose config names a domain the browser will refuse.
    await page.route('**/refused-domain.html', (route) =>
      route.fulfill({
        contentType: 'text/html',
        body: '<!doctype html><title>t</title><script type="application/json" id="consentline-config">{"cookieDomain":"co.uk"}</script><script src="/dist/consentline.min.js"></script>',
      }),
    );
    await page.goto(`${server.url}/refused-domain.html`);
    await page.evaluate(() => (window.Consentline!.acceptAll as () => void)());
    const cookies = await page.context().cookies();
    expect(cookies).toHaveLength(1);
    expect(cookies[0]!.domain).toBe('127.0.0.1');
  });

  test('a polluted or hostile JSON config falls back to safe defaults and warns by key', async ({ page, server }) => {
    const warnings = consoleTexts(page, 'warning');
    await page.route('**/hostile-config.html', (route) =>
      route.fulfill({
        contentType: 'text/html',
        body:
          '<!doctype html><title>t</title><script type="application/json" id="consentline-config">' +
          '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"regime":"yes-please","revision":"x","categories":{"__proto__":{"label":"x"},"advertising":{"saleShare":"no"}},"bogus":1}' +
          '</script><script src="/dist/consentline.min.js"></script>',
      }),
    );
    await page.goto(`${server.url}/hostile-config.html`);
    const r = await page.evaluate(() => ({
      polluted: ({} as Record<string, unknown>)['polluted'],
      state: (window.Consentline!.get as () => { regime: string; grants: Record<string, boolean> })(),
    }));
    expect(r.polluted).toBeUndefined();
    expect(r.state.regime).toBe('opt-in');
    expect(Object.values(r.state.grants).filter(Boolean)).toEqual([true]); // necessary only
    expect(warnings.join('\n')).toContain('bogus');
    expect(warnings.join('\n')).toContain('regime');
    expect(warnings.join('\n')).toContain('__proto__');
  });
});
