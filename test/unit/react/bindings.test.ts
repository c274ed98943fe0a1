// @vitest-environment happy-dom
// @vitest-environment-options { "url": "http://shop.example.com/" }
import { act, createElement as h, Fragment, StrictMode, Suspense, useSyncExternalStore, type ReactNode } from 'react';
import { createRoot, hydrateRoot, type Root } from 'react-dom/client';
import { renderToString } from 'react-dom/server';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createConsentStore, type ConsentStore } from '../../../src/core/store';
import { createMemoryStorage } from '../../../src/core/memory-storage';
import { readConsentCookie } from '../../../src/core/read-cookie';
import type { ConsentState } from '../../../src/core/types';
import { mountConsentUi } from '../../../src/ui/mount';
import {
  ConsentBanner,
  ConsentGate,
  ConsentProvider,
  TrackingNumbers,
  useCategory,
  useConsent,
  useConsentStore,
  useConsentUi,
  useTrackingNumber,
} from '../../../src/react/index';
import { countingStore } from '../../support/counting-store';
import {
  firstLayerLanguages,
  firstLayerLanguagesOf,
  onArabicPage,
  SOME_ARABIC,
  SOME_ARABIC_LAID_OUT,
} from '../../support/first-layer-languages';
import { countPageListeners } from '../../support/page-listeners';
import { SERVER_RENDERERS } from '../../support/react-stream';
import { shownBanners, shownWithoutHas } from '../../support/shown-banners';

