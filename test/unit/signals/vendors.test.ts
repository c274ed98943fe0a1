// Vendor bridges against stubs written from each vendor's published snippet (test/support/vendor-snippets.ts):
// the default reaches the vendor first, whatever the load order; updates follow decisions; nothing
// is granted before a decision in opt-in; GPC and the opt-out deny the advertising types.
import { describe, expect, test, vi } from 'vitest';
import { createMemoryStorage } from '../../../src/core/memory-storage';
import { createConsentStore, type ConsentStoreOptions } from '../../../src/core/store';
import { createClarityBridge } from '../../../src/signals/vendors/clarity';
import { validateVendorsConfig } from '../../../src/signals/vendors/config';
import { createMetaPixelBridge } from '../../../src/signals/vendors/meta-pixel';
import { createTikTokPixelBridge } from '../../../src/signals/vendors/tiktok-pixel';
import { createUetBridge } from '../../../src/signals/vendors/uet';
import { LIBRARIES, SNIPPETS, type VendorKey } from '../../support/vendor-snippets';

type Win = Record<string, unknown> & { __vendorLog?: Record<VendorKey, unknown[]> };
const run = (win: Win, source: string) =>
  new Function('window', 'fbq', source)(win, (...a: unknown[]) => (win['fbq'] as (...x: unknown[]) => void)(...a));
const BRIDGES = {
  uet: createUetBridge,
  clarity: createClarityBridge,
  metaPixel: createMetaPixelBridge,
  tiktokPixel: createTikTokPixelBridge,
};
const KEYS = Object.keys(BRIDGES) as VendorKey[];

/** What each vendor was told, normalised to [phase-or-command, value] pairs, in the order its library read them. */
function told(key: VendorKey, win: Win): Array<[string, string]> {
  const log = win.__vendorLog![key];
  switch (key) {
    case 'uet': {
      const out: Array<[string, string]> = [];
      for (let i = 0; i < log.length; i++) {
        if (log[i] === 'consent') {
          out.push([log[i + 1] as string, (log[i + 2] as { ad_storage: string }).ad_storage]);
          i += 2;
        } else out.push([log[i] as string, '']);
      }
      return out;
    }
    case 'clarity':
      return (log as Array<[string, Record<string, string>]>).map(([c, v]) => [
        c,
        `${v['ad_Storage']}/${v['analytics_Storage']}`,
      ]);
    case 'metaPixel':
      return (log as string[][]).map(([c, v]) => [c!, c === 'consent' ? v! : '']);
    case 'tiktokPixel':
      return (log as string[][]).map(([c]) => [c!, '']);
  }
}

/** The consent calls only, as the vendor's own words. */
const consent = (key: VendorKey, win: Win): string[] =>
  told(key, win)
    .filter(([c]) => /^(default|update|consentv2|consent|holdConsent|grantConsent|revokeConsent)$/.test(c))
    .map(([c, v]) => (key === 'tiktokPixel' ? c : `${c}:${v}`));

/** Loads the SDK's bridge, the vendor's snippet and its library in `order`; `beforeSnippet` runs between the bridge and a later snippet (a decision while the tag is held back). */
const setup = (
  key: VendorKey,
  order: 'sdk-first' | 'snippet-first' | 'library-first',
  options: ConsentStoreOptions = {},
  beforeSnippet?: (s: ReturnType<typeof createConsentStore>) => void,
) => {
  const win: Win = {};
  const store = createConsentStore(options);
  if (order !== 'sdk-first') run(win, SNIPPETS[key]);
  if (order === 'library-first') run(win, LIBRARIES[key]);
  const off = BRIDGES[key](store, { win });
  beforeSnippet?.(store);
  if (order === 'sdk-first') run(win, SNIPPETS[key]);
  if (order !== 'library-first') run(win, LIBRARIES[key]);
  return { win, store, off };
};

// The first thing each vendor hears in opt-in before a decision, and after accept / reject.
const DEFAULT: Record<VendorKey, string> = {
  uet: 'default:denied',
  clarity: 'consentv2:denied/denied',
  metaPixel: 'consent:revoke',
  tiktokPixel: 'holdConsent',
};
const ACCEPTED: Record<VendorKey, string> = {
  uet: 'update:granted',
  clarity: 'consentv2:granted/granted',
  metaPixel: 'consent:grant',
  tiktokPixel: 'grantConsent',
};
const REJECTED: Record<VendorKey, string> = {
  uet: 'update:denied',
  clarity: 'consentv2:denied/denied',
  metaPixel: 'consent:revoke',
  tiktokPixel: 'revokeConsent',
};
// The vendor's own first call from its snippet or library.
const OWN: Record<VendorKey, string | undefined> = {
  uet: 'pageLoad',
  clarity: undefined,
  metaPixel: 'init',
  tiktokPixel: 'page',
};

