import { describe, expect, test } from 'vitest';
import { createMemoryStorage } from '../../../src/core/memory-storage';
import { createConsentStore } from '../../../src/core/store';
import {
  CONSENT_TYPES,
  createConsentModeBridge,
  mapConsentMode,
  pushConsentDefault,
} from '../../../src/signals/consent-mode';
import { validateSignalsConfig } from '../../../src/signals/config';
import { readGpc } from '../../../src/signals/gpc';
import { resolveRegime } from '../../../src/signals/regime';

const isArgs = (x: unknown) => Object.prototype.toString.call(x) === '[object Arguments]';
const cmds = (dl: unknown[]) => dl.map((x) => Array.from(x as IArguments));

describe('Consent Mode', () => {
  test('default: seven types, real arguments objects, options, regions first; never twice', () => {
    const win: { dataLayer?: unknown[] } = {};
    const opts = {
      grants: { necessary: true, analytics: true },
      waitForUpdate: 500,
      adsDataRedaction: true,
      urlPassthrough: true,
      regions: [{ region: ['ES', 'US-CA'], ad_storage: 'denied' as const }],
      win,
    };
    expect(pushConsentDefault(opts)).toBe(true);
    expect(pushConsentDefault(opts)).toBe(false);
    expect(win.dataLayer!.every(isArgs)).toBe(true);
    expect(cmds(win.dataLayer!)).toEqual([
      ['consent', 'default', { region: ['ES', 'US-CA'], ad_storage: 'denied' }],
      [
        'consent',
        'default',
        {
          ad_storage: 'denied',
          ad_user_data: 'denied',
          ad_personalization: 'denied',
          analytics_storage: 'granted',
          functionality_storage: 'granted',
          personalization_storage: 'denied',
          security_storage: 'granted',
          wait_for_update: 500,
        },
      ],
      ['set', 'ads_data_redaction', true],
      ['set', 'url_passthrough', true],
    ]);
  });

  test('a global default the page pushed itself is not doubled', () => {
    const win: { dataLayer: unknown[] } = { dataLayer: [] };
    (function (..._a: unknown[]) {
      // eslint-disable-next-line prefer-rest-params
      win.dataLayer.push(arguments);
    })('consent', 'default', { ad_storage: 'denied' });
    expect(pushConsentDefault({ win })).toBe(false);
    expect(win.dataLayer).toHaveLength(1);
  });

  test("under GPC a page's own default that grants is not doubled, yet the tags read GPC: what it denies is updated to denied", () => {
    const win: { dataLayer: unknown[] } = { dataLayer: [] };
    const gtag = function (..._a: unknown[]) {
      // eslint-disable-next-line prefer-rest-params
      win.dataLayer.push(arguments);
    };
    const all = (value: string) => Object.fromEntries(CONSENT_TYPES.map((t) => [t, value]));
    gtag('consent', 'default', all('granted'));
    pushConsentDefault({
      win,
      gpc: true,
      grants: { necessary: true, analytics: true, advertising: false, social: false },
    });
    const entries = cmds(win.dataLayer);
    expect(entries.filter((e) => e[0] === 'consent' && e[1] === 'default')).toHaveLength(1);
    // What Google's tags read: the default, then each update over it, in order.
    const read: Record<string, unknown> = {};
    for (const [, , values] of entries.filter((e) => e[0] === 'consent')) Object.assign(read, values);
    expect(read).toMatchObject({
      ad_storage: 'denied',
      ad_user_data: 'denied',
      ad_personalization: 'denied',
      personalization_storage: 'denied',
      analytics_storage: 'granted',
    });
  });

  test('update on load with a stored decision and after every change; mapping is configurable; cleanup stops it', () => {
    const win: { dataLayer?: unknown[] } = {};
    const store = createConsentStore();
    const off = createConsentModeBridge(store, { map: { personalization_storage: 'analytics' }, win });
    expect(win.dataLayer).toBeUndefined();
    store.set({ analytics: true });
    store.optOut();
    off();
    store.acceptAll();
    expect(win.dataLayer!.every(isArgs)).toBe(true);
    expect(
      cmds(win.dataLayer!).map(([c, k, v]) => [
        c,
        k,
        (v as Record<string, string>)['analytics_storage'],
        (v as Record<string, string>)['personalization_storage'],
      ]),
    ).toEqual([
      ['consent', 'update', 'granted', 'granted'],
      ['consent', 'update', 'granted', 'granted'],
    ]);
    const again: { dataLayer?: unknown[] } = {};
    createConsentModeBridge(store, { win: again })();
    expect(cmds(again.dataLayer!)[0]![1]).toBe('update');
  });

  test('GPC denies the ad types even after accept all', () => {
    const store = createConsentStore({ regime: 'opt-out', gpc: true });
    store.acceptAll();
    expect(mapConsentMode(store.get().grants)).toMatchObject({
      ad_storage: 'denied',
      ad_user_data: 'denied',
      ad_personalization: 'denied',
      analytics_storage: 'granted',
    });
  });
});

