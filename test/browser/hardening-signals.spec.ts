// Hardening of what the SDK sends and answers, against the built script tag: no request carries the
// page URL as Referer; a cross-origin frame talking to `__gpp` over postMessage can neither remove
// the page's listeners nor flood it with its own; an endpoint written as `/\host` is refused; a
// stored visit context dated in the future does not live for ever. (The demo server's path and log
// checks are in test/unit/demo/server.test.ts.)
import type { Frame, Page } from '@playwright/test';
import { recordFigures } from '../support/figures';
import { consoleTexts, expect, test } from './fixtures';

const VENDOR = 'https://vendor.example';
type Reply = { returnValue: unknown; success: boolean; callId: unknown };

/** Adds a cross-origin vendor frame to the page and returns it, ready to post to its parent. */
async function addVendorFrame(page: Page): Promise<Frame> {
  await page.route(`${VENDOR}/**`, (route) =>
    route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>vendor</title><p>ad</p>' }),
  );
  await page.evaluate((src) => {
    const f = document.createElement('iframe');
    f.src = src;
    f.title = 'vendor';
    document.body.append(f);
    return new Promise((done) => f.addEventListener('load', done, { once: true }));
  }, `${VENDOR}/frame.html`);
  const frame = page.frames().find((f) => f.url().startsWith(VENDOR));
  if (!frame) throw new Error('vendor frame missing');
  // What a vendor's script in the frame keeps: every __gppReturn it gets, by callId.
  await frame.evaluate(() => {
    const w = window as unknown as { replies: Reply[] };
    w.replies = [];
    addEventListener('message', (e) => {
      const r = (e.data as { __gppReturn?: Reply } | null)?.__gppReturn;
      if (r) w.replies.push(r);
    });
  });
  return frame;
}

/** Posts `__gppCall`s from the frame's own realm (so the frame is the message's source). */
const postFromFrame = (frame: Frame, calls: Array<{ command: string; parameter?: unknown; callId: unknown }>) =>
  frame.evaluate((list) => {
    for (const c of list) parent.postMessage({ __gppCall: { ...c, version: '1.1' } }, '*');
  }, calls);

const replies = (frame: Frame) => frame.evaluate(() => (window as unknown as { replies: Reply[] }).replies);

/** Registers a listener directly on the page, as a vendor's script in the page does; counts its events. */
const addPageListener = (page: Page) =>
  page.evaluate(() => {
    const w = window as unknown as {
      __gpp(c: string, cb: (e: { eventName: string; listenerId: number }) => void): void;
      pageEvents: string[];
      pageListenerId: number;
    };
    w.pageEvents = [];
    w.__gpp('addEventListener', (e) => {
      w.pageListenerId = e.listenerId;
      w.pageEvents.push(e.eventName);
    });
    return w.pageListenerId;
  });
const pageEvents = (page: Page) => page.evaluate(() => (window as unknown as { pageEvents: string[] }).pageEvents);

test.describe('hardening: no request carries the page URL', () => {
  test('receipts and pool calls go out with no Referer, whatever the landing URL holds', async ({
    page,
    server,
    pageErrors,
  }) => {
    const secrets = 'email=visitor%40mail.example&gclid=CLICK-ID-123';
    await page.goto(`${server.url}/privacy-landing.html?utm_source=google&utm_medium=cpc&${secrets}`);
    await page.getByRole('button', { name: 'Accept all', exact: true }).click();
    await expect.poll(() => server.requests.filter((r) => r.path === '/collect/receipts').length).toBeGreaterThan(0);
    await expect.poll(() => server.requests.filter((r) => r.path.startsWith('/pool/')).length).toBeGreaterThan(0);
    // The opt-out regime page with the same secrets: a refusal's receipt.
    await page.goto(`${server.url}/us.html?${secrets}`);
    await page.evaluate(() => (window.Consentline!.rejectAll as () => unknown)());
    await expect.poll(() => server.requests.filter((r) => r.path === '/collect/receipts').length).toBeGreaterThan(1);
    const sdk = server.requests.filter((r) => r.path === '/collect/receipts' || r.path.startsWith('/pool/'));
    const leaks = sdk
      .filter((r) => r.headers['referer'] !== undefined)
      .map((r) => `${r.path} Referer: ${String(r.headers['referer'])}`);
    recordFigures('hardening: no referrer', {
      cases: sdk.length,
      scenarios: leaks.length ? 0 : 2,
      leaks: leaks.length,
    });
    expect(leaks).toEqual([]);
    expect(sdk.map((r) => r.headers['cookie'])).toEqual(sdk.map(() => undefined));
    expect(pageErrors).toEqual([]);
  });
});

