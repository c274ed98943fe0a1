// The signal bridge in a real browser: GPC (Chromium shim), Consent Mode entries, GPP decoded by
// the official IAB library, US Privacy, the Do Not Sell link, hostile __gpp traffic, receipts.
import { GppModel } from '@iabgpp/cmpapi';
import type { Page } from '@playwright/test';
import { recordFigures } from '../support/figures';
import { expect, nonStatic, snapshotStorage, test } from './fixtures';

interface Ping {
  gppString: string;
  applicableSections: number[];
  sectionList: number[];
}
type State = {
  grants: Record<string, boolean>;
  gpc: boolean;
  optedOut: boolean;
  regime: string;
  needsDecision: boolean;
  decision: { method: string; gpc: boolean } | null;
};

const shimGpc = (page: Page) =>
  page.addInitScript(() => Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true }));

/**
 * Runs `source` as a vendor's script in a new child frame, in the frame's own realm (so replies
 * posted to it come back to it); resolves with what it passes to `done`.
 */
const inChildFrame = <T>(page: Page, source: string): Promise<T> =>
  page.evaluate(
    (code) =>
      new Promise<T>((done) => {
        const f = document.createElement('iframe');
        document.body.append(f);
        const child = f.contentWindow!;
        (child as unknown as { done: typeof done }).done = done;
        const s = child.document.createElement('script');
        s.textContent = code;
        child.document.body.append(s);
      }),
    source,
  );

const read = (page: Page) =>
  page.evaluate(() => {
    const w = window as unknown as {
      Consentline: { get(): unknown };
      __gpp?(cmd: string, cb: (d: unknown, ok: boolean) => void): void;
      __uspapi?(cmd: string, v: number, cb: (d: { uspString: string } | null) => void): void;
      dataLayer: unknown[];
    };
    let ping: unknown;
    let usp: string | undefined;
    // There only on a visit US rules apply to.
    w.__gpp?.('ping', (d) => (ping = d));
    w.__uspapi?.('getUSPData', 1, (d) => (usp = d?.uspString));
    const consent = w.dataLayer
      .filter((x) => Object.prototype.toString.call(x) === '[object Arguments]' && (x as IArguments)[0] === 'consent')
      .map((x) => Array.from(x as IArguments));
    return { state: w.Consentline.get(), ping, usp, consent };
  }) as Promise<{ state: State; ping: Ping; usp: string; consent: Array<[string, string, Record<string, unknown>]> }>;

const decode = (gppString: string) => new GppModel(gppString).getSection('usnat') as Record<string, unknown>;

test.describe('signals: GPC in Chromium (shim), opt-out regime page', () => {
  test('advertising and social denied with no interaction; every signal says so; the honoured state shows', async ({
    page,
    server,
    pageErrors,
  }) => {
    await shimGpc(page);
    await page.goto(`${server.url}/us.html`);
    const { state, ping, usp, consent } = await read(page);
    expect(state).toMatchObject({ regime: 'opt-out', gpc: true, optedOut: true, needsDecision: false, decision: null });
    expect(state.grants).toEqual({ necessary: true, analytics: true, advertising: false, social: false });
    const [, , def] = consent.find(([, kind]) => kind === 'default')!;
    expect(def).toMatchObject({
      ad_storage: 'denied',
      ad_user_data: 'denied',
      ad_personalization: 'denied',
      analytics_storage: 'granted',
      wait_for_update: 500,
    });
    expect(decode(ping.gppString)).toMatchObject({
      SaleOptOut: 1,
      SharingOptOut: 1,
      TargetedAdvertisingOptOut: 1,
      Gpc: true,
      MspaCoveredTransaction: 2,
    });
    expect(ping.applicableSections).toEqual([7]);
    expect(usp[2]).toBe('Y');
    await expect(page.locator('[data-consentline-gpc-status]')).toHaveText('Opt-Out Request Honored');
    await expect(page.locator('[data-consentline-gpc-status]')).toBeVisible();
    expect(await page.locator('[role="dialog"]:visible, [role="alertdialog"]:visible').count()).toBe(0);
    // "Accept all" does not override GPC; the decision notes GPC.
    const after = await page.evaluate(() => (window.Consentline!.acceptAll as () => State)());
    expect(after.grants['advertising']).toBe(false);
    expect(after.decision?.gpc).toBe(true);
    expect(pageErrors).toEqual([]);
  });

  test('without GPC the same page grants by default, and the status element stays hidden', async ({ page, server }) => {
    await page.goto(`${server.url}/us.html`);
    const { state, ping, usp } = await read(page);
    expect(state.grants).toEqual({ necessary: true, analytics: true, advertising: true, social: true });
    expect(decode(ping.gppString)).toMatchObject({
      SaleOptOut: 2,
      SharingOptOut: 2,
      TargetedAdvertisingOptOut: 2,
      Gpc: false,
    });
    expect(usp).toBe('1YNN');
    await expect(page.locator('[data-consentline-gpc-status]')).toBeHidden();
  });
});

