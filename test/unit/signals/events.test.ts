// @vitest-environment happy-dom
// announceConsent: the DOM event and the dataLayer event on the npm path, as the script tag sends them.
import { afterEach, describe, expect, test, vi } from 'vitest';
import { createMemoryStorage } from '../../../src/core/memory-storage';
import { createConsentStore } from '../../../src/core/store';
import { announceConsent } from '../../../src/signals/events';

type Win = { dataLayer?: unknown[] };
const w = window as unknown as Win;

afterEach(() => {
  delete w.dataLayer;
});

const listen = () => {
  const seen: CustomEvent[] = [];
  const on = (e: Event) => seen.push(e as CustomEvent);
  document.addEventListener('consentline:change', on);
  return { seen, off: () => document.removeEventListener('consentline:change', on) };
};
const pushes = () =>
  (w.dataLayer ?? []).filter((x) => (x as { event?: string }).event === 'consentline_change') as Array<{
    consentline: Record<string, unknown>;
  }>;

describe('announceConsent', () => {
  test('every change: a consentline:change event with the state, and a consentline_change dataLayer push', () => {
    const { seen, off } = listen();
    const store = createConsentStore({ regime: 'opt-out', gpc: true });
    const stop = announceConsent(store);
    expect(seen).toHaveLength(0);
    expect(w.dataLayer).toBeUndefined();
    store.set({ analytics: false });
    expect(seen).toHaveLength(1);
    expect(seen[0]!.detail).toBe(store.get());
    expect(pushes()).toEqual([
      {
        event: 'consentline_change',
        consentline: {
          grants: { necessary: true, analytics: false, advertising: false, social: false },
          method: 'api',
          gpc: true,
          optedOut: true,
          regime: 'opt-out',
        },
      },
    ]);
    store.reset();
    expect(pushes()[1]!.consentline['method']).toBeNull();
    stop();
    store.acceptAll();
    expect(seen).toHaveLength(2);
    expect(pushes()).toHaveLength(2);
    off();
  });

  test('called twice on one store (hot reload, StrictMode): each change announced once', () => {
    const { seen, off } = listen();
    const store = createConsentStore();
    const first = announceConsent(store);
    const second = announceConsent(store);
    store.acceptAll();
    expect(seen).toHaveLength(1);
    expect(pushes()).toHaveLength(1);
    first();
    store.rejectAll();
    expect(seen).toHaveLength(2);
    expect(pushes()).toHaveLength(2);
    second();
    off();
  });

  test('two builds on one page (the script tag and the npm package), each with a store on one cookie: each change announced once', async () => {
    const { seen, off } = listen();
    const first = await import('../../../src/signals/events');
    vi.resetModules();
    const second = await import('../../../src/signals/events');
    expect(second).not.toBe(first);
    const storage = createMemoryStorage();
    const tag = createConsentStore({ storage });
    const app = createConsentStore({ storage });
    const stops = [first.announceConsent(tag), second.announceConsent(app)];
    tag.acceptAll();
    app.refresh();
    expect([seen.length, pushes().length]).toEqual([1, 1]);
    app.rejectAll();
    tag.refresh();
    expect([seen.length, pushes().length]).toEqual([2, 2]);
    expect(pushes()[1]!.consentline).toMatchObject({ grants: { analytics: false } });
    stops.forEach((stop) => stop());
    off();
  });

  test('a given target and window receive them instead', () => {
    const target = new EventTarget();
    const win: Win = {};
    const seen: Event[] = [];
    target.addEventListener('consentline:change', (e) => seen.push(e));
    const store = createConsentStore();
    const stop = announceConsent(store, { target, win });
    store.acceptAll();
    expect(seen).toHaveLength(1);
    expect(win.dataLayer).toHaveLength(1);
    expect(w.dataLayer).toBeUndefined();
    stop();
  });

  test('a page that broke CustomEvent still gets the dataLayer push', () => {
    const original = window.CustomEvent;
    (window as unknown as { CustomEvent: unknown }).CustomEvent = function () {
      throw new Error('broken');
    };
    try {
      const store = createConsentStore();
      const stop = announceConsent(store);
      store.acceptAll();
      expect(pushes()).toHaveLength(1);
      stop();
    } finally {
      window.CustomEvent = original;
    }
  });
});