beforeAll(() => {
  (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
});

let root: Root | undefined;
afterEach(() => {
  act(() => root?.unmount());
  root = undefined;
  document.body.replaceChildren();
  for (const c of document.cookie.split('; ')) document.cookie = `${c.split('=')[0]}=;max-age=-1;path=/`;
  localStorage.clear();
  vi.restoreAllMocks();
  vi.useRealTimers();
});

function render(node: ReactNode, strict = true): HTMLElement {
  const container = document.body.appendChild(document.createElement('main'));
  root = createRoot(container);
  act(() => root!.render(strict ? h(StrictMode, null, node) : node));
  return container;
}

function Status() {
  const state = useConsent();
  const analytics = useCategory('analytics');
  return h('p', { id: 'status' }, `${state.needsDecision ? 'undecided' : 'decided'} analytics=${analytics}`);
}

describe('ConsentProvider, useConsent, useCategory', () => {
  it('re-render consumers on every change of the store', () => {
    const store = createConsentStore();
    const container = render(h(ConsentProvider, { store }, h(Status)));
    expect(container.textContent).toBe('undecided analytics=false');
    act(() => {
      store.acceptAll();
    });
    expect(container.textContent).toBe('decided analytics=true');
    act(() => {
      store.set({ analytics: false });
    });
    expect(container.textContent).toBe('decided analytics=false');
  });

  it('hold exactly one listener per consumer under StrictMode, and none after unmount', () => {
    const store = countingStore();
    render(h(ConsentProvider, { store }, h(Status)));
    // useConsent and useCategory: one subscription each, however often StrictMode re-ran effects.
    expect(store.listeners()).toBe(2);
    act(() => root!.unmount());
    root = undefined;
    expect(store.listeners()).toBe(0);
  });

  it('take a decision that lapses while the page is open without updating another component during a render', async () => {
    let t = Date.UTC(2026, 0, 1);
    const store = createConsentStore({ now: () => t, consentDays: 1 });
    store.acceptAll();
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const Header = () => h('p', { id: 'header' }, useConsent().needsDecision ? 'ask' : 'decided');
    const container = render(h(ConsentProvider, { store }, h(Status), h(Header)));
    expect(container.textContent).toBe('decided analytics=truedecided');
    t += 2 * 86_400_000;
    // Any render reads the store again; the decision it finds has ended.
    await act(async () => root!.render(h(StrictMode, null, h(ConsentProvider, { store }, h(Status), h(Header)))));
    expect(container.textContent).toBe('undecided analytics=falseask');
    expect(errors.mock.calls.map((c) => String(c[0]))).toEqual([]);
  });

  it('create a store from options that keeps the decision in the consent cookie', () => {
    let shared: ConsentStore | undefined;
    const Grab = () => {
      shared = useConsentStore();
      return null;
    };
    render(h(ConsentProvider, { options: { categories: [{ id: 'chat' }] } }, h(Grab), h(Status)));
    act(() => {
      shared!.set({ analytics: true, chat: true });
    });
    expect(document.body.textContent).toBe('decided analytics=true');
    expect(document.cookie).toMatch(/^consentline=.*analytics:1/);
    expect(shared!.categories.map((c) => c.id)).toContain('chat');
  });

  it('watch other tabs once from a store made from options under StrictMode, and not at all after unmount', () => {
    const page = countPageListeners();
    try {
      render(h(ConsentProvider, { options: {} }, h(Status)));
      // React's own listener (selectionchange) is not ours.
      const { 'document selectionchange': _react, ...ours } = page.running();
      expect(ours).toEqual({ 'window focus': 1, 'document visibilitychange': 1, channels: 1 });
      act(() => root!.unmount());
      root = undefined;
      const { 'document selectionchange': _stays, ...left } = page.running();
      expect(left).toEqual({});
    } finally {
      page.stop();
    }
  });

  it('keep two apps on one page with stores of their own in step, with one banner between them', async () => {
    const other = document.body.appendChild(document.createElement('aside'));
    const otherRoot = createRoot(other);
    try {
      render(h(ConsentProvider, { options: {} }, h(Status), h(ConsentBanner)));
      act(() =>
        otherRoot.render(h(StrictMode, null, h(ConsentProvider, { options: {} }, h(Status), h(ConsentBanner)))),
      );
      expect(document.querySelectorAll('#consentline [role="region"]').length).toBe(1);
      act(() => document.querySelector<HTMLButtonElement>('#consentline button')!.click());
      // The other app's store hears the change from the first one's storage (BroadcastChannel).
      await act(() => new Promise((done) => setTimeout(done, 20)));
      expect([document.querySelector('main')!.textContent, other.textContent]).toEqual([
        'decided analytics=true',
        'decided analytics=true',
      ]);
    } finally {
      act(() => otherRoot.unmount());
    }
  });

  it('follow a new store given to the provider (hot reload re-creates a module-level store), leaving the old one', () => {
    const before = countingStore();
    const after = createConsentStore();
    after.acceptAll();
    render(h(ConsentProvider, { store: before }, h(Status), h(ConsentBanner)));
    expect(document.querySelector('#status')!.textContent).toBe('undecided analytics=false');
    act(() => root!.render(h(StrictMode, null, h(ConsentProvider, { store: after }, h(Status), h(ConsentBanner)))));
    expect(document.querySelector('#status')!.textContent).toBe('decided analytics=true');
    expect(document.querySelector('#consentline [role="region"]')).toBeNull();
    expect(before.listeners()).toBe(0);
  });

  it('throw a named error outside a provider, and without a store or options', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(() => render(h(Status), false)).toThrow(/useConsent: no store/);
    expect(() => render(h(ConsentProvider, {}), false)).toThrow(/ConsentProvider: expected a `store` or `options`/);
  });
});

describe('ConsentGate', () => {
  it('shows its children only while the category is granted', () => {
    const store = createConsentStore();
    const container = render(
      h(
        ConsentProvider,
        { store },
        h(ConsentGate, { category: 'social', fallback: h('span', null, 'blocked') }, h('iframe', { title: 'video' })),
      ),
    );
    expect(container.innerHTML).toBe('<span>blocked</span>');
    act(() => {
      store.acceptAll();
    });
    expect(container.innerHTML).toBe('<iframe title="video"></iframe>');
    act(() => {
      store.rejectAll();
    });
    expect(container.innerHTML).toBe('<span>blocked</span>');
  });

  it('offers an in-place allow button that grants that category only', () => {
    const store = createConsentStore();
    const container = render(
      h(ConsentProvider, { store }, h(ConsentGate, { category: 'social', allowButton: true }, 'shown')),
    );
    const button = container.querySelector('button')!;
    expect(button.textContent).toBe('Allow social');
    act(() => button.click());
    expect(container.textContent).toBe('shown');
    expect(store.get().grants).toMatchObject({ social: true, analytics: false, advertising: false });
    expect(store.get().decision?.method).toBe('embed');
  });

  it('offers no allow button while GPC keeps a sale/share category off', () => {
    const store = createConsentStore({ gpc: true });
    const container = render(
      h(
        ConsentProvider,
        { store },
        h(ConsentGate, { category: 'advertising', allowButton: 'Load ads', fallback: 'off' }, 'ads'),
      ),
    );
    expect(container.innerHTML).toBe('off');
  });

  it('offers no allow button for a sale/share category after a Do Not Sell opt-out', () => {
    const store = createConsentStore();
    store.optOut('opt-out');
    const container = render(
      h(
        ConsentProvider,
        { store },
        h(ConsentGate, { category: 'social', allowButton: 'Load video', fallback: 'off' }, 'video'),
      ),
    );
    expect(container.innerHTML).toBe('off');
  });
});

