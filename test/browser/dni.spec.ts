import type { Page } from '@playwright/test';
// @ts-expect-error plain ESM module without types
import { createPoolHandler } from '../../demo/pool-server.mjs';
import { callConsentline, expect, nonStatic, snapshotStorage, test, type TestServer } from './fixtures';

const PAID = '/?utm_source=google&utm_medium=cpc&gclid=abc';
const hero = (page: Page) => page.locator('.hero strong');
const cta = (page: Page) => page.locator('a.phone-cta');
const stored = (page: Page) => page.evaluate(() => localStorage.getItem('consentline_dni'));
// Returns once the tasks the call queued at once have run (a grant's context, storage and number).
const call = callConsentline;
// The demo page opened from a paid-search ad, once the SDK is there.
const openPaid = async (page: Page, server: TestServer) => {
  await page.goto(server.url + PAID);
  await page.waitForFunction(() => typeof window.Consentline?.get === 'function');
};
const poolCalls = (server: TestServer) => server.requests.filter((r) => r.path.startsWith('/pool/'));

test.describe('call tracking: consent gate', () => {
  test('paid-search landing: nothing before consent, the paid number at once on accept, kept on reload, undone on withdrawal', async ({
    page,
    server,
  }) => {
    await openPaid(page, server);
    await page.waitForTimeout(200);
    await expect(hero(page)).toHaveText('(555) 123-4567');
    await expect(cta(page)).toHaveAttribute('href', 'tel:+15551234567');
    // The call-to-action link writes its area code in an element of its own.
    await expect(cta(page)).toHaveText('(555) 123-4567');
    const before = await snapshotStorage(page);
    expect(before.cookies).toEqual([]);
    expect(before.localStorage).toEqual([]);
    expect(before.sessionStorage).toEqual([]);
    expect(nonStatic(server.requests)).toEqual([]);

    // The grant is handled in short tasks queued right after the consent call (so none of them
    // grows long): the number is known within a few of them, with no network and no frame in
    // between, and the page follows in each number's own layout.
    const number = await page.evaluate(async () => {
      const api = window.Consentline as unknown as { acceptAll(): void; dni: { getNumber(): string | undefined } };
      api.acceptAll();
      for (let i = 0; i < 3 && !api.dni.getNumber(); i++) await new Promise((r) => setTimeout(r, 0));
      return api.dni.getNumber();
    });
    expect(number).toBe('+18889990000');
    await expect(hero(page)).toHaveText('(888) 999-0000');
    const texts = await page.evaluate(() => [
      document.querySelector('.hero strong')!.textContent,
      document.querySelector('.grid .card p')!.textContent,
      document.querySelector('a.phone-cta')!.getAttribute('href'),
      document.querySelector('footer p')!.textContent,
      document.querySelectorAll('.grid .card p')[1]!.textContent,
      document.querySelectorAll('.grid .card p')[2]!.textContent,
      document.querySelectorAll('.grid .card a')[0]!.getAttribute('href'),
      document.querySelector('a.phone-cta')!.innerHTML,
    ]);
    expect(texts).toEqual([
      '(888) 999-0000',
      'Leaks, bursts and blocked drains, fixed the same day. Emergency line: 888-999-0000.',
      'tel:+18889990000',
      'Harbor Plumbing & Heating · 12 Wharf Street, Oakland CA · Office: (888) 999-0000',
      'Servicing, repairs and new installs with a 10-year warranty. Sales: +1 888 999 0001.',
      'From a new tap to a full refit. Book a free survey on 888.999.0001.',
      'tel:+18889990001',
      '<span class="area">(888)</span> 999-0000',
    ]);
    const ctx = JSON.parse((await stored(page))!);
    expect(ctx.f.q).toEqual({ utm_source: 'google', utm_medium: 'cpc', gclid: 'abc' });
    expect(ctx.f.p).toBe('/');
    expect(ctx.id).toMatch(/^[a-z0-9]{16}$/);
    expect(JSON.stringify(ctx)).not.toMatch(/Mozilla|Chrome|127\.0\.0\.1/);
    expect(
      await page.evaluate(() => (window.Consentline as unknown as { dni: { getNumber(): string } }).dni.getNumber()),
    ).toBe('+18889990000');

    await page.goto(server.url + '/');
    await expect(hero(page)).toHaveText('(888) 999-0000');
    expect(JSON.parse((await stored(page))!).id).toBe(ctx.id);

    await call(page, 'set', { analytics: false });
    await expect(hero(page)).toHaveText('(555) 123-4567');
    await expect(cta(page)).toHaveAttribute('href', 'tel:+15551234567');
    expect(await cta(page).innerHTML()).toBe('<span class="area">(555)</span> 123-4567');
    await expect(page.locator('.grid .card a')).toHaveAttribute('href', 'tel:555-123-4568');
    await expect(page.locator('.grid .card p').nth(1)).toHaveText(
      'Servicing, repairs and new installs with a 10-year warranty. Sales: +1 555 123 4568.',
    );
    expect(await stored(page)).toBeNull();
  });

  test('analytics without advertising: the click id is never stored and does not pick the number', async ({
    page,
    server,
  }) => {
    await page.goto(server.url + '/?gclid=abc');
    await call(page, 'set', { analytics: true });
    const ctx = JSON.parse((await stored(page))!);
    expect(ctx.f.q).toEqual({});
    await expect(hero(page)).toHaveText('(555) 123-4567');
    await call(page, 'set', { advertising: true });
    expect(JSON.parse((await stored(page))!).l.q).toEqual({ gclid: 'abc' });
    await call(page, 'set', { advertising: false });
    expect(JSON.stringify(JSON.parse((await stored(page))!))).not.toContain('gclid');
  });

  test('referrer host only, classified by registrable host', async ({ page, server }) => {
    await page.goto(server.url + '/', { referer: 'https://www.google.co.uk/search?q=plumber+secret' });
    await call(page, 'acceptAll');
    expect(JSON.parse((await stored(page))!).f.r).toBe('www.google.co.uk');
    await expect(hero(page)).toHaveText('(888) 999-0004');
    await page.evaluate(() => localStorage.clear());
    await page.goto(server.url + '/', { referer: 'https://notgoogle.example/' });
    await expect(hero(page)).toHaveText('(555) 123-4567');
  });

  test('content added later is swapped in one batch; the app can read and follow the number', async ({
    page,
    server,
  }) => {
    await page.goto(server.url + PAID);
    await page.evaluate(() => {
      const seen: unknown[] = ((window as unknown as { seen: unknown[] }).seen = []);
      (window.Consentline as unknown as { dni: { subscribe(f: (n: unknown) => void): void } }).dni.subscribe((n) =>
        seen.push({ ...(n as object) }),
      );
    });
    await call(page, 'acceptAll');
    const out = await page.evaluate(async () => {
      const box = document.createElement('div');
      for (let i = 0; i < 1000; i++) {
        const p = document.createElement('p');
        p.textContent = i % 100 ? `item ${i}` : `Call 555-123-4567 (${i})`;
        box.append(p);
      }
      const host = document.createElement('div');
      host
        .attachShadow({ mode: 'open' })
        .append(Object.assign(document.createElement('a'), { href: 'tel:5551234567', textContent: '555 123 4567' }));
      document.body.append(box, host);
      await new Promise((r) => setTimeout(r, 50));
      const a = host.shadowRoot!.querySelector('a')!;
      return {
        swapped: [...box.children].filter((p) => p.textContent!.startsWith('Call 888-999-0000')).length,
        shadow: [a.textContent, a.getAttribute('href')],
        seen: (window as unknown as { seen: unknown[] }).seen,
      };
    });
    expect(out.swapped).toBe(10);
    expect(out.shadow).toEqual(['888 999 0000', 'tel:+18889990000']);
    expect(out.seen).toEqual([{ '+15551234567': '+18889990000', '+15551234568': '+18889990001' }]);
  });

  test('a custom element defined after the swap, a marked element with markup and a pretty-printed split link: swapped in place, restored exactly', async ({
    page,
    server,
  }) => {
    await openPaid(page, server);
    const before = await page.evaluate(() => {
      const box = document.body.appendChild(document.createElement('section'));
      box.id = 'late';
      box.append(document.createElement('late-phone'));
      const marked = box.appendChild(document.createElement('div'));
      marked.setAttribute('data-dni', '');
      marked.append('Call ', Object.assign(document.createElement('a'), { href: 'tel:+15551234567' }));
      marked.lastElementChild!.append(Object.assign(document.createElement('b'), { textContent: '(555) 123-4567' }));
      const pretty = box.appendChild(Object.assign(document.createElement('a'), { href: 'tel:+15551234567' }));
      pretty.append(
        '\n      ',
        Object.assign(document.createElement('span'), { textContent: '(555)' }),
        '\n      123-4567\n    ',
      );
      return box.innerHTML;
    });
    await call(page, 'acceptAll');
    await expect(page.locator('#late > div b')).toHaveText('(888) 999-0000');
    await expect(page.locator('#late > a')).toHaveText('(888) 999-0000');
    // Defined only now (a module script after the first pass, say): its shadow root is swapped when it is.
    await page.evaluate(() =>
      customElements.define(
        'late-phone',
        class extends HTMLElement {
          connectedCallback() {
            this.attachShadow({ mode: 'open' }).append(
              Object.assign(document.createElement('p'), { textContent: 'Call 555-123-4567' }),
            );
          }
        },
      ),
    );
    await expect
      .poll(() => page.evaluate(() => document.querySelector('late-phone')!.shadowRoot!.textContent))
      .toBe('Call 888-999-0000');
    expect(await page.evaluate(() => document.querySelector('#late > div')!.children[0]!.outerHTML)).toBe(
      '<a href="tel:+18889990000"><b>(888) 999-0000</b></a>',
    );
    await call(page, 'rejectAll');
    expect(await page.evaluate(() => document.getElementById('late')!.innerHTML)).toBe(before);
    expect(await page.evaluate(() => document.querySelector('late-phone')!.shadowRoot!.textContent)).toBe(
      'Call 555-123-4567',
    );
  });

  test("marked placeholders and framework-made text nodes: filled in place, the app's own later updates show, restored exactly; numbers beside Japanese text", async ({
    page,
    server,
  }) => {
    await openPaid(page, server);
    const before = await page.evaluate(() => {
      const box = document.body.appendChild(document.createElement('section'));
      box.id = 'fw';
      box.innerHTML =
        '<span id="empty" data-dni></span> <span id="label" data-dni>Call us</span> <p id="ssr" data-dni>Call <!-- -->555-123-4567</p> <p id="jp">お電話は555-123-4567まで</p>';
      return box.innerHTML;
    });
    await call(page, 'acceptAll');
    await expect(page.locator('#ssr')).toHaveText('Call 888-999-0000');
    const out = await page.evaluate(async () => {
      const ssr = document.getElementById('ssr')!;
      const node = ssr.lastChild as Text;
      const shown = ['empty', 'label', 'ssr', 'jp'].map((id) => document.getElementById(id)!.textContent);
      // The framework updates the text node it made (not ours to replace).
      node.data = 'Closed today';
      await new Promise((r) => setTimeout(r, 50));
      return { shown, same: ssr.lastChild === node, after: ssr.textContent, comments: ssr.childNodes.length };
    });
    expect(out).toEqual({
      shown: ['888 999 0000', '888 999 0000', 'Call 888-999-0000', 'お電話は888-999-0000まで'],
      same: true,
      after: 'Call Closed today',
      comments: 3,
    });
    await page.evaluate(() => ((document.getElementById('ssr')!.lastChild as Text).data = '555-123-4567'));
    await call(page, 'rejectAll');
    expect(await page.evaluate(() => document.getElementById('fw')!.innerHTML)).toBe(before);
  });

  test('numbers in open shadow roots already on the page (nested, text right under the root) are swapped just after the light DOM and restored on withdrawal', async ({
    page,
    server,
  }) => {
    await openPaid(page, server);
    await page.evaluate(() => {
      const host = document.createElement('site-header');
      const inner = document.createElement('span');
      host.id = 'host';
      host.attachShadow({ mode: 'open' }).append('Call 555 123 4567 ', inner);
      inner
        .attachShadow({ mode: 'open' })
        .append(Object.assign(document.createElement('a'), { href: 'tel:5551234567', textContent: '(555) 123-4567' }));
      document.body.prepend(host);
    });
    const shadowTexts = () =>
      page.evaluate(() => {
        const host = document.getElementById('host')!;
        const a = host.shadowRoot!.querySelector('span')!.shadowRoot!.querySelector('a')!;
        return [host.shadowRoot!.firstChild!.textContent, a.textContent, a.getAttribute('href')];
      });
    await page.waitForTimeout(300);
    expect(await shadowTexts()).toEqual(['Call 555 123 4567 ', '(555) 123-4567', 'tel:5551234567']);
    await call(page, 'acceptAll');
    await expect
      .poll(shadowTexts, { timeout: 2000 })
      .toEqual(['Call 888 999 0000 ', '(888) 999-0000', 'tel:+18889990000']);
    await call(page, 'rejectAll');
    expect(await shadowTexts()).toEqual(['Call 555 123 4567 ', '(555) 123-4567', 'tel:5551234567']);
  });

  test('hostile URL parameters and referrer never reach the page as markup or the stored context unescaped', async ({
    page,
    server,
  }) => {
    const evil = `"><img src=x onerror="window.pwned=1"><script>window.pwned=2</script>`;
    await page.goto(
      `${server.url}/?utm_source=${encodeURIComponent(evil)}&utm_campaign=${encodeURIComponent('x'.repeat(5000))}&gclid=${encodeURIComponent(evil)}`,
      {
        referer: `https://evil.example/${encodeURIComponent(evil)}`,
      },
    );
    await call(page, 'acceptAll');
    const raw = (await stored(page))!;
    expect(raw).not.toMatch(/[<>]/);
    expect(raw.length).toBeLessThan(800);
    expect(JSON.parse(raw).f.r).toBe('evil.example');
    expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
    expect(await page.locator('img[src=x]').count()).toBe(0);
  });
});

