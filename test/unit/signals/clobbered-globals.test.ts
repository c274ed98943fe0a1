// @vitest-environment happy-dom
// Page markup can make a tag's global an element by named access (`<div id="dataLayer">`,
// `<form name="uetq">`, `<img name="fbq">`): the element sits on the window's prototype chain,
// never as an own property. happy-dom has no named access, so each window here is an object whose
// prototype holds the elements as the browser's named properties object does (writable data
// properties). Whatever the markup, a refusal reaches the queue the vendor's tag reads, first.
import { afterEach, describe, expect, test } from 'vitest';
import { createConsentStore } from '../../../src/core/store';
import { createConsentModeBridge, pushConsentDefault } from '../../../src/signals/consent-mode';
import { announceConsent } from '../../../src/signals/events';
import { createClarityBridge } from '../../../src/signals/vendors/clarity';
import { createMetaPixelBridge } from '../../../src/signals/vendors/meta-pixel';
import { createTikTokPixelBridge } from '../../../src/signals/vendors/tiktok-pixel';
import { createUetBridge } from '../../../src/signals/vendors/uet';
import { LIBRARIES, SNIPPETS, type VendorKey } from '../../support/vendor-snippets';
import { prepareSignals } from '../../../src/entries/boot/signals';

type Win = Record<string, unknown> & { __vendorLog?: Record<VendorKey, unknown[]> };

/** Markup in the page, and a window whose named properties are its elements with an id or name. */
function clobberedWindow(markup: string): Win {
  document.body.innerHTML = markup;
  const named: Record<string, unknown> = {};
  for (const el of document.querySelectorAll('[id], [name]')) {
    const key = el.getAttribute('id') || el.getAttribute('name') || '';
    const previous = named[key];
    // Two elements of one name: the browser answers an HTMLCollection, no queue either.
    named[key] = previous ? document.querySelectorAll(`[id="${key}"], [name="${key}"]`) : el;
  }
  const proto = {};
  for (const [key, value] of Object.entries(named))
    Object.defineProperty(proto, key, { value, writable: true, enumerable: false, configurable: true });
  return Object.create(proto) as Win;
}

const run = (win: Win, source: string) =>
  new Function('window', 'fbq', source)(win, (...a: unknown[]) => (win['fbq'] as (...x: unknown[]) => void)(...a));
const cmds = (dl: unknown) => (dl as unknown[]).map((x) => Array.from(x as IArguments));
const MARKUP = [
  '<div id="dataLayer"></div>',
  '<form name="uetq"><input name="push"></form>',
  '<img name="clarity" src="data:,">',
  '<img name="fbq" src="data:,">',
  '<div id="ttq"></div><div id="ttq"></div>',
  '<div id="gtag"></div>',
].join('');

afterEach(() => {
  document.body.innerHTML = '';
});