describe('ConsentBanner', () => {
  it('mounts one banner under StrictMode and removes it on unmount', () => {
    // What the UI holds mounted once without React (alone on the page, so it draws).
    const alone = countingStore();
    const ui = mountConsentUi(alone);
    const once = alone.listeners();
    ui();
    const store = countingStore();
    render(h(ConsentProvider, { store }, h(ConsentBanner)));
    expect(document.querySelectorAll('#consentline').length).toBe(1);
    expect(document.querySelectorAll('#consentline [role="region"]').length).toBe(1);
    // That, plus ConsentBanner's useConsent.
    expect(store.listeners()).toBe(once + 1);
    act(() => root!.unmount());
    root = undefined;
    expect(document.querySelector('#consentline')).toBeNull();
    expect(store.listeners()).toBe(0);
  });

  it('puts no copy of the banner (nor its <style>) into a page rendered in the browser: the live UI is the banner', () => {
    const store = createConsentStore();
    // Every element that entered the document, with what it held then.
    const added: string[] = [];
    const note = (records: MutationRecord[]) => {
      for (const r of records)
        r.addedNodes.forEach((n) => {
          if (n instanceof Element) added.push(n.nodeName, ...[...n.querySelectorAll('*')].map((e) => e.nodeName));
        });
    };
    const seen = new MutationObserver(note);
    seen.observe(document.body, { childList: true, subtree: true });
    render(h(ConsentProvider, { store }, h(ConsentBanner, { lang: 'en' })));
    note(seen.takeRecords());
    seen.disconnect();
    // A <style> element is refused (and reported) under a style-src without 'unsafe-inline'.
    expect(added).not.toContain('STYLE');
    expect(document.querySelector('main')!.children.length).toBe(0);
    expect(document.querySelectorAll('#consentline [role="region"]').length).toBe(1);
  });

  it('hides the banner once the visitor decides', () => {
    const store = createConsentStore();
    render(h(ConsentProvider, { store }, h(ConsentBanner)));
    act(() => {
      (document.querySelector('#consentline button') as HTMLButtonElement).click();
    });
    expect(store.get().grants['analytics']).toBe(true);
    expect(document.querySelector('#consentline [role="region"]')).toBeNull();
  });
});

describe('ConsentBanner beside useConsentUi', () => {
  // A footer that wants a "Cookie settings" button gets showPreferences from useConsentUi, which
  // mounts the UI too: the page then has two mounts of it.
  function Footer() {
    const { showPreferences } = useConsentUi();
    return h('button', { id: 'settings', type: 'button', onClick: showPreferences }, 'Cookie settings');
  }
  const App = ({ banner = true }: { banner?: boolean }) =>
    h(Fragment, null, banner && h(ConsentBanner, { privacyPolicyUrl: '/privacy' }), h(Footer));

  it("opens the preferences from either mount, with one placeholder per embed and the first mount's options", () => {
    const store = createConsentStore();
    const embed = document.body.appendChild(document.createElement('img'));
    Object.assign(embed.dataset, { category: 'social', src: 'https://www.youtube.com/embed/x' });
    render(h(ConsentProvider, { store }, h(App)));
    expect(document.querySelectorAll('[role="region"]').length).toBe(1);
    expect(document.querySelector('#consentline a')?.getAttribute('href')).toBe('/privacy');
    act(() => document.querySelector<HTMLButtonElement>('#settings')!.click());
    expect(document.querySelectorAll('dialog[open]').length).toBe(1);
    expect(document.querySelectorAll('.consentline-ph').length).toBe(1);
  });

  it('keeps the UI on the page when the mount that drew it goes and another stays', () => {
    const store = createConsentStore();
    render(h(ConsentProvider, { store }, h(App)));
    act(() => root!.render(h(StrictMode, null, h(ConsentProvider, { store }, h(App, { banner: false })))));
    expect(document.querySelectorAll('#consentline [role="region"]').length).toBe(1);
    act(() => document.querySelector<HTMLButtonElement>('#settings')!.click());
    expect(document.querySelectorAll('dialog[open]').length).toBe(1);
    act(() => root!.unmount());
    root = undefined;
    expect(document.querySelector('#consentline')).toBeNull();
  });
});