describe('Consent Mode with a dataLayer whose push throws', () => {
  test('a frozen dataLayer (a push that throws) gets nothing and throws nothing: no default, no update', () => {
    const dataLayer = Object.freeze([]) as unknown as unknown[];
    const win = { dataLayer };
    expect(pushConsentDefault({ win })).toBe(false);
    const store = createConsentStore({ storage: createMemoryStorage() });
    store.acceptAll();
    let stop: (() => void) | undefined;
    expect(() => {
      stop = createConsentModeBridge(store, { win });
    }).not.toThrow();
    expect(() => store.rejectAll()).not.toThrow();
    stop?.();
    expect(dataLayer).toEqual([]);
  });
});

describe('Consent Mode under GPC or an opt-out', () => {
  const granting = {
    ad_storage: 'granted',
    ad_user_data: 'granted',
    ad_personalization: 'granted',
    analytics_storage: 'granted',
    personalization_storage: 'granted',
  } as const;

  test('a region default grants no advertising or sale/share type under GPC: in its region it outranks the global one', () => {
    const win: { dataLayer?: unknown[] } = {};
    pushConsentDefault({
      grants: { necessary: true, analytics: true, advertising: false, social: false },
      gpc: true,
      regions: [
        { region: ['US'], ...granting },
        { region: ['FR'], analytics_storage: 'denied' },
      ],
      win,
    });
    expect(cmds(win.dataLayer!).slice(0, 2)).toEqual([
      [
        'consent',
        'default',
        {
          region: ['US'],
          ad_storage: 'denied',
          ad_user_data: 'denied',
          ad_personalization: 'denied',
          analytics_storage: 'granted',
          personalization_storage: 'denied',
        },
      ],
      ['consent', 'default', { region: ['FR'], analytics_storage: 'denied' }],
    ]);
  });

  test('without GPC a region default is pushed as configured', () => {
    const win: { dataLayer?: unknown[] } = {};
    pushConsentDefault({ regions: [{ region: ['US'], ...granting }], win });
    expect(cmds(win.dataLayer!)[0]).toEqual(['consent', 'default', { region: ['US'], ...granting }]);
  });

  test('the sale/share categories are the site’s: a type following one of them is denied in region defaults under GPC', () => {
    const win: { dataLayer?: unknown[] } = {};
    pushConsentDefault({
      map: { analytics_storage: 'measurement' },
      saleShare: ['measurement'],
      gpc: true,
      regions: [{ region: ['US'], ...granting }],
      win,
    });
    expect(cmds(win.dataLayer!)[0]![2]).toMatchObject({
      analytics_storage: 'denied',
      personalization_storage: 'granted',
    });
  });

  test('the advertising types are denied while GPC or an opt-out applies, whatever category they follow', () => {
    const map = { ad_storage: 'analytics', ad_user_data: 'analytics', ad_personalization: 'analytics' } as const;
    const gpcWin: { dataLayer?: unknown[] } = {};
    pushConsentDefault({ grants: { necessary: true, analytics: true }, map, gpc: true, win: gpcWin });
    expect(cmds(gpcWin.dataLayer!)[0]![2]).toMatchObject({
      ad_storage: 'denied',
      ad_user_data: 'denied',
      ad_personalization: 'denied',
      analytics_storage: 'granted',
    });
    const store = createConsentStore({ regime: 'opt-out' });
    const win: { dataLayer?: unknown[] } = {};
    const off = createConsentModeBridge(store, { map, win });
    store.optOut();
    off();
    expect(cmds(win.dataLayer!)).toEqual([
      [
        'consent',
        'update',
        expect.objectContaining({
          ad_storage: 'denied',
          ad_user_data: 'denied',
          ad_personalization: 'denied',
          analytics_storage: 'granted',
        }),
      ],
    ]);
  });
});

