// Two Consent Mode bridges on one store (a hot module reload, React StrictMode mounting twice)
// push each update once.
import { describe, expect, test, vi } from 'vitest';
import { createMemoryStorage } from '../../../src/core/memory-storage';
import { createConsentStore } from '../../../src/core/store';
import { createConsentModeBridge } from '../../../src/signals/consent-mode';

const updates = (win: { dataLayer?: unknown[] }) =>
  (win.dataLayer ?? []).map((x) => Array.from(x as IArguments)).filter(([c, k]) => c === 'consent' && k === 'update');

describe('createConsentModeBridge on one store, more than once', () => {
  test('two bridges push every change once; either cleanup alone keeps the updates coming; both stop them', () => {
    const win: { dataLayer?: unknown[] } = {};
    const store = createConsentStore();
    const first = createConsentModeBridge(store, { win });
    const second = createConsentModeBridge(store, { win });
    store.acceptAll();
    expect(updates(win)).toHaveLength(1);
    store.rejectAll();
    expect(updates(win)).toHaveLength(2);
    first();
    store.set({ analytics: true });
    expect(updates(win)).toHaveLength(3);
    second();
    store.acceptAll();
    expect(updates(win)).toHaveLength(3);
  });

  test('mount, unmount, mount (StrictMode) with a stored decision: one update on load, then one per change', () => {
    const win: { dataLayer?: unknown[] } = {};
    const storage = createMemoryStorage();
    createConsentStore({ storage }).acceptAll();
    const store = createConsentStore({ storage });
    createConsentModeBridge(store, { win })();
    const off = createConsentModeBridge(store, { win });
    expect(updates(win)).toHaveLength(1);
    store.rejectAll();
    expect(updates(win)).toHaveLength(2);
    expect(updates(win)[1]![2]).toMatchObject({ analytics_storage: 'denied' });
    off();
  });

  test('a decision equal to the last one is still pushed: a new decision is a new state', () => {
    const win: { dataLayer?: unknown[] } = {};
    const store = createConsentStore();
    const off = createConsentModeBridge(store, { win });
    store.acceptAll();
    store.acceptAll();
    expect(updates(win)).toHaveLength(2);
    off();
  });

  test('bridges of two stores, or to two windows, are independent', () => {
    const a: { dataLayer?: unknown[] } = {};
    const b: { dataLayer?: unknown[] } = {};
    const store = createConsentStore();
    const other = createConsentStore();
    const offs = [
      createConsentModeBridge(store, { win: a }),
      createConsentModeBridge(store, { win: b }),
      createConsentModeBridge(other, { win: a }),
    ];
    store.acceptAll();
    other.rejectAll();
    expect(updates(a)).toHaveLength(2);
    expect(updates(b)).toHaveLength(1);
    offs.forEach((off) => off());
  });
});

describe('createConsentModeBridge of two builds on one page, each with a store of its own on one cookie', () => {
  // The script tag and the npm package: two copies of the module, two stores, one cookie.
  const twoBuilds = async () => {
    const first = await import('../../../src/signals/consent-mode');
    vi.resetModules();
    const second = await import('../../../src/signals/consent-mode');
    expect(second).not.toBe(first);
    return [first, second] as const;
  };

  test('push a stored decision once on load, and each change once, whichever store made it', async () => {
    const win: { dataLayer?: unknown[] } = {};
    const storage = createMemoryStorage();
    createConsentStore({ storage }).acceptAll();
    const [first, second] = await twoBuilds();
    const tag = createConsentStore({ storage });
    const app = createConsentStore({ storage });
    const offs = [first.createConsentModeBridge(tag, { win }), second.createConsentModeBridge(app, { win })];
    expect(updates(win)).toHaveLength(1);
    // The other store reads the change from the cookie (its storage's watch, as a BroadcastChannel tells it).
    tag.rejectAll();
    app.refresh();
    expect(updates(win)).toHaveLength(2);
    expect(updates(win)[1]![2]).toMatchObject({ analytics_storage: 'denied' });
    app.set({ analytics: true });
    tag.refresh();
    expect(updates(win)).toHaveLength(3);
    expect(updates(win)[2]![2]).toMatchObject({ analytics_storage: 'granted' });
    // A new decision granting what the last one did is pushed, once.
    tag.set({ analytics: true });
    app.refresh();
    expect(updates(win)).toHaveLength(4);
    offs.forEach((off) => off());
  });

  test('a window that cannot keep the record (frozen) still gets every update', () => {
    const dataLayer: unknown[] = [];
    const win = Object.freeze({ dataLayer });
    const store = createConsentStore();
    const off = createConsentModeBridge(store, { win });
    store.acceptAll();
    store.rejectAll();
    expect(updates(win)).toHaveLength(2);
    off();
  });
});