describe('server rendering and hydration', () => {
  const accepted = () => {
    const store = createConsentStore({ storage: createMemoryStorage() });
    store.acceptAll();
    return store;
  };

  /** Renders `app` to HTML as a server would (`renderToString` unless told), then hydrates it; returns the hydration errors. */
  async function hydrate(
    server: ReactNode,
    client: ReactNode,
    toHtml: (node: ReactNode) => Promise<string> = SERVER_RENDERERS.renderToString,
  ): Promise<unknown[]> {
    const html = await toHtml(h(StrictMode, null, server));
    const container = document.body.appendChild(document.createElement('main'));
    container.innerHTML = html;
    const errors: unknown[] = [];
    vi.spyOn(console, 'error').mockImplementation((...args) => errors.push(args));
    await act(async () => {
      root = hydrateRoot(container, h(StrictMode, null, client), { onRecoverableError: (e) => errors.push(e) });
    });
    // The banner's copy goes a task after hydration.
    await act(() => new Promise((done) => setTimeout(done)));
    // Here one JavaScript realm runs both of React's renderers, as a server and a browser never do:
    // the streaming renderer leaves its mark on each context it rendered, and React's client warns.
    return errors.filter((e) => !String(Array.isArray(e) ? e[0] : e).includes('multiple renderers concurrently'));
  }

  it('hydrates a returning visitor with the server state read from the cookie, then follows the store', async () => {
    const store = accepted();
    // What readConsentCookie gives the server for this visitor's cookie (proved equal below).
    const serverState = store.get();
    const tree = (s: ConsentStore) =>
      h(
        ConsentProvider,
        { store: s, serverState },
        h(Status),
        h(ConsentGate, { category: 'analytics', fallback: 'off' }, 'on'),
      );
    const errors = await hydrate(tree(createConsentStore()), tree(store));
    expect(errors).toEqual([]);
    expect(document.querySelector('main')!.textContent).toBe('decided analytics=trueon');
  });

  it('matches the state readConsentCookie gives for the cookie header the browser store wrote', async () => {
    const store = createConsentStore({
      storage: (await import('../../../src/storage/cookie-storage')).createCookieStorage(),
    });
    store.set({ analytics: true });
    const serverState = readConsentCookie(document.cookie, { secure: false });
    expect(serverState).toEqual(store.get());
  });

  it('a naive useSyncExternalStore(subscribe, get, get) does mismatch for a returning visitor (what the server state prevents)', async () => {
    const Naive = ({ store }: { store: ConsentStore }) => {
      const s = useSyncExternalStore(store.subscribe, store.get, store.get);
      return h('p', null, s.grants['analytics'] ? 'on' : 'off');
    };
    const errors = await hydrate(h(Naive, { store: createConsentStore() }), h(Naive, { store: accepted() }));
    expect(errors.length).toBeGreaterThan(0);
  });

  it.each(Object.entries(SERVER_RENDERERS))(
    'renders a first visit with the banner copy in the HTML (%s), and hands over to the live UI with one banner',
    async (_name, toHtml) => {
      const store = createConsentStore();
      const serverState = readConsentCookie('');
      const html = await toHtml(
        h(ConsentProvider, { store, serverState }, h(ConsentBanner, { lang: 'en', privacyPolicyUrl: '/privacy' })),
      );
      expect(html).toContain('id="consentline"');
      expect(html).toContain('Accept all');
      expect(html).toContain('href="/privacy"');
      const errors = await hydrate(
        h(ConsentProvider, { store: createConsentStore(), serverState }, h(ConsentBanner, { lang: 'en' })),
        h(ConsentProvider, { store, serverState }, h(ConsentBanner, { lang: 'en' })),
        toHtml,
      );
      expect(errors).toEqual([]);
      expect(document.querySelectorAll('#consentline').length).toBe(1);
      expect(document.querySelectorAll('[role="region"]').length).toBe(1);
      expect(document.querySelector('main')!.children.length).toBe(0);
    },
  );

  it.each(
    Object.keys(SERVER_RENDERERS).flatMap((renderer) =>
      [
        ['Reject all', { method: 'banner', analytics: false, dialogs: 0 }] as const,
        ['Accept all', { method: 'banner', analytics: true, dialogs: 0 }] as const,
        ['Customize', { method: undefined, analytics: false, dialogs: 1 }] as const,
      ].map(([name, expected]) => [name, renderer as keyof typeof SERVER_RENDERERS, expected] as const),
    ),
  )(
    "acts on a click on the copy's %s (HTML from %s) made while React hydrates (React hydrates at once and hands it the click)",
    async (name, renderer, expected) => {
      const serverState = readConsentCookie('');
      const banner = (s: ConsentStore) =>
        h(ConsentProvider, { store: s, serverState }, h(ConsentBanner, { lang: 'en' }));
      const container = document.body.appendChild(document.createElement('main'));
      container.innerHTML = await SERVER_RENDERERS[renderer](banner(createConsentStore()));
      const store = createConsentStore();
      vi.spyOn(console, 'error').mockImplementation(() => {});
      // Not inside act: hydration is under way, not done, when the visitor clicks.
      root = hydrateRoot(container, banner(store));
      [...container.querySelectorAll('button')].find((b) => b.textContent === name)!.click();
      await act(() => new Promise((done) => setTimeout(done)));
      expect({
        method: store.get().decision?.method,
        analytics: store.get().grants['analytics'],
        dialogs: document.querySelectorAll('dialog[open]').length,
      }).toEqual(expected);
      expect(container.children.length).toBe(0);
      expect(document.querySelectorAll('#consentline').length).toBe(1);
    },
  );

  it.each(Object.entries(SERVER_RENDERERS))(
    'puts one copy of the banner in the HTML (%s) when a page renders two ConsentBanners, and hydrates it without a mismatch',
    async (_name, toHtml) => {
      const serverState = readConsentCookie('');
      const page = (s: ConsentStore) =>
        h(
          ConsentProvider,
          { store: s, serverState },
          h('header', null, h(ConsentBanner, { lang: 'en' })),
          h(Status),
          h('footer', null, h(ConsentBanner, { lang: 'en' })),
        );
      const html = await toHtml(page(createConsentStore()));
      expect(html.split('id="consentline"').length - 1).toBe(1);
      expect(html.split('role="region"').length - 1).toBe(1);
      const store = createConsentStore();
      const errors = await hydrate(page(createConsentStore()), page(store), toHtml);
      expect(errors).toEqual([]);
      expect(document.querySelectorAll('#consentline').length).toBe(1);
      expect(document.querySelectorAll('[role="region"]').length).toBe(1);
    },
  );

  it('renders the banner copy for an undecided visitor in the opt-out regime too, where the live UI shows its notice', async () => {
    const store = createConsentStore({ regime: 'opt-out' });
    const serverState = readConsentCookie('', { regime: 'opt-out' });
    const html = await SERVER_RENDERERS.renderToString(
      h(ConsentProvider, { store, serverState }, h(ConsentBanner, { lang: 'en' })),
    );
    expect(html).toContain('id="consentline"');
    const errors = await hydrate(
      h(
        ConsentProvider,
        { store: createConsentStore({ regime: 'opt-out' }), serverState },
        h(ConsentBanner, { lang: 'en' }),
      ),
      h(ConsentProvider, { store, serverState }, h(ConsentBanner, { lang: 'en' })),
    );
    expect(errors).toEqual([]);
    expect(document.querySelectorAll('[role="region"]').length).toBe(1);
    expect(document.querySelector('main')!.children.length).toBe(0);
  });

  it("gives the copy's <style> the nonce of the page's CSP, and hydrates it without a warning", async () => {
    const store = createConsentStore();
    const banner = (s: ConsentStore) =>
      h(
        ConsentProvider,
        { store: s, serverState: readConsentCookie('') },
        h(ConsentBanner, { lang: 'en', nonce: 'n0nce' }),
      );
    expect(await SERVER_RENDERERS.renderToString(banner(store))).toContain('<style nonce="n0nce">');
    // Browsers give every element a `nonce` property, which React compares when hydrating (the
    // attribute reads empty once a policy applies); happy-dom has none.
    Object.defineProperty(HTMLElement.prototype, 'nonce', {
      configurable: true,
      get(this: HTMLElement) {
        return this.getAttribute('nonce') ?? '';
      },
    });
    try {
      expect(await hydrate(banner(createConsentStore()), banner(store))).toEqual([]);
    } finally {
      delete (HTMLElement.prototype as { nonce?: string }).nonce;
    }
  });

  it('renders the copy of strings given without `lang` in the page’s language and direction, as the live UI takes them, and hydrates it without a mismatch', () =>
    onArabicPage(async () => {
      const serverState = readConsentCookie('');
      const banner = (s: ConsentStore) =>
        h(ConsentProvider, { store: s, serverState }, h(ConsentBanner, { strings: SOME_ARABIC }));
      const html = await SERVER_RENDERERS.renderToString(banner(createConsentStore()));
      expect(firstLayerLanguagesOf(html)).toEqual(SOME_ARABIC_LAID_OUT);
      const errors = await hydrate(banner(createConsentStore()), banner(createConsentStore()));
      expect(errors).toEqual([]);
      expect(firstLayerLanguages(document.querySelector('#consentline')!)).toEqual(SOME_ARABIC_LAID_OUT);
    }));

  it("renders no copy when the server did not read the visitor's cookie (a static page): a returning visitor would see a dead banner until hydration", async () => {
    const store = accepted();
    const html = renderToString(h(ConsentProvider, { store: createConsentStore() }, h(ConsentBanner, { lang: 'en' })));
    expect(html).not.toContain('id="consentline"');
    const errors = await hydrate(
      h(ConsentProvider, { store: createConsentStore() }, h(ConsentBanner, { lang: 'en' })),
      h(ConsentProvider, { store }, h(ConsentBanner, { lang: 'en' })),
    );
    expect(errors).toEqual([]);
    expect(document.querySelector('[role="region"]')).toBeNull();
  });

  it('shows a first visitor of a static page the live banner once hydrated', async () => {
    const store = createConsentStore();
    const errors = await hydrate(
      h(ConsentProvider, { store: createConsentStore() }, h(ConsentBanner, { lang: 'en' })),
      h(ConsentProvider, { store }, h(ConsentBanner, { lang: 'en' })),
    );
    expect(errors).toEqual([]);
    expect(document.querySelectorAll('#consentline [role="region"]').length).toBe(1);
  });

  /** Starts noting the banner copies put into `container`; returns what it noted so far (their HTML). */
  const watchCopies = (container: Element) => {
    const added: string[] = [];
    const seen = new MutationObserver((records) => {
      for (const r of records)
        r.addedNodes.forEach((n) => {
          if (n instanceof Element && (n.matches('#consentline') || n.querySelector('#consentline')))
            added.push(n.outerHTML.slice(0, 80));
        });
    });
    seen.observe(container, { childList: true, subtree: true });
    return () => {
      seen.disconnect();
      return added;
    };
  };
  /** Hydration errors and warnings while `run` goes, as `hydrate` above counts them. */
  async function problemsOf(run: (errors: unknown[]) => Promise<void>): Promise<unknown[]> {
    const errors: unknown[] = [];
    vi.spyOn(console, 'error').mockImplementation((...args) => errors.push(args));
    await run(errors);
    return errors.filter((e) => !String(Array.isArray(e) ? e[0] : e).includes('multiple renderers concurrently'));
  }

  it.each(
    Object.keys(SERVER_RENDERERS).flatMap((renderer) =>
      (['first', 'second'] as const).map((first) => [renderer as keyof typeof SERVER_RENDERERS, first] as const),
    ),
  )(
    'puts one copy in the HTML (%s) of a page whose islands share its server state, and hydrates with the %s island first, one banner shown throughout',
    async (renderer, first) => {
      const serverState = readConsentCookie('');
      // An island as Astro renders one: a root of its own, with its own `useId` prefix.
      const island = (s: ConsentStore, state: ConsentState) =>
        h(ConsentProvider, { store: s, serverState: state }, h('p', null, 'island'), h(ConsentBanner, { lang: 'en' }));
      const prefixes = ['r0', 'r1'];
      const html: string[] = [];
      for (const identifierPrefix of prefixes)
        html.push(await SERVER_RENDERERS[renderer](island(createConsentStore(), serverState), { identifierPrefix }));
      expect(html.join('').split('id="consentline"').length - 1).toBe(1);
      const containers = html.map((part) => {
        const container = document.body.appendChild(document.createElement('section'));
        container.innerHTML = part;
        return container;
      });
      const roots: Root[] = [];
      const store = createConsentStore();
      const errors = await problemsOf(async (errors) => {
        for (const i of first === 'first' ? [0, 1] : [1, 0]) {
          // Each island gets the server state as its framework passes props: serialized, a copy of its own.
          const state = JSON.parse(JSON.stringify(serverState)) as ConsentState;
          await act(async () => {
            roots.push(
              hydrateRoot(containers[i]!, island(store, state), {
                identifierPrefix: prefixes[i]!,
                onRecoverableError: (e) => errors.push(e),
              }),
            );
          });
          expect(shownBanners().length).toBe(1);
          await act(() => new Promise((done) => setTimeout(done)));
          expect(shownBanners().length).toBe(1);
        }
      });
      try {
        expect(errors).toEqual([]);
        expect(document.querySelectorAll('#consentline').length).toBe(1);
        expect(document.querySelectorAll('[role="region"]').length).toBe(1);
      } finally {
        act(() => roots.forEach((r) => r.unmount()));
      }
    },
  );

  /**
   * Hydrates `page` over the server HTML in `container`, which holds the page's one copy: no
   * warning, the copy hydrated where it is and then removed, and no copy drawn anywhere else.
   */
  async function expectCopyHydratedInPlace(container: HTMLElement, page: ReactNode): Promise<void> {
    const copy = container.querySelector('#consentline');
    expect(container.querySelectorAll('#consentline').length).toBe(1);
    const copiesAdded = watchCopies(container);
    const errors = await problemsOf(async (errors) => {
      await act(async () => {
        root = hydrateRoot(container, page, { onRecoverableError: (e) => errors.push(e) });
      });
      await act(() => new Promise((done) => setTimeout(done)));
    });
    expect(errors).toEqual([]);
    expect(copiesAdded()).toEqual([]);
    expect(copy?.isConnected).toBe(false);
    expect(shownBanners().length).toBe(1);
  }

  it("shows one banner in a browser without :has() while an island that carries the copy waits to hydrate and another island's live UI is drawn", async () => {
    const serverState = readConsentCookie('');
    const island = (s: ConsentStore, state: ConsentState) =>
      h(ConsentProvider, { store: s, serverState: state }, h(ConsentBanner, { lang: 'en' }));
    const html = [
      await SERVER_RENDERERS.renderToString(island(createConsentStore(), serverState), { identifierPrefix: 'r0' }),
      await SERVER_RENDERERS.renderToString(island(createConsentStore(), serverState), { identifierPrefix: 'r1' }),
    ];
    const [carrying, other] = html.map((part) => {
      const container = document.body.appendChild(document.createElement('section'));
      container.innerHTML = part;
      return container;
    });
    expect(carrying!.querySelector('#consentline')).not.toBeNull();
    expect(shownWithoutHas().length).toBe(1);
    const errors = await problemsOf(async () => {
      await act(async () => {
        root = hydrateRoot(other!, island(createConsentStore(), { ...serverState }), { identifierPrefix: 'r1' });
      });
    });
    expect(errors).toEqual([]);
    // The copy waits in its island, for its hydration, hidden: the live UI is the banner.
    expect(carrying!.querySelector('#consentline')).not.toBeNull();
    expect(shownWithoutHas()).toEqual([document.querySelector('body > #consentline [role="region"]')]);
  });

  it('shows one banner in a browser without :has() while a live UI that another build mounted (the script tag) is on the page before it hydrates', async () => {
    const serverState = readConsentCookie('');
    const container = document.body.appendChild(document.createElement('main'));
    container.innerHTML = await SERVER_RENDERERS.renderToString(
      h(ConsentProvider, { store: createConsentStore(), serverState }, h(ConsentBanner, { lang: 'en' })),
    );
    const ui = mountConsentUi(createConsentStore());
    try {
      expect(document.querySelectorAll('[role="region"]').length).toBe(2);
      expect(shownWithoutHas()).toEqual([document.querySelector('body > #consentline [role="region"]')]);
    } finally {
      ui();
    }
    // No live UI: the copy is the banner again.
    expect(shownWithoutHas()).toEqual([container.querySelector('[role="region"]')]);
  });

  it.each(Object.entries(SERVER_RENDERERS))(
    'keeps the copy where the server rendered it (%s), in a Suspense boundary that hydrates after the shell, and replaces it in place',
    async (_name, toHtml) => {
      const serverState = readConsentCookie('');
      const page = (s: ConsentStore) =>
        h(
          ConsentProvider,
          { store: s, serverState },
          h(Suspense, { fallback: null }, h('aside', null, h(ConsentBanner, { lang: 'en' }))),
          h('footer', null, h(ConsentBanner, { lang: 'en' })),
        );
      const container = document.body.appendChild(document.createElement('main'));
      container.innerHTML = await toHtml(page(createConsentStore()));
      expect(container.querySelector('#consentline')?.parentElement?.nodeName).toBe('ASIDE');
      await expectCopyHydratedInPlace(container, page(createConsentStore()));
    },
  );

  it("keeps the copy where the stream put it when the first banner's boundary resolved after the others, and hydrates it without a mismatch", async () => {
    const serverState = readConsentCookie('');
    // Data the server waits for until the footer is rendered, and the browser already has (it came
    // with the page).
    let ready = false;
    let arrive = () => {};
    const data = new Promise<void>((done) => {
      arrive = done;
    }).then(() => {
      ready = true;
    });
    const Late = ({ children }: { children: ReactNode }) => {
      if (!ready) throw data;
      return h(Fragment, null, children);
    };
    const Arrive = () => {
      arrive();
      return null;
    };
    const page = (s: ConsentStore) =>
      h(
        ConsentProvider,
        { store: s, serverState },
        h(Suspense, { fallback: null }, h(Late, null, h('aside', null, h(ConsentBanner, { lang: 'en' })))),
        h(Suspense, { fallback: null }, h('footer', null, h(ConsentBanner, { lang: 'en' }), h(Arrive))),
      );
    const container = document.body.appendChild(document.createElement('main'));
    container.innerHTML = await SERVER_RENDERERS.renderToPipeableStream(page(createConsentStore()));
    // The footer's banner was the first the server rendered: the aside waited for its data.
    expect(container.querySelector('#consentline')?.parentElement?.nodeName).toBe('FOOTER');
    await expectCopyHydratedInPlace(container, page(createConsentStore()));
  });

  it('renders no banner in the HTML of a returning visitor', () => {
    const store = accepted();
    expect(renderToString(h(ConsentProvider, { store, serverState: store.get() }, h(ConsentBanner)))).toBe('');
  });
});