describe.each(KEYS)('%s bridge', (key) => {
  for (const order of ['sdk-first', 'snippet-first'] as const) {
    test(`${order}: the default comes before any call of the vendor's; nothing granted before a decision in opt-in`, () => {
      const { win, store, off } = setup(key, order);
      const calls = told(key, win).map(([c]) => c);
      expect(consent(key, win)).toEqual([DEFAULT[key]]);
      if (OWN[key]) expect(calls.indexOf(OWN[key]!)).toBeGreaterThan(0);
      store.acceptAll();
      store.rejectAll();
      expect(consent(key, win)).toEqual([DEFAULT[key], ACCEPTED[key], REJECTED[key]]);
      off();
      store.acceptAll();
      expect(consent(key, win)).toHaveLength(3);
    });
  }

  test('after the library loaded: the default and updates are calls like any other', () => {
    const { win, store, off } = setup(key, 'library-first');
    store.acceptAll();
    expect(consent(key, win)).toEqual([DEFAULT[key], ACCEPTED[key]]);
    off();
  });

  test('a stored decision: default, then an update on load, before the vendor hears anything else', () => {
    const storage = createMemoryStorage();
    createConsentStore({ storage }).acceptAll();
    const { win, off } = setup(key, 'sdk-first', { storage });
    // Meta's pixel is not there yet when the bridge starts: it hears the stored grant first, before its init.
    expect(consent(key, win)).toEqual(key === 'metaPixel' ? ['consent:grant'] : [DEFAULT[key], ACCEPTED[key]]);
    if (OWN[key])
      expect(
        told(key, win)
          .map(([c]) => c)
          .indexOf(OWN[key]!),
      ).toBe(consent(key, win).length);
    off();
  });

  test('a decision made before the snippet runs (a held-back tag) reaches the vendor first', () => {
    const { win, off } = setup(key, 'sdk-first', {}, (s) => s.acceptAll());
    expect(consent(key, win)).toEqual(key === 'metaPixel' ? ['consent:grant'] : [DEFAULT[key], ACCEPTED[key]]);
    const calls = told(key, win).map(([c]) => c);
    if (OWN[key]) expect(calls.indexOf(OWN[key]!)).toBe(consent(key, win).length);
    off();
  });

  test('GPC in the opt-out regime: advertising denied from the default on, and accept all does not grant it', () => {
    const { win, store, off } = setup(key, 'sdk-first', { regime: 'opt-out', gpc: true });
    store.acceptAll();
    const said = consent(key, win);
    expect(
      said.some((s) => /granted\/|:granted$|:grant$|grantConsent/.test(s) && !s.startsWith('consentv2:denied/')),
    ).toBe(false);
    off();
  });

  test('the opt-out regime without GPC grants at once, and the Do Not Sell opt-out revokes', () => {
    const { win, store, off } = setup(key, 'sdk-first', { regime: 'opt-out' });
    expect(consent(key, win)[0]).toBe(ACCEPTED[key].replace('update:', 'default:'));
    store.optOut();
    expect(consent(key, win).pop()).toBe(key === 'clarity' ? 'consentv2:denied/granted' : REJECTED[key]);
    off();
  });

  test('two bridges on one window (StrictMode, a hot reload): one default, one update per change', () => {
    const win: Win = {};
    const store = createConsentStore();
    const first = BRIDGES[key](store, { win });
    const second = BRIDGES[key](store, { win });
    run(win, SNIPPETS[key]);
    run(win, LIBRARIES[key]);
    store.acceptAll();
    expect(consent(key, win)).toEqual([DEFAULT[key], ACCEPTED[key]]);
    first();
    second();
  });

  test('two builds on one page (the script tag and an npm bundle), a store each on one cookie: one default, one update per change', async () => {
    const file = { uet: 'uet', clarity: 'clarity', metaPixel: 'meta-pixel', tiktokPixel: 'tiktok-pixel' }[key];
    const name = BRIDGES[key].name as 'createUetBridge';
    const build = async () =>
      ((await import(`../../../src/signals/vendors/${file}.ts`)) as Record<typeof name, typeof createUetBridge>)[name];
    const first = await build();
    vi.resetModules();
    const second = await build();
    expect(second).not.toBe(first);
    const win: Win = {};
    const storage = createMemoryStorage();
    const tag = createConsentStore({ storage });
    const app = createConsentStore({ storage });
    const offs = [first(tag, { win }), second(app, { win })];
    run(win, SNIPPETS[key]);
    run(win, LIBRARIES[key]);
    tag.acceptAll();
    app.refresh();
    expect(consent(key, win)).toEqual([DEFAULT[key], ACCEPTED[key]]);
    app.rejectAll();
    tag.refresh();
    expect(consent(key, win)).toEqual([DEFAULT[key], ACCEPTED[key], REJECTED[key]]);
    offs.forEach((off) => off());
  });
});