test.describe('signals: Do Not Sell or Share', () => {
  test('the footer link opts out in one step, is remembered, and every signal follows', async ({ page, server }) => {
    await page.goto(`${server.url}/us.html`);
    await page.getByRole('link', { name: 'Do Not Sell or Share My Personal Information' }).click();
    expect(page.url()).toBe(`${server.url}/us.html`);
    for (const reload of [false, true]) {
      if (reload) await page.reload();
      const { state, ping, usp, consent } = await read(page);
      expect(state.decision?.method).toBe('opt-out');
      expect(state.grants).toMatchObject({ analytics: true, advertising: false, social: false });
      expect(decode(ping.gppString)).toMatchObject({
        SaleOptOut: 1,
        SharingOptOut: 1,
        TargetedAdvertisingOptOut: 1,
        Gpc: false,
      });
      expect(usp).toBe('1YYN');
      expect(consent.at(-1)).toEqual([
        'consent',
        'update',
        expect.objectContaining({ ad_storage: 'denied', analytics_storage: 'granted' }),
      ]);
    }
  });

  test('a marked link inside an open shadow root (a footer web component) opts out too', async ({ page, server }) => {
    await page.goto(`${server.url}/us.html`);
    await page.evaluate(() => {
      const footer = document.createElement('site-footer');
      const link = document.createElement('a');
      link.href = '/privacy.html#do-not-sell';
      link.setAttribute('data-consentline-optout', '');
      link.textContent = 'Do Not Sell or Share (footer component)';
      footer.attachShadow({ mode: 'open' }).append(link);
      document.body.prepend(footer);
    });
    await page.getByRole('link', { name: 'Do Not Sell or Share (footer component)' }).click();
    // The click reaches the document retargeted to the host; the opt-out must not be lost to it.
    expect(page.url()).toBe(`${server.url}/us.html`);
    const { state } = await read(page);
    expect(state.decision?.method).toBe('opt-out');
    expect(state.grants).toMatchObject({ advertising: false, social: false });
  });

  test('grants the opt-out regime kept on are not consent on a later visit that needs it', async ({
    page,
    server,
    context,
  }) => {
    await page.addInitScript(() => {
      (window as unknown as { ConsentlineRegion: string }).ConsentlineRegion = 'US-CA';
    });
    await page.goto(`${server.url}/privacy-landing.html`);
    await page.locator('[data-consentline-optout]').first().press('Enter');
    await expect
      .poll(() => page.evaluate(() => (window.Consentline!.get as () => State)().decision?.method))
      .toBe('opt-out');
    // The next visit has no US region hint: the page's regime is opt-in.
    const later = await context.newPage();
    const before = server.requests.length;
    await later.goto(`${server.url}/privacy-landing.html`);
    await expect(later.getByRole('button', { name: 'Accept all', exact: true })).toBeVisible();
    const state = await later.evaluate(() => (window.Consentline!.get as () => State)());
    expect(state).toMatchObject({
      regime: 'opt-in',
      needsDecision: true,
      optedOut: true,
      grants: { analytics: false, advertising: false, social: false },
    });
    await later.waitForTimeout(300);
    const ran = await later.evaluate(() => (window as unknown as { __tagsRun?: string[] }).__tagsRun ?? []);
    expect(ran).toEqual([]);
    expect(server.requests.slice(before).filter((r) => r.path.startsWith('/collect/analytics'))).toEqual([]);
  });

  test('Consentline.optOut() does the same', async ({ page, server }) => {
    await page.goto(`${server.url}/us.html`);
    const s = await page.evaluate(() => (window.Consentline!.optOut as () => State)());
    expect(s).toMatchObject({ optedOut: true, decision: { method: 'opt-out' } });
  });
});