describe('Consent Mode with a clobbered dataLayer', () => {
  test('the default lands in an array of the window’s own, which the gtag snippet then keeps', () => {
    const win = clobberedWindow(MARKUP);
    const element = win['dataLayer'];
    expect(element).toBeInstanceOf(HTMLElement);
    expect(pushConsentDefault({ win: win as { dataLayer?: unknown[] } })).toBe(true);
    const dl = Object.getOwnPropertyDescriptor(win, 'dataLayer')?.value as unknown[];
    expect(Array.isArray(dl)).toBe(true);
    expect(cmds(dl)[0]?.slice(0, 2)).toEqual(['consent', 'default']);
    expect(cmds(dl)[0]?.[2]).toMatchObject({ ad_storage: 'denied' });
    // gtag's snippet: `window.dataLayer = window.dataLayer || []; function gtag(){dataLayer.push(arguments);}`
    run(win, 'window.dataLayer = window.dataLayer || []; window.dataLayer.push(["js"]);');
    expect(win['dataLayer']).toBe(dl);
    expect(document.getElementById('dataLayer')).toBe(element);
  });

  test('a refusal after the page’s own snippet stored the element is still pushed, as an update', () => {
    const win = clobberedWindow('<div id="dataLayer"></div>');
    // The page's snippet ran first on the clobbered page: its own property now holds the element.
    run(win, 'window.dataLayer = window.dataLayer || [];');
    expect(win['dataLayer']).toBeInstanceOf(HTMLElement);
    const store = createConsentStore();
    const off = createConsentModeBridge(store, { win: win as { dataLayer?: unknown[] } });
    const announced = announceConsent(store, { win: win as { dataLayer?: unknown[] }, target: document });
    expect(() => store.rejectAll()).not.toThrow();
    const dl = win['dataLayer'] as unknown[];
    expect(Array.isArray(dl)).toBe(true);
    const update = cmds(dl.filter((x) => !Array.isArray(x) && (x as { event?: unknown }).event === undefined))[0];
    expect(update?.slice(0, 2)).toEqual(['consent', 'update']);
    expect(update?.[2]).toMatchObject({ analytics_storage: 'denied' });
    expect(dl.some((x) => (x as { event?: unknown }).event === 'consentline_change')).toBe(true);
    off();
    announced();
  });

  test('the default window: an element named dataLayer on the prototype chain is shadowed', () => {
    const proto = Object.getPrototypeOf(globalThis) as object;
    const element = document.createElement('div');
    Object.defineProperty(proto, 'dataLayer', { value: element, writable: true, configurable: true });
    try {
      expect(Object.prototype.hasOwnProperty.call(globalThis, 'dataLayer')).toBe(false);
      expect(pushConsentDefault()).toBe(true);
      const dl = (globalThis as { dataLayer?: unknown }).dataLayer;
      expect(Array.isArray(dl)).toBe(true);
      expect(cmds(dl)[0]?.slice(0, 2)).toEqual(['consent', 'default']);
    } finally {
      delete (globalThis as { dataLayer?: unknown }).dataLayer;
      delete (proto as { dataLayer?: unknown }).dataLayer;
    }
  });

  test('a dataLayer that can be neither used nor replaced: no exception, and false', () => {
    const win: Win = {};
    Object.defineProperty(win, 'dataLayer', { value: 'junk', writable: false, configurable: false });
    expect(() => pushConsentDefault({ win: win as { dataLayer?: unknown[] } })).not.toThrow();
    expect(pushConsentDefault({ win: win as { dataLayer?: unknown[] } })).toBe(false);
  });
});

describe('vendor bridges with clobbered globals', () => {
  const BRIDGES = {
    uet: createUetBridge,
    clarity: createClarityBridge,
    metaPixel: createMetaPixelBridge,
    tiktokPixel: createTikTokPixelBridge,
  };
  // What each vendor's library read first and last, in its own words.
  const heard = (key: VendorKey, win: Win): string[] => {
    const log = win.__vendorLog?.[key] ?? [];
    if (key === 'uet') {
      const out: string[] = [];
      for (let i = 0; i < log.length; i++)
        if (log[i] === 'consent') out.push(`${log[i + 1]}:${(log[i + 2] as { ad_storage: string }).ad_storage}`);
      return out;
    }
    if (key === 'clarity')
      return (log as Array<[string, Record<string, string>]>)
        .filter(([c]) => c === 'consentv2')
        .map(([, v]) => `${v['ad_Storage']}/${v['analytics_Storage']}`);
    if (key === 'metaPixel') return (log as string[][]).filter(([c]) => c === 'consent').map(([, v]) => `consent:${v}`);
    return (log as string[][]).map(([c]) => c as string).filter((c) => /Consent$/.test(c));
  };

  test.each(Object.keys(BRIDGES) as VendorKey[])(
    '%s: the refusal reaches the vendor’s library first, snippet after the SDK',
    (key) => {
      const win = clobberedWindow(MARKUP);
      const store = createConsentStore();
      const off = BRIDGES[key](store, { win });
      expect(() => store.rejectAll()).not.toThrow();
      run(win, SNIPPETS[key]);
      run(win, LIBRARIES[key]);
      const expected: Record<VendorKey, string[]> = {
        uet: ['default:denied', 'update:denied'],
        clarity: ['denied/denied', 'denied/denied'],
        metaPixel: ['consent:revoke'],
        tiktokPixel: ['holdConsent', 'revokeConsent'],
      };
      expect(heard(key, win)).toEqual(expected[key]);
      off();
    },
  );
});

describe('the script tag with a dataLayer whose push throws', () => {
  test('a frozen dataLayer does not stop the signals, nor the SDK that starts after them', () => {
    const w = window as unknown as { dataLayer?: unknown };
    w.dataLayer = Object.freeze([]);
    const warnings: string[] = [];
    try {
      const early = prepareSignals({ regime: 'opt-out' }, (m) => warnings.push(m), undefined);
      expect(early.regime).toBe('opt-out');
    } finally {
      delete w.dataLayer;
    }
  });
});