test.describe('call tracking: session pool', () => {
  const usePool = (server: TestServer, handler: TestServer['routes'][string]) => {
    const original = server.routes['/pool/']!;
    server.routes['/pool/'] = handler;
    return () => void (server.routes['/pool/'] = original);
  };

  test('a lease after consent only, the same number on reload, released on withdrawal', async ({ page, server }) => {
    const handler = createPoolHandler({
      numbers: { '+15551234567': ['+18885550101', '+18885550102'] },
      quarantine: 60,
    });
    const restore = usePool(server, handler);
    try {
      await page.goto(server.url + '/pool.html?utm_source=google&utm_medium=cpc&gclid=abc');
      await page.waitForTimeout(300);
      expect(poolCalls(server)).toEqual([]);
      expect(await page.locator('[data-consentline-form] input[type=hidden]').count()).toBe(0);
      await call(page, 'acceptAll');
      await expect(page.locator('main strong')).toHaveText('(888) 555-0101');
      await expect(page.locator('footer p')).toContainText('+1 888 555 0101');
      const [assign] = poolCalls(server);
      const body = JSON.parse(assign!.body);
      expect(Object.keys(body).sort()).toEqual(['context', 'session', 'targets']);
      expect(body.targets).toEqual(['+15551234567']);
      expect(assign!.headers['cookie']).toBeUndefined();
      // Nor the page's URL (its query holds the click id): no Referer on pool requests.
      expect(assign!.headers['referer']).toBeUndefined();
      const token = await page.locator('[data-consentline-form] input[name=consentline_token]').inputValue();
      expect(token).toBe(`cl1.${body.session}`);

      await page.reload();
      await expect(page.locator('main strong')).toHaveText('(888) 555-0101');

      server.clear();
      await call(page, 'set', { analytics: false });
      await expect(page.locator('main strong')).toHaveText('(555) 123-4567');
      await expect.poll(() => poolCalls(server).map((r) => r.path)).toEqual(['/pool/release']);
      expect(JSON.parse(poolCalls(server)[0]!.body).session).toBe(body.session);
      expect(poolCalls(server)[0]!.headers['referer']).toBeUndefined();
      expect(await stored(page)).toBeNull();
      expect(await page.locator('[data-consentline-form] input[type=hidden]').count()).toBe(0);
      expect(handler.pool.inspect().leases).toEqual([]);
      expect(handler.pool.inspect().resting).toEqual(['+18885550101']);
    } finally {
      restore();
    }
  });

  const failing: Array<[string, (res: import('node:http').ServerResponse) => void]> = [
    ['answers 500', (res) => res.writeHead(500).end('boom')],
    [
      'replies with markup',
      (res) =>
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ numbers: { '+15551234567': '<b>+18880000000</b>' }, lease: 'a', ttl: 60 })),
    ],
    [
      'replies with a malformed number',
      (res) => res.writeHead(200).end(JSON.stringify({ numbers: { '+15551234567': '555' }, lease: 'a', ttl: 60 })),
    ],
    [
      'is slow (10 s)',
      (res) =>
        void setTimeout(
          () =>
            res
              .writeHead(200)
              .end(JSON.stringify({ numbers: { '+15551234567': '+18885550199' }, lease: 'late', ttl: 60 })),
          10_000,
        ),
    ],
  ];
  for (const [name, answer] of failing) {
    test(`pool ${name}: the page stays usable, nothing hidden past the cap, the fallback shows, the breaker stops calls`, async ({
      page,
      server,
    }) => {
      const restore = usePool(server, (_req, res) => {
        answer(res as import('node:http').ServerResponse);
        return true;
      });
      try {
        // When the pending flag comes and goes, on the page's own clock.
        await page.addInitScript(() => {
          const w = window as unknown as { __pending: Array<[number, boolean]> };
          w.__pending = [];
          new MutationObserver(() =>
            w.__pending.push([
              performance.now(),
              document.documentElement.hasAttribute('data-consentline-dni-pending'),
            ]),
          ).observe(document, { subtree: true, attributeFilter: ['data-consentline-dni-pending'] });
        });
        await page.goto(server.url + '/pool.html');
        await call(page, 'acceptAll');
        // The source-level fallback at once; the pending flag (anti-flicker) goes after the page's
        // 800 ms setting (a timer, which a busy machine may run a little late), not when the pool
        // answers or gives up.
        await expect(page.locator('main strong')).toHaveText('(888) 999-0000');
        await expect(page.locator('html')).not.toHaveAttribute('data-consentline-dni-pending', /.*/, { timeout: 2000 });
        const pending = await page.evaluate(
          () => (window as unknown as { __pending: Array<[number, boolean]> }).__pending,
        );
        const set = pending.find(([, on]) => on)?.[0] ?? Number.NaN;
        const gone = pending.find(([at, on]) => !on && at >= set)?.[0] ?? Number.NaN;
        expect(gone - set).toBeLessThan(1200);
        await page.waitForTimeout(1700);
        await expect(page.locator('main strong')).toHaveText('(888) 999-0000');
        await expect(page.locator('textarea')).toBeEditable();
        // Three failures open the breaker: further assigns (new consent cycles) send nothing.
        for (let i = 0; i < 3; i++) {
          await call(page, 'set', { analytics: false });
          await call(page, 'set', { analytics: true });
          await page.waitForTimeout(1700);
        }
        expect(poolCalls(server).filter((r) => r.path === '/pool/assign')).toHaveLength(3);
        await expect(page.locator('main strong')).toHaveText('(888) 999-0000');
      } finally {
        restore();
      }
    });
  }

  test('pool reply is a safe text: hostile context never reaches the request unescaped', async ({ page, server }) => {
    const evil = `</script><img src=x onerror=alert(1)>`;
    await page.goto(`${server.url}/pool.html?utm_source=${encodeURIComponent(evil)}`, {
      referer: `https://a.example/?q=${encodeURIComponent(evil)}`,
    });
    await call(page, 'acceptAll');
    await expect.poll(() => poolCalls(server).length).toBe(1);
    const body = poolCalls(server)[0]!.body;
    expect(body).not.toMatch(/[<>]/);
    expect(JSON.parse(body).context.f.r).toBe('a.example');
  });
});