test.describe('hardening: __gpp over postMessage', () => {
  test("a cross-origin frame cannot remove the page's listener; it can remove its own", async ({
    page,
    server,
    pageErrors,
  }) => {
    await page.goto(`${server.url}/us.html`);
    const pageId = await addPageListener(page);
    const frame = await addVendorFrame(page);
    // Every id the page could have handed out, including the page's own listener's.
    const ids = Array.from({ length: 60 }, (_, i) => i);
    await postFromFrame(
      frame,
      ids.map((id) => ({ command: 'removeEventListener', parameter: id, callId: `rm${id}` })),
    );
    await postFromFrame(frame, [{ command: 'addEventListener', callId: 'add' }]);
    await expect.poll(async () => (await replies(frame)).length).toBe(ids.length + 1);
    const got = await replies(frame);
    const removed = got.filter((r) => String(r.callId).startsWith('rm') && r.returnValue !== false);
    const own = got.find((r) => r.callId === 'add')!.returnValue as { listenerId: number };
    // The frame removes the listener it registered itself.
    await postFromFrame(frame, [{ command: 'removeEventListener', parameter: own.listenerId, callId: 'rm-own' }]);
    await expect.poll(async () => (await replies(frame)).find((r) => r.callId === 'rm-own')?.returnValue).toBe(true);
    await page.evaluate(() => (window.Consentline!.rejectAll as () => unknown)());
    recordFigures('hardening: __gpp frames', { cases: ids.length + 2, scenarios: 1, leaks: removed.length });
    expect(removed).toEqual([]);
    expect(pageId).toBeGreaterThan(0);
    // The page's listener still hears the decision (the banner going with it, inside the chain), in
    // the task the script tag leaves GPP's listeners for.
    await expect
      .poll(() => pageEvents(page))
      .toEqual(['listenerRegistered', 'signalStatus', 'cmpDisplayStatus', 'sectionChange', 'signalStatus']);
    // The frame's own listener, removed, heard nothing more: a ping the frame sends now is answered
    // after any event posted to it in that task.
    await postFromFrame(frame, [{ command: 'ping', callId: 'after' }]);
    await expect.poll(async () => (await replies(frame)).some((r) => r.callId === 'after')).toBe(true);
    expect(
      (await replies(frame)).filter(
        (r) => (r.returnValue as { eventName?: string } | null)?.eventName === 'sectionChange',
      ),
    ).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  test('10,000 listener registrations from a frame: 50 are kept, the rest answered with a failure; a decision reaches 50 listeners', async ({
    page,
    server,
    pageErrors,
  }) => {
    await page.goto(`${server.url}/us.html`);
    await addPageListener(page);
    const frame = await addVendorFrame(page);
    const TRIES = 10_000;
    await postFromFrame(
      frame,
      Array.from({ length: TRIES }, (_, i) => ({ command: 'addEventListener', callId: i })),
    );
    await expect
      .poll(() => frame.evaluate(() => (window as unknown as { replies: Reply[] }).replies.length), { timeout: 30_000 })
      .toBe(TRIES);
    const all = await replies(frame);
    const registered = all.filter((r) => r.success);
    const refused = all.filter((r) => !r.success);
    await page.evaluate(() => (window.Consentline!.rejectAll as () => unknown)());
    // The page's own listener is not capped and hears the decision, in the task the script tag
    // leaves GPP's listeners for; the frame's events are posted in that task, so a ping the frame
    // sends then is answered after them all.
    await expect
      .poll(() => pageEvents(page))
      .toEqual(['listenerRegistered', 'signalStatus', 'cmpDisplayStatus', 'sectionChange', 'signalStatus']);
    await postFromFrame(frame, [{ command: 'ping', callId: 'after' }]);
    // Read in the frame: 10,000 replies are too many to copy out on every poll.
    const toldBefore = () =>
      frame.evaluate((tries) => {
        const told = (window as unknown as { replies: Reply[] }).replies.slice(tries);
        const end = told.findIndex((r) => r.callId === 'after');
        return end < 0 ? null : told.slice(0, end).map((r) => (r.returnValue as { eventName: string }).eventName);
      }, TRIES);
    await expect.poll(toldBefore).not.toBeNull();
    const events = (await toldBefore())!;
    recordFigures('hardening: __gpp frames', {
      cases: TRIES,
      scenarios: 1,
      leaks: Math.max(0, registered.length - 50),
    });
    expect(registered).toHaveLength(50);
    expect(refused).toHaveLength(TRIES - 50);
    // CMP API 1.1: a listener not registered is told so with data false and listenerId 0.
    expect(
      refused.every((r) => {
        const e = r.returnValue as { eventName?: string; listenerId?: number; data?: unknown } | null;
        return e?.eventName === 'listenerRegistered' && e.listenerId === 0 && e.data === false;
      }),
    ).toBe(true);
    expect(events.filter((e) => e === 'sectionChange')).toHaveLength(50);
    expect(events.filter((e) => e === 'signalStatus')).toHaveLength(100);
    expect(events.filter((e) => e === 'cmpDisplayStatus')).toHaveLength(50);
    expect(events).toHaveLength(200);
    expect(pageErrors).toEqual([]);
  });

  test("frames nested in a frame share its cap: 20 child frames asking for 100 each get the frame's 50 in all; once they are gone, a new frame gets room", async ({
    page,
    server,
    pageErrors,
  }) => {
    await page.goto(`${server.url}/us.html`);
    const frame = await addVendorFrame(page);
    const got = await frame.evaluate(
      () =>
        new Promise<{ ok: number; failed: number }>((done) => {
          const tally = { ok: 0, failed: 0, replies: 0 };
          (window as unknown as { tally: typeof tally; finish(): void }).tally = tally;
          (window as unknown as { finish(): void }).finish = () =>
            tally.replies === 2000 && done({ ok: tally.ok, failed: tally.failed });
          for (let i = 0; i < 20; i++) {
            const f = document.createElement('iframe');
            document.body.append(f);
            // Run in the child's own realm, so each child is a source of its own.
            const s = f.contentDocument!.createElement('script');
            s.textContent = `
              addEventListener('message', function (e) {
                var r = e.data && e.data.__gppReturn;
                if (!r || r.returnValue && r.returnValue.eventName && r.returnValue.eventName !== 'listenerRegistered') return;
                if (r.success) parent.tally.ok++; else parent.tally.failed++;
                parent.tally.replies++;
                parent.finish();
              });
              for (var i = 0; i < 100; i++) top.postMessage({ __gppCall: { command: 'addEventListener', callId: i, version: '1.1' } }, '*');`;
            f.contentDocument!.body.append(s);
          }
        }),
    );
    // Once those frames are gone, their share is free again for a frame that comes later.
    const later = await frame.evaluate(async () => {
      for (const f of Array.from(document.querySelectorAll('iframe'))) f.remove();
      await new Promise((r) => setTimeout(r, 1100));
      const f = document.createElement('iframe');
      document.body.append(f);
      return new Promise<boolean>((done) => {
        (window as unknown as { later(ok: boolean): void }).later = done;
        const s = f.contentDocument!.createElement('script');
        s.textContent = `
          addEventListener('message', function (e) { if (e.data && e.data.__gppReturn) parent.later(e.data.__gppReturn.success); });
          top.postMessage({ __gppCall: { command: 'addEventListener', callId: 'later', version: '1.1' } }, '*');`;
        f.contentDocument!.body.append(s);
      });
    });
    recordFigures('hardening: __gpp frames', { cases: 2001, scenarios: 1, leaks: Math.max(0, got.ok - 50) });
    expect(got).toEqual({ ok: 50, failed: 1950 });
    expect(later).toBe(true);
    expect(pageErrors).toEqual([]);
  });
});

test.describe('hardening: endpoints and stored context', () => {
  test('an endpoint or link written /\\host is refused with a warning; nothing goes to that host', async ({
    page,
    server,
    pageErrors,
  }) => {
    const warnings = consoleTexts(page, 'warning');
    const evil: string[] = [];
    await page.route('http://evil.example/**', (route) => {
      evil.push(route.request().url());
      return route.fulfill({ status: 204 });
    });
    const config = {
      privacyPolicyUrl: '/\\evil.example/policy',
      signals: { receipts: { endpoint: '/\\evil.example/collect' } },
      dni: {
        targets: ['+15551234567'],
        rules: [{ direct: true, pool: true, number: '+18889990000' }],
        pool: { url: '/\\evil.example/pool/' },
      },
    };
    await page.route('**/hardening-endpoint.html', (route) =>
      route.fulfill({
        contentType: 'text/html',
        body:
          `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>t</title><link rel="stylesheet" href="/site.css">` +
          `<script type="application/json" id="consentline-config">${JSON.stringify(config)}</script>` +
          `<script src="/dist/dni-pool.js"></script><script src="/dist/consentline.min.js"></script></head>` +
          `<body><main><h1>Page</h1><p>Call (555) 123-4567</p></main></body></html>`,
      }),
    );
    await page.goto(`${server.url}/hardening-endpoint.html`);
    await page.getByRole('button', { name: 'Accept all', exact: true }).waitFor();
    const links = await page.evaluate(() =>
      Array.from(document.querySelectorAll('#consentline a'), (a) => a.getAttribute('href') ?? ''),
    );
    await page.getByRole('button', { name: 'Accept all', exact: true }).click();
    await page.waitForTimeout(500);
    recordFigures('hardening: endpoints', { cases: 3, scenarios: 1, leaks: evil.length });
    expect(evil).toEqual([]);
    expect(links.filter((href) => href.includes('evil'))).toEqual([]);
    for (const key of ['privacyPolicyUrl', 'signals.receipts.endpoint', 'dni.pool.url']) {
      expect(
        warnings.some((w) => w.includes(`${key}: invalid value`)),
        key,
      ).toBe(true);
    }
    expect(pageErrors).toEqual([]);
  });

  test('a stored visit context dated ten years ahead is discarded: the visit gets a fresh one', async ({
    page,
    server,
    pageErrors,
  }) => {
    await page.goto(`${server.url}/privacy-landing.html`);
    const future = Date.now() + 3650 * 86_400_000;
    await page.evaluate((t) => {
      const forged = { id: 'forgedforged1234', f: { t, p: '/forged', q: { utm_source: 'forged' } } };
      localStorage.setItem('consentline_dni', JSON.stringify(forged));
    }, future);
    await page.evaluate(() => (window.Consentline!.set as (g: object) => unknown)({ analytics: true }));
    await expect
      .poll(() => page.evaluate(() => localStorage.getItem('consentline_dni')))
      .not.toContain('"t":' + String(future));
    const kept = JSON.parse((await page.evaluate(() => localStorage.getItem('consentline_dni')))!) as {
      id: string;
      f: { t: number; p: string; q: Record<string, string> };
    };
    recordFigures('hardening: stored context', {
      cases: 1,
      scenarios: 1,
      leaks: kept.id === 'forgedforged1234' ? 1 : 0,
    });
    expect(kept.id).not.toBe('forgedforged1234');
    expect(kept.f.p).toBe('/privacy-landing.html');
    expect(kept.f.q).toEqual({});
    expect(Math.abs(kept.f.t - Date.now())).toBeLessThan(60_000);
    expect(pageErrors).toEqual([]);
  });
});
