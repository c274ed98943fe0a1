// @vitest-environment happy-dom
// @vitest-environment-options { "url": "http://shop.example.com/" }
import {
  createApp,
  createSSRApp,
  defineAsyncComponent,
  defineComponent,
  h,
  nextTick,
  ref,
  type App,
  type Component,
} from 'vue';
import { renderToString } from 'vue/server-renderer';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createConsentStore } from '../../../src/core/store';
import { readConsentCookie } from '../../../src/core/read-cookie';
import {
  ConsentGate,
  consentline,
  useCategory,
  useConsent,
  useConsentUi,
  type ConsentPluginOptions,
} from '../../../src/vue/index';
import { countingStore } from '../../support/counting-store';
import { countPageListeners } from '../../support/page-listeners';

let app: App | undefined;
afterEach(() => {
  app?.unmount();
  app = undefined;
  document.body.replaceChildren();
  for (const c of document.cookie.split('; ')) document.cookie = `${c.split('=')[0]}=;max-age=-1;path=/`;
  vi.restoreAllMocks();
});

const Status = defineComponent({
  setup() {
    const state = useConsent();
    const analytics = useCategory('analytics');
    return () => h('p', `${state.value.needsDecision ? 'undecided' : 'decided'} analytics=${analytics.value}`);
  },
});

function mount(root: Component, plugin: ConsentPluginOptions): HTMLElement {
  const container = document.body.appendChild(document.createElement('main'));
  app = createApp(root).use(consentline, plugin);
  app.mount(container);
  return container;
}

describe('consentline plugin, useConsent, useCategory', () => {
  it('re-render on every change of the store, with one listener for the whole app', async () => {
    const store = countingStore();
    const container = mount(() => [h(Status), h(Status)], { store });
    expect(container.textContent).toBe('undecided analytics=falseundecided analytics=false');
    store.acceptAll();
    await nextTick();
    expect(container.textContent).toBe('decided analytics=truedecided analytics=true');
    expect(store.listeners()).toBe(1);
    app!.unmount();
    app = undefined;
    expect(store.listeners()).toBe(0);
  });

  it('watch other tabs once from a store made from options while the app is mounted, and not at all after', () => {
    const page = countPageListeners();
    try {
      mount(() => [h(Status), h(Status)], { options: {} });
      expect(page.running()).toEqual({ 'window focus': 1, 'document visibilitychange': 1, channels: 1 });
      app!.unmount();
      app = undefined;
      expect(page.running()).toEqual({});
    } finally {
      page.stop();
    }
  });

  it('create a store from options that keeps the decision in the consent cookie', async () => {
    const container = mount(
      defineComponent({
        setup() {
          const state = useConsent();
          return () => h('button', { onClick: () => void 0 }, String(state.value.grants['chat']));
        },
      }),
      { options: { categories: [{ id: 'chat' }], regime: 'opt-out' } },
    );
    expect(container.textContent).toBe('true');
  });

  it('throws a named error without a store or options', () => {
    expect(() => createApp(() => null).use(consentline, {})).toThrow(/expected a `store` or `options`/);
  });
});

describe('ConsentGate', () => {
  it('shows its default slot only while granted, its fallback slot otherwise', async () => {
    const store = createConsentStore();
    const container = mount(
      () => h(ConsentGate, { category: 'social' }, { default: () => h('iframe'), fallback: () => 'blocked' }),
      { store },
    );
    const shown = () => [container.textContent, container.querySelectorAll('iframe').length];
    expect(shown()).toEqual(['blocked', 0]);
    store.acceptAll();
    await nextTick();
    expect(shown()).toEqual(['', 1]);
    store.rejectAll();
    await nextTick();
    expect(shown()).toEqual(['blocked', 0]);
  });

  it('offers an in-place allow button that grants that category only, never under GPC for sale/share', async () => {
    const store = createConsentStore();
    const container = mount(
      () => h(ConsentGate, { category: 'social', allowButton: 'Show posts' }, { default: () => 'shown' }),
      { store },
    );
    const button = container.querySelector('button')!;
    expect(button.textContent).toBe('Show posts');
    button.click();
    await nextTick();
    expect(container.textContent).toBe('shown');
    expect(store.get().grants).toMatchObject({ social: true, analytics: false });
    app!.unmount();
    const gpc = mount(() => h(ConsentGate, { category: 'advertising', allowButton: true }, { default: () => 'ads' }), {
      store: createConsentStore({ gpc: true }),
    });
    expect(gpc.textContent).toBe('');
    expect(gpc.querySelector('button')).toBeNull();
  });
});

describe('useConsentUi', () => {
  it('mounts one UI while the component is mounted and removes it after', () => {
    const store = createConsentStore();
    mount(
      defineComponent({
        setup: () => {
          useConsentUi();
          return () => null;
        },
      }),
      { store },
    );
    expect(document.querySelectorAll('#consentline [role="region"]').length).toBe(1);
    app!.unmount();
    app = undefined;
    expect(document.querySelector('#consentline')).toBeNull();
  });
});