test.describe('signals: Google Consent Mode', () => {
  test('every entry is a real arguments object; the default precedes config and event entries', async ({
    page,
    server,
  }) => {
    await page.goto(`${server.url}/us.html`);
    await page.evaluate(() => (window.Consentline!.rejectAll as () => void)());
    const entries = await page.evaluate(() =>
      (window.dataLayer as unknown[]).map((x) => ({
        kind: Object.prototype.toString.call(x),
        cmd:
          Object.prototype.toString.call(x) === '[object Arguments]'
            ? `${(x as IArguments)[0]} ${(x as IArguments)[1]}`
            : (x as { event?: string }).event,
      })),
    );
    const gtagEntries = entries.filter((e) => e.kind === '[object Arguments]');
    expect(entries.filter((e) => e.kind !== '[object Arguments]').every((e) => e.cmd === 'consentline_change')).toBe(
      true,
    );
    expect(gtagEntries.map((e) => e.cmd)).toEqual([
      'consent default',
      'set ads_data_redaction',
      'set url_passthrough',
      expect.stringMatching(/^js /),
      'config G-DEMO000000',
      'consent update',
    ]);
  });

  test('an update on every load with a stored decision; loading twice leaves one default', async ({ page, server }) => {
    await page.goto(`${server.url}/privacy.html`);
    await page.evaluate(() => (window.Consentline!.set as (g: Record<string, boolean>) => void)({ analytics: true }));
    await page.reload();
    const count = async () => (await read(page)).consent.map(([, k]) => k);
    expect(await count()).toEqual(['default', 'update']);
    const [, , update] = (await read(page)).consent[1]!;
    expect(update).toMatchObject({
      analytics_storage: 'granted',
      ad_storage: 'denied',
      security_storage: 'granted',
      functionality_storage: 'granted',
    });
    await page.evaluate(
      () =>
        new Promise<void>((done) => {
          const s = document.createElement('script');
          s.src = '/dist/consentline.min.js?again';
          s.onload = () => done();
          document.head.append(s);
        }),
    );
    expect(await count()).toEqual(['default', 'update']);
  });
});