describe('GPC and regime', () => {
  test('only === true is a signal; a throwing getter is none', () => {
    expect(readGpc({ globalPrivacyControl: true })).toBe(true);
    for (const v of [1, 'true', false, undefined, null, {}]) expect(readGpc({ globalPrivacyControl: v })).toBe(false);
    expect(readGpc({})).toBe(false);
    expect(
      readGpc(
        Object.defineProperty({}, 'globalPrivacyControl', {
          get: () => {
            throw new Error('x');
          },
        }),
      ),
    ).toBe(false);
  });

  test('region hint: exact, then country; unknown or missing → opt-in', () => {
    const regions = { 'US-CA': 'opt-out', us: 'opt-out', 'US-TX': 'opt-in' } as const;
    expect(resolveRegime('US-CA', { regions })).toBe('opt-out');
    expect(resolveRegime('us-ny', { regions })).toBe('opt-out');
    expect(resolveRegime('US-TX', { regions })).toBe('opt-in');
    expect(resolveRegime('FR', { regions })).toBe('opt-in');
    expect(resolveRegime(undefined, { regions })).toBe('opt-in');
    expect(resolveRegime('constructor', { regions })).toBe('opt-in');
  });

  test('signals config: bad values warn naming the key; false turns a feature off; true turns usp on', () => {
    const warnings: string[] = [];
    const c = validateSignalsConfig(
      {
        gpp: false,
        usp: true,
        consentMode: { waitForUpdate: -1, map: { ad_storage: 'analytics', bogus: 'x' } },
        receipts: { endpoint: 'javascript:alert(1)' },
        regions: { 'US-CA': 'opt-out', __proto__x: 'opt-out' },
        nope: 1,
      },
      (m) => warnings.push(m),
    );
    expect(c.gpp).toBe(false);
    expect(c.usp).toEqual({});
    expect(c.consentMode).toEqual({ map: [['ad_storage', 'analytics']] });
    expect(c.receipts).toEqual({});
    expect(c.regions).toEqual([['US-CA', 'opt-out']]);
    expect(warnings.join('\n')).toMatch(
      /signals\.consentMode\.waitForUpdate.*\n.*signals\.consentMode\.map\.bogus[\s\S]*signals\.receipts\.endpoint[\s\S]*signals\.regions\.__proto__x[\s\S]*signals\.nope/,
    );
  });

  test('signals config: gpp.states is a boolean; anything else warns and is dropped', () => {
    const warnings: string[] = [];
    const on = validateSignalsConfig({ gpp: { states: true, section: 'usca' } }, (m) => warnings.push(m));
    const junk = validateSignalsConfig({ gpp: { states: 'yes please' } }, (m) => warnings.push(m));
    expect(on.gpp).toEqual({ states: true, section: 'usca' });
    expect(junk.gpp).toEqual({});
    expect(warnings).toEqual([expect.stringMatching(/^signals\.gpp\.states/)]);
  });

  test('a refusal still held after its record lapsed is pushed as an update on load (opt-out regime)', () => {
    const storage = createMemoryStorage();
    createConsentStore({ storage, regime: 'opt-out', revision: 1 }).rejectAll();
    const store = createConsentStore({ storage, regime: 'opt-out', revision: 2 });
    expect(store.get().decision).toBeNull();
    const win: { dataLayer?: unknown[] } = {};
    createConsentModeBridge(store, { win })();
    expect(cmds(win.dataLayer ?? [])).toEqual([
      ['consent', 'update', expect.objectContaining({ ad_storage: 'denied', analytics_storage: 'denied' })],
    ]);
  });

  test('no update on load without a decision or a held refusal', () => {
    const win: { dataLayer?: unknown[] } = {};
    createConsentModeBridge(createConsentStore({ regime: 'opt-out' }), { win })();
    expect(win.dataLayer ?? []).toEqual([]);
  });
});