describe('useConsentUi in two components', () => {
  it('keeps one UI on the page while either is mounted, and opens the preferences from either', async () => {
    const store = createConsentStore();
    const Banner = defineComponent({
      setup: () => {
        useConsentUi({ privacyPolicyUrl: '/privacy' });
        return () => null;
      },
    });
    const Footer = defineComponent({
      setup: () => {
        const { showPreferences } = useConsentUi();
        return () => h('button', { id: 'settings', onClick: showPreferences }, 'Cookie settings');
      },
    });
    const banner = ref(true);
    mount(() => [banner.value && h(Banner), h(Footer)], { store });
    expect(document.querySelectorAll('#consentline [role="region"]').length).toBe(1);
    document.querySelector<HTMLButtonElement>('#settings')!.click();
    expect(document.querySelectorAll('dialog[open]').length).toBe(1);
    (document.querySelector('dialog .x') as HTMLButtonElement).click();
    banner.value = false;
    await nextTick();
    expect(document.querySelectorAll('#consentline [role="region"]').length).toBe(1);
    document.querySelector<HTMLButtonElement>('#settings')!.click();
    expect(document.querySelectorAll('dialog[open]').length).toBe(1);
    app!.unmount();
    app = undefined;
    expect(document.querySelector('#consentline')).toBeNull();
  });
});

describe('server rendering and hydration', () => {
  async function hydrate(
    plugin: ConsentPluginOptions,
    serverPlugin: ConsentPluginOptions,
  ): Promise<{ html: string; warnings: unknown[] }> {
    const root = () => [
      h(Status),
      h(ConsentGate, { category: 'analytics' }, { default: () => 'on', fallback: () => 'off' }),
    ];
    const html = await renderToString(createSSRApp(root).use(consentline, serverPlugin));
    const container = document.body.appendChild(document.createElement('main'));
    container.innerHTML = html;
    const warnings: unknown[] = [];
    vi.spyOn(console, 'warn').mockImplementation((...a) => warnings.push(a));
    vi.spyOn(console, 'error').mockImplementation((...a) => warnings.push(a));
    app = createSSRApp(root).use(consentline, plugin);
    app.config.warnHandler = (msg) => warnings.push(msg);
    app.mount(container);
    await nextTick();
    return { html, warnings };
  }

  it('hydrates a returning visitor with the server state, then follows the store', async () => {
    const store = createConsentStore();
    store.acceptAll();
    const serverState = store.get();
    const { html, warnings } = await hydrate({ store, serverState }, { store: createConsentStore(), serverState });
    expect(html).toContain('decided analytics=true');
    expect(warnings).toEqual([]);
    expect(document.querySelector('main')!.textContent).toBe('decided analytics=trueon');
    store.rejectAll();
    await nextTick();
    expect(document.querySelector('main')!.textContent).toBe('decided analytics=falseoff');
  });

  it('hydrates a lazily hydrated component with the server state when the visitor decided before it hydrated', async () => {
    const serverState = readConsentCookie('');
    let hydrateNow = () => {};
    // Vue 3.5's lazy hydration (as hydrateOnVisible does): the component hydrates when told.
    const Later = defineAsyncComponent({
      loader: async () => Status,
      hydrate: (hydrate) => {
        hydrateNow = hydrate;
      },
    });
    const root = () => [h(Status), h(Later)];
    const html = await renderToString(
      createSSRApp(root).use(consentline, { store: createConsentStore(), serverState }),
    );
    const container = document.body.appendChild(document.createElement('main'));
    container.innerHTML = html;
    const warnings: unknown[] = [];
    vi.spyOn(console, 'warn').mockImplementation((...a) => warnings.push(a));
    vi.spyOn(console, 'error').mockImplementation((...a) => warnings.push(a));
    const store = createConsentStore();
    app = createSSRApp(root).use(consentline, { store, serverState });
    app.config.warnHandler = (msg) => warnings.push(msg);
    app.mount(container);
    await nextTick();
    // The visitor accepts in the banner, then scrolls to the part that hydrates when visible.
    store.acceptAll();
    await nextTick();
    hydrateNow();
    await new Promise((done) => setTimeout(done));
    await nextTick();
    expect(warnings).toEqual([]);
    expect(container.textContent).toBe('decided analytics=truedecided analytics=true');
  });

  it('mismatches for a returning visitor when the client is not given the server state (what serverState prevents)', async () => {
    const store = createConsentStore();
    store.acceptAll();
    const { warnings } = await hydrate({ store }, { store: createConsentStore() });
    expect(warnings.length).toBeGreaterThan(0);
  });

  it('agrees with readConsentCookie for the cookie the browser store wrote', async () => {
    const { createCookieStorage } = await import('../../../src/storage/cookie-storage');
    const store = createConsentStore({ storage: createCookieStorage() });
    store.set({ analytics: true });
    expect(readConsentCookie(document.cookie, { secure: false })).toEqual(store.get());
  });

  it('subscribes to nothing during a server render', async () => {
    const store = countingStore();
    await renderToString(createSSRApp(() => h(Status)).use(consentline, { store }));
    expect(store.listeners()).toBe(0);
  });
});