describe('vendor bridges: mapping, GPC lock, cleanup', () => {
  test('a refusal still held after its record lapsed is sent as an update on load (opt-out regime)', () => {
    const storage = createMemoryStorage();
    createConsentStore({ storage, regime: 'opt-out', revision: 1 }).rejectAll();
    const store = createConsentStore({ storage, regime: 'opt-out', revision: 2 });
    const win: Win = {};
    const off = createUetBridge(store, { win });
    run(win, SNIPPETS.uet);
    run(win, LIBRARIES.uet);
    expect(consent('uet', win)).toEqual(['default:granted', 'update:denied']);
    off();
  });

  test('the map is configurable; an advertising type stays denied under GPC even when mapped to a category GPC does not cover', () => {
    const win: Win = {};
    const store = createConsentStore({ regime: 'opt-out', gpc: true });
    const off = createUetBridge(store, { win, map: { ad_storage: 'analytics' } });
    const clarity = createClarityBridge(store, { win, map: { analytics_Storage: 'social' } });
    run(win, SNIPPETS.uet);
    run(win, LIBRARIES.uet);
    run(win, LIBRARIES.clarity);
    store.acceptAll();
    expect(consent('uet', win)).toEqual(['default:denied', 'update:denied']);
    // social is sale/share: denied by GPC; analytics_Storage follows it as mapped.
    expect(consent('clarity', win)).toEqual(['consentv2:denied/denied', 'consentv2:denied/denied']);
    off();
    clarity();
  });

  test('Meta: a bridge cleaned up before the pixel arrives leaves fbq alone, and the next bridge waits instead', () => {
    const win: Win = {};
    const store = createConsentStore();
    createMetaPixelBridge(store, { win })();
    expect(Object.getOwnPropertyDescriptor(win, 'fbq')).toBeUndefined();
    const off = createMetaPixelBridge(store, { win });
    run(win, SNIPPETS.metaPixel);
    run(win, LIBRARIES.metaPixel);
    expect(consent('metaPixel', win)).toEqual(['consent:revoke']);
    expect(told('metaPixel', win).map(([c]) => c)).toEqual(['consent', 'init', 'track']);
    off();
    expect(typeof win['fbq']).toBe('function');
  });

  test('a page whose vendor globals are junk (or elements by named access): no exception, and the other bridges still work', () => {
    const win: Win = { uetq: 5, clarity: { q: 1 }, ttq: 'x', fbq: Object.freeze(() => {}) };
    Object.defineProperty(win, 'uetq', {
      get: () => {
        throw new Error('hostile');
      },
      set: () => {},
    });
    const store = createConsentStore();
    const offs = KEYS.map((key) => BRIDGES[key](store, { win }));
    expect(() => store.acceptAll()).not.toThrow();
    const other: Win = {};
    const off = createTikTokPixelBridge(store, { win: other });
    expect(other['ttq']).toEqual([['holdConsent'], ['grantConsent']]);
    offs.forEach((o) => o());
    off();
  });

  test('nothing outside a browser without a window', () => {
    const store = createConsentStore();
    for (const bridge of Object.values(BRIDGES)) expect(bridge(store)).toBeTypeOf('function');
    expect('uetq' in globalThis || 'fbq' in globalThis || 'ttq' in globalThis || 'clarity' in globalThis).toBe(false);
  });
});

describe('signals.vendors configuration', () => {
  test('off unless configured; true or a map turns a vendor on; bad keys warn and are ignored', () => {
    const warnings: string[] = [];
    const config = validateVendorsConfig(
      {
        uet: true,
        clarity: { map: { analytics_Storage: 'stats', nope: 'x' } },
        metaPixel: false,
        linkedin: true,
        tiktokPixel: 'yes',
      },
      (m) => warnings.push(m),
    );
    expect(Object.keys(config).sort()).toEqual(['clarity', 'metaPixel', 'uet']);
    expect(config['metaPixel']).toBe(false);
    expect((config['clarity'] as { map: unknown }).map).toEqual([['analytics_Storage', 'stats']]);
    expect(warnings).toEqual([
      'signals.vendors.clarity.map.nope: invalid key, ignored',
      'signals.vendors.linkedin: unknown key, ignored',
      'signals.vendors.tiktokPixel: invalid value, default used',
    ]);
  });
});