test.describe('signals: hostile __gpp traffic', () => {
  test('1,200 hostile calls and postMessages under a strict CSP: no exception, no eval, only own commands answered', async ({
    page,
    server,
    pageErrors,
  }) => {
    const violations: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy|Trusted Type/i.test(m.text())) violations.push(m.text());
    });
    await page.goto(`${server.url}/us.html?csp=strict`);
    const result = await page.evaluate(async () => {
      const seen: string[] = [];
      document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.violatedDirective} ${e.blockedURI}`));
      const gpp = (window as unknown as { __gpp: (...a: unknown[]) => unknown }).__gpp;
      const names = [
        'constructor',
        '__proto__',
        'toString',
        'valueOf',
        'hasOwnProperty',
        'prototype',
        'eval',
        'alert(1)',
        'ping ',
        'PING',
        'getGPPData',
        'queue',
        'events',
        '',
        '0',
        'then',
      ];
      const odd: unknown[] = [
        0,
        1,
        -1,
        NaN,
        null,
        undefined,
        true,
        {},
        [],
        Symbol('x'),
        () => 'x',
        { toString: () => 'ping' },
        10n,
      ];
      const answers: Array<[unknown, unknown]> = [];
      let calls = 0;
      const cb = (d: unknown, ok: unknown) => answers.push([d === null ? null : typeof d, ok]);
      for (let i = 0; i < 40; i++) {
        for (const c of [...names, ...odd]) {
          gpp(c, cb, c, 1);
          calls++;
        }
        gpp('ping', 'not a function');
        gpp('getField', cb, 'usnat.constructor');
        gpp('getField', cb, 'usnat.__proto__');
        gpp('getSection', cb, '__proto__');
        gpp('hasSection', cb, 'toString');
        gpp('removeEventListener', cb, '__proto__');
        calls += 6;
      }
      const junk: unknown[] = [
        '{',
        'null',
        '"x"',
        '{"__gppCall":null}',
        '{"__gppCall":{"command":"constructor","callId":1}}',
        '{"__proto__":{"__gppCall":{"command":"ping"}}}',
        { __gppCall: 'ping' },
        { __gppCall: { command: 'eval', parameter: 'alert(1)', callId: 2 } },
        { __gppCall: { command: ['ping'], callId: 3 } },
        42,
        null,
        [1, 2],
      ];
      let replies = 0;
      const replied: unknown[] = [];
      window.addEventListener('message', (e) => {
        const d =
          typeof e.data === 'string'
            ? (() => {
                try {
                  return JSON.parse(e.data);
                } catch {
                  return null;
                }
              })()
            : e.data;
        if (d && d.__gppReturn) {
          replies++;
          replied.push(d.__gppReturn.success);
        }
      });
      for (let i = 0; i < 30; i++) for (const j of junk) window.postMessage(j, '*');
      window.postMessage({ __gppCall: { command: 'ping', callId: 'ok', version: '1.1' } }, '*');
      await new Promise((r) => setTimeout(r, 300));
      return {
        calls: calls + 30 * junk.length + 1,
        answers,
        replies,
        replied,
        seen,
        proto: Object.prototype.hasOwnProperty.call(Object.prototype, 'ping'),
      };
    });
    recordFigures('signals: hostile __gpp', {
      cases: result.calls,
      leaks: result.seen.length + violations.length + pageErrors.length,
    });
    expect(result.calls).toBeGreaterThanOrEqual(1000);
    // Every answered junk call failed, except getField/getSection/hasSection/remove on our own commands, which answer null/false.
    expect(
      result.answers.every(
        ([d, ok]) => (ok === false && d === null) || (ok === true && (d === null || d === 'boolean')),
      ),
    ).toBe(true);
    // Junk over postMessage never answered; command names that are not ours answered with a failure (constructor, eval, array).
    expect(result.replied.filter((x) => x === true)).toEqual([true]);
    expect(result.seen).toEqual([]);
    expect(violations).toEqual([]);
    expect(result.proto).toBe(false);
    expect(pageErrors).toEqual([]);
  });

  test('an opt-in page outside the US gets no __gpp, no __gppLocator frame and no dist/gpp.js', async ({
    page,
    server,
  }) => {
    await page.goto(`${server.url}/`);
    // Past the idle time the frame would be added in on a US visit (the idle callback's timeout is 2 s).
    await page.waitForTimeout(2500);
    const seen = await page.evaluate(() => ({
      locator: !!(window.frames as unknown as Record<string, unknown>)['__gppLocator'],
      gpp: typeof (window as unknown as { __gpp?: unknown }).__gpp,
    }));
    expect(seen).toEqual({ locator: false, gpp: 'undefined' });
    expect(server.requests.filter((r) => r.path === '/dist/gpp.js')).toEqual([]);
  });

  test('a child frame finds __gppLocator and gets a ping back over postMessage', async ({ page, server }) => {
    await page.goto(`${server.url}/us.html`);
    // The locator frame is added at idle time (creating an iframe is expensive), as a vendor's frame would find it later.
    await page.waitForFunction(() => !!(window.frames as unknown as Record<string, unknown>)['__gppLocator']);
    // Walk up to the window that holds __gppLocator and post a call there.
    const reply = await inChildFrame<{
      returnValue: { gppVersion: string; gppString: string };
      success: boolean;
      callId: number;
    }>(
      page,
      `
      var target = null;
      for (var w = window; ; w = w.parent) {
        try { if (w.frames.__gppLocator) { target = w; break; } } catch (e) {}
        if (w === window.top) break;
      }
      addEventListener('message', function (e) {
        var d = JSON.parse(e.data);
        if (d.__gppReturn) done(d.__gppReturn);
      });
      target.postMessage(JSON.stringify({ __gppCall: { command: 'ping', version: '1.1', callId: 7 } }), '*');`,
    );
    expect(reply.success).toBe(true);
    expect(reply.callId).toBe(7);
    expect(reply.returnValue.gppVersion).toBe('1.1');
    expect(decode(reply.returnValue.gppString)).toMatchObject({ SaleOptOut: 2 });
  });
});

test.describe('signals: GPP and the preferences dialog', () => {
  test('reopened by Consentline.showPreferences() or a marked element, the dialog is "visible" and the signal "not ready" until it closes; saving in it is one chain', async ({
    page,
    server,
    pageErrors,
  }) => {
    await page.goto(`${server.url}/us.html`);
    await page.locator('#consentline button', { hasText: 'Accept all' }).click();
    await page.waitForFunction(
      () =>
        new Promise((done) =>
          (window as unknown as { __gpp(c: string, cb: (d: { cmpStatus: string }) => void): void }).__gpp('ping', (d) =>
            done(d.cmpStatus === 'loaded'),
          ),
        ),
    );
    // The page's own tag listening, as a vendor's would.
    await page.evaluate(() => {
      const w = window as unknown as {
        heard: string[];
        __gpp(
          c: string,
          cb: (e: { eventName: string; data: unknown; pingData: { signalStatus: string } }) => void,
        ): void;
      };
      w.heard = [];
      w.__gpp('addEventListener', (e) => {
        if (e.eventName !== 'listenerRegistered') w.heard.push(`${e.eventName} ${String(e.data)}`);
      });
      const b = document.createElement('button');
      b.dataset['consentlinePreferences'] = '';
      b.textContent = 'Cookie settings';
      document.querySelector('footer')!.append(b);
    });
    const heard = () => page.evaluate(() => (window as unknown as { heard: string[] }).heard.splice(0));
    const ping = () =>
      page.evaluate(
        () =>
          new Promise((done) =>
            (
              window as unknown as {
                __gpp(c: string, cb: (d: { cmpDisplayStatus: string; signalStatus: string }) => void): void;
              }
            ).__gpp('ping', (d) => done(`${d.cmpDisplayStatus} ${d.signalStatus}`)),
          ),
      );
    expect(await ping()).toBe('hidden ready');
    await page.evaluate(() => (window.Consentline as unknown as { showPreferences(): void }).showPreferences());
    await expect.poll(ping).toBe('visible not ready');
    expect(await heard()).toEqual(['signalStatus not ready', 'cmpDisplayStatus visible']);
    // Escape closes it undecided.
    await page.keyboard.press('Escape');
    await expect(page.locator('#consentline dialog')).toHaveCount(0);
    await expect.poll(ping).toBe('hidden ready');
    expect(await heard()).toEqual(['cmpDisplayStatus hidden', 'signalStatus ready']);
    await page.locator('footer button[data-consentline-preferences]').click();
    await expect.poll(ping).toBe('visible not ready');
    await page.locator('#consentline dialog button', { hasText: 'Reject all' }).click();
    await expect.poll(ping).toBe('hidden ready');
    expect(await heard()).toEqual([
      'signalStatus not ready',
      'cmpDisplayStatus visible',
      'sectionChange usnat',
      'cmpDisplayStatus hidden',
      'signalStatus ready',
    ]);
    expect(pageErrors).toEqual([]);
  });
});

test.describe('signals: US Privacy for frames', () => {
  test('a child frame finds __uspapiLocator and gets getUSPData back over postMessage', async ({ page, server }) => {
    await page.goto(`${server.url}/us.html`);
    // Added at idle time, like __gppLocator.
    await page.waitForFunction(() => !!(window.frames as unknown as Record<string, unknown>)['__uspapiLocator'], null, {
      timeout: 10_000,
    });
    await page.evaluate(() => (window.Consentline!.optOut as () => unknown)());
    // Find the window holding __uspapiLocator (USP API 1.0, "Without SafeFrames, using
    // postMessage") and ask it.
    const reply = await inChildFrame<{
      returnValue: { version: number; uspString: string };
      success: boolean;
      callId: string;
    }>(
      page,
      `
      var target = null;
      for (var w = window; ; w = w.parent) {
        try { if (w.frames.__uspapiLocator) { target = w; break; } } catch (e) {}
        if (w === window.top) break;
      }
      addEventListener('message', function (e) {
        if (e.data && e.data.__uspapiReturn) done(e.data.__uspapiReturn);
      });
      target.postMessage({ __uspapiCall: { command: 'getUSPData', version: 1, callId: 'u1' } }, '*');`,
    );
    expect(reply).toEqual({ returnValue: { version: 1, uspString: '1YYN' }, success: true, callId: 'u1' });
  });

  test('an opt-in page outside the US gets no __uspapiLocator frame', async ({ page, server }) => {
    // The site's own hint wins over the tag's data-region: a visitor from France.
    await page.addInitScript(() => Object.assign(window, { ConsentlineRegion: 'FR' }));
    await page.goto(`${server.url}/us.html`);
    // Past the idle time the frame would be added in on a US visit; __uspapi itself still answers.
    await page.waitForTimeout(2500);
    expect(
      await page.evaluate(
        () =>
          new Promise((done) =>
            (window as unknown as { __uspapi(c: string, v: number, cb: (d: unknown) => void): void }).__uspapi(
              'getUSPData',
              1,
              done,
            ),
          ),
      ),
    ).toEqual({ version: 1, uspString: '1---' });
    expect(await page.evaluate(() => !!(window.frames as unknown as Record<string, unknown>)['__uspapiLocator'])).toBe(
      false,
    );
  });
});

test.describe('signals: consent receipts', () => {
  test('none before a decision; with the endpoint down the record is queued and delivered once it is back', async ({
    page,
    server,
  }) => {
    let up = false;
    server.routes['/collect/receipts'] = (_req, res) => {
      const r = res as { writeHead(s: number): void; end(): void };
      r.writeHead(up ? 204 : 503);
      r.end();
      return true;
    };
    try {
      await page.goto(`${server.url}/us.html`);
      await page.waitForTimeout(300);
      expect(nonStatic(server.requests)).toEqual([]);
      expect((await snapshotStorage(page)).localStorage).toEqual([]);
      const id = await page.evaluate(
        () => (window.Consentline!.rejectAll as () => State & { decision: { id: string } })().decision.id,
      );
      await expect.poll(() => server.requests.filter((r) => r.path === '/collect/receipts').length).toBeGreaterThan(0);
      expect((await snapshotStorage(page)).localStorage).toEqual(['consentline_receipts']);
      // Across pages: the next page picks the queue up.
      await page.reload();
      up = true;
      await expect.poll(() => page.evaluate(() => localStorage.length), { timeout: 20_000 }).toBe(0);
      const bodies = server.requests.filter((r) => r.path === '/collect/receipts').map((r) => JSON.parse(r.body));
      const last = bodies.at(-1);
      expect(last).toEqual({
        v: 1,
        id,
        time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        revision: 1,
        grants: { analytics: false, advertising: false, social: false },
        method: 'api',
        gpc: false,
        regime: 'opt-out',
        origin: server.url,
      });
      const headers = server.requests.filter((r) => r.path === '/collect/receipts').at(-1)!.headers;
      expect(headers['cookie']).toBeUndefined();
    } finally {
      delete server.routes['/collect/receipts'];
    }
  });
  test('the sender is an add-on fetched beside the SDK; decisions made before it arrives are sent, oldest first', async ({
    page,
    server,
  }) => {
    let release = () => {};
    const arrived = new Promise<void>((done) => {
      release = done;
    });
    // receipts.js held back until two decisions have been made.
    let asked = 0;
    await page.route('**/dist/receipts.js', async (route) => {
      asked++;
      await arrived;
      await route.continue();
    });
    // Not waiting for `load`: the held-back add-on delays it.
    await page.goto(`${server.url}/us.html`, { waitUntil: 'domcontentloaded' });
    await page.waitForFunction(() => typeof window.Consentline?.get === 'function');
    await expect.poll(() => asked).toBe(1);
    const ids = await page.evaluate(() => {
      const api = window.Consentline as unknown as Record<string, () => { decision: { id: string } }>;
      return [api['acceptAll']!().decision.id, api['rejectAll']!().decision.id];
    });
    await page.waitForTimeout(200);
    expect(server.requests.filter((r) => r.path === '/collect/receipts')).toEqual([]);
    release();
    await expect.poll(() => server.requests.filter((r) => r.path === '/collect/receipts').length).toBe(2);
    const sent = server.requests
      .filter((r) => r.path === '/collect/receipts')
      .map((r) => (JSON.parse(r.body) as { id: string }).id);
    recordFigures('signals: receipts add-on', { scenarios: 1, leaks: sent.join() === ids.join() ? 0 : 1 });
    expect(sent).toEqual(ids);
  });
});