describe('TrackingNumbers, useTrackingNumber', () => {
  function Phone() {
    return h('a', { id: 'phone', 'data-no-swap': '' }, useTrackingNumber('+15551234567'));
  }

  it('renders the original until consent, the tracking number after, and the original again on withdrawal', async () => {
    const store = createConsentStore();
    const container = render(
      h(
        ConsentProvider,
        { store },
        h(TrackingNumbers, { targets: ['+15551234567'], rules: [{ number: '+18005550199' }] }, h(Phone)),
      ),
    );
    expect(container.textContent).toBe('+15551234567');
    await act(async () => {
      store.acceptAll();
      await new Promise((r) => setTimeout(r, 20));
    });
    expect(container.textContent).toBe('+18005550199');
    act(() => {
      store.rejectAll();
    });
    expect(container.textContent).toBe('+15551234567');
    expect(localStorage.getItem('consentline_dni')).toBeNull();
  });

  it('renders a target named like an Object.prototype member as itself, before and after consent', async () => {
    const store = createConsentStore();
    const Odd = () => h('p', null, ['toString', 'constructor', '__proto__'].map(useTrackingNumber).join(' '));
    const container = render(
      h(ConsentProvider, { store }, h(TrackingNumbers, { targets: ['+15551234567'], rules: [] }, h(Odd))),
    );
    expect(container.textContent).toBe('toString constructor __proto__');
    await act(async () => {
      store.acceptAll();
      await new Promise((r) => setTimeout(r, 20));
    });
    expect(container.textContent).toBe('toString constructor __proto__');
  });

  it('renders the target on the server', () => {
    const store = createConsentStore();
    store.acceptAll();
    const html = renderToString(
      h(ConsentProvider, { store }, h(TrackingNumbers, { targets: ['+15551234567'] }, h(Phone))),
    );
    expect(html).toContain('+15551234567');
  });
});
