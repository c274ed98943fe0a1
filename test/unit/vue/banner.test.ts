// @vitest-environment happy-dom
// @vitest-environment-options { "url": "http://shop.example.com/" }
import { createApp, createSSRApp, defineComponent, h, nextTick, Suspense, type App, type Component } from 'vue';
import { renderToString } from 'vue/server-renderer';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createConsentStore, type ConsentStoreOptions } from '../../../src/core/store';
import { readConsentCookie } from '../../../src/core/read-cookie';
import { ConsentBanner, consentline, type ConsentPluginOptions } from '../../../src/vue/index';
import { createMemoryStorage } from '../../../src/core/memory-storage';
import { mountConsentUi } from '../../../src/ui/mount';
import {
  firstLayerLanguages,
  firstLayerLanguagesOf,
  onArabicPage,
  SOME_ARABIC,
  SOME_ARABIC_LAID_OUT,
} from '../../support/first-layer-languages';
import { shownWithoutHas } from '../../support/shown-banners';

let app: App | undefined;
afterEach(() => {
  app?.unmount();
  app = undefined;
  document.body.replaceChildren();
  vi.restoreAllMocks();
});

const banner =
  (props: Record<string, unknown> = {}) =>
  () =>
    h(ConsentBanner, { lang: 'en', ...props });

/** The server's HTML for `root`, then the browser hydrating it: the HTML, the warnings, the container. */
async function hydrate(
  root: Component,
  server: ConsentPluginOptions,
  client: ConsentPluginOptions,
): Promise<{ html: string; warnings: unknown[]; container: HTMLElement }> {
  const html = await renderToString(createSSRApp(root).use(consentline, server));
  const container = document.body.appendChild(document.createElement('main'));
  container.innerHTML = html;
  const warnings: unknown[] = [];
  vi.spyOn(console, 'warn').mockImplementation((...a) => warnings.push(a));
  vi.spyOn(console, 'error').mockImplementation((...a) => warnings.push(a));
  app = createSSRApp(root).use(consentline, client);
  app.config.warnHandler = (msg) => warnings.push(msg);
  app.mount(container);
  return { html, warnings, container };
}

/**
 * A visitor whose browser store (`written` options) kept what `decide` did, and a site now at
 * `options`: the server's reading of that record, and the browser store the site makes.
 */
function visitor(
  options: ConsentStoreOptions = {},
  decide?: (s: ReturnType<typeof createConsentStore>) => void,
  written: ConsentStoreOptions = options,
) {
  const memory = createMemoryStorage();
  decide?.(createConsentStore({ ...written, storage: memory }));
  const record = memory.read();
  const cookie = record ? `consentline=${encodeURIComponent(record)}` : '';
  return {
    serverState: readConsentCookie(cookie, { ...options, secure: false }),
    store: () => createConsentStore({ ...options, storage: memory }),
  };
}

const regions = () => document.querySelectorAll('[role="region"]').length;

describe('ConsentBanner (Vue): the banner in the server HTML', () => {
  it('puts one copy of the banner in the HTML when a page renders two ConsentBanners, and hydrates it without a mismatch', async () => {
    const { serverState, store } = visitor();
    const page = () => [h('header', null, [banner()()]), h('p', null, 'text'), h('footer', null, [banner()()])];
    const { html, warnings } = await hydrate(page, { store: store(), serverState }, { store: store(), serverState });
    expect(html.split('id="consentline"').length - 1).toBe(1);
    await nextTick();
    expect(warnings).toEqual([]);
    expect(document.querySelectorAll('#consentline').length).toBe(1);
    expect(regions()).toBe(1);
  });

  it('puts one copy in the HTML of a page whose islands (two apps) render with one server context, and each island hydrates its own HTML', async () => {
    const { serverState, store } = visitor();
    const context = {};
    const islands = [banner(), banner()];
    const html: string[] = [];
    for (const island of islands)
      html.push(await renderToString(createSSRApp(island).use(consentline, { store: store(), serverState }), context));
    expect(html.join('').split('id="consentline"').length - 1).toBe(1);
    const warnings: unknown[] = [];
    vi.spyOn(console, 'warn').mockImplementation((...a) => warnings.push(a));
    vi.spyOn(console, 'error').mockImplementation((...a) => warnings.push(a));
    const apps = islands.map((island, i) => {
      const container = document.body.appendChild(document.createElement('section'));
      container.innerHTML = html[i]!;
      const island$ = createSSRApp(island).use(consentline, { store: store(), serverState });
      island$.config.warnHandler = (msg) => warnings.push(msg);
      island$.mount(container);
      return island$;
    });
    await nextTick();
    expect(warnings).toEqual([]);
    expect(document.querySelectorAll('#consentline').length).toBe(1);
    expect(regions()).toBe(1);
    apps.forEach((a) => a.unmount());
  });

  it('renders the copy of strings given without `lang` in the page’s language and direction, as the live UI takes them, and hydrates it without a mismatch', () =>
    onArabicPage(async () => {
      const { serverState, store } = visitor();
      const root = () => h(ConsentBanner, { strings: SOME_ARABIC });
      const { html, warnings } = await hydrate(root, { store: store(), serverState }, { store: store(), serverState });
      expect(firstLayerLanguagesOf(html)).toEqual(SOME_ARABIC_LAID_OUT);
      await nextTick();
      expect(warnings).toEqual([]);
      expect(firstLayerLanguages(document.querySelector('#consentline')!)).toEqual(SOME_ARABIC_LAID_OUT);
    }));

  it('renders a first visit with the copy in the HTML, and hands over to the live UI with one banner, without a mismatch', async () => {
    const { serverState, store } = visitor();
    const { html, warnings, container } = await hydrate(
      banner({ privacyPolicyUrl: '/privacy' }),
      { store: store(), serverState },
      { store: store(), serverState },
    );
    expect(html).toContain('id="consentline"');
    expect(html).toContain('Accept all');
    expect(html).toContain('href="/privacy"');
    expect(html).toContain('content:""');
    expect(html).not.toContain('&quot;');
    // The live UI took the copy's place as the app mounted, in the same task.
    expect(container.querySelector('#consentline')).toBeNull();
    expect(document.querySelectorAll('#consentline').length).toBe(1);
    await nextTick();
    expect(warnings).toEqual([]);
    expect(document.querySelectorAll('#consentline').length).toBe(1);
    expect(regions()).toBe(1);
  });

  it('shows one banner in a browser without :has() while a live UI that another build mounted (the script tag) is on the page before it hydrates', async () => {
    const { serverState, store } = visitor();
    const container = document.body.appendChild(document.createElement('main'));
    container.innerHTML = await renderToString(
      createSSRApp(banner()).use(consentline, { store: store(), serverState }),
    );
    const ui = mountConsentUi(store());
    try {
      expect(regions()).toBe(2);
      expect(shownWithoutHas()).toEqual([document.querySelector('body > #consentline [role="region"]')]);
    } finally {
      ui();
    }
    expect(shownWithoutHas()).toEqual([container.querySelector('[role="region"]')]);
  });

  it("gives the copy's <style> the nonce prop, with the UI's CSS as it is", async () => {
    const { serverState, store } = visitor();
    const { html, warnings } = await hydrate(
      banner({ nonce: 'n0nce' }),
      { store: store(), serverState },
      { store: store(), serverState },
    );
    expect(html).toMatch(/<style nonce="n0nce">[^<]*content:""/);
    await nextTick();
    expect(warnings).toEqual([]);
  });

  it.each([
    [
      'an undecided visitor in the opt-out regime, where the live UI shows its notice',
      () => visitor({ regime: 'opt-out' }),
    ],
    ['a visitor sending GPC', () => visitor({ gpc: true })],
    ['a record from an older policy revision', () => visitor({ revision: 2 }, (s) => s.acceptAll(), { revision: 1 })],
    [
      'a malformed cookie',
      () => ({ serverState: readConsentCookie('consentline=1~1~%ZZ~~<b>~'), store: () => createConsentStore() }),
    ],
  ])('renders a first visit for %s: the copy, then one live banner', async (_, make) => {
    const { serverState, store } = make();
    expect(serverState.decision).toBeNull();
    const { html, warnings } = await hydrate(
      banner(),
      { store: store(), serverState },
      { store: store(), serverState },
    );
    expect(html).toContain('id="consentline"');
    await nextTick();
    expect(warnings).toEqual([]);
    expect(regions()).toBe(1);
  });

  it('renders no banner in the HTML of a returning visitor, and none after hydration', async () => {
    const { serverState, store } = visitor({}, (s) => s.acceptAll());
    const { html, warnings } = await hydrate(
      banner(),
      { store: store(), serverState },
      { store: store(), serverState },
    );
    expect(html).not.toContain('consentline');
    await nextTick();
    expect(warnings).toEqual([]);
    expect(regions()).toBe(0);
  });

  it("renders no copy when the server did not read the visitor's cookie (a static page); the live banner comes once hydrated", async () => {
    const { html, warnings } = await hydrate(
      banner(),
      { store: createConsentStore() },
      { store: createConsentStore() },
    );
    expect(html).not.toContain('consentline');
    await nextTick();
    expect(warnings).toEqual([]);
    expect(regions()).toBe(1);
  });

  it('renders no copy in a client-only app, even with serverState: the live UI is the banner, and no <style> enters the page', async () => {
    const { serverState } = visitor();
    const container = document.body.appendChild(document.createElement('main'));
    app = createApp(banner()).use(consentline, { store: createConsentStore(), serverState });
    app.mount(container);
    await nextTick();
    expect(container.children.length).toBe(0);
    expect(document.querySelectorAll('style').length).toBe(0);
    expect(regions()).toBe(1);
  });

  it.each([
    ['Reject all', { method: 'banner', analytics: false, dialogs: 0 }],
    ['Accept all', { method: 'banner', analytics: true, dialogs: 0 }],
    ['Customize', { method: undefined, analytics: false, dialogs: 1 }],
  ])(
    "acts on a click on the copy's %s made after its buttons hydrated and before the app has mounted (an async component still loading)",
    async (name, expected) => {
      const { serverState } = visitor();
      const slow = deferred();
      const Slow = defineComponent({
        async setup() {
          await slow.promise;
          return () => h('p', 'slow');
        },
      });
      const root = () => h(Suspense, null, () => h('div', [h(ConsentBanner, { lang: 'en' }), h(Slow)]));
      slow.resolve();
      const html = await renderToString(
        createSSRApp(root).use(consentline, { store: createConsentStore(), serverState }),
      );
      const container = document.body.appendChild(document.createElement('main'));
      container.innerHTML = html;
      const store = createConsentStore();
      slow.reset();
      app = createSSRApp(root).use(consentline, { store, serverState });
      app.mount(container);
      // Hydrated, not mounted: the async component holds the app's mounted hooks back.
      expect(regions()).toBe(1);
      expect(container.querySelectorAll('#consentline').length).toBe(1);
      [...container.querySelectorAll('button')].find((b) => b.textContent === name)!.click();
      await nextTick();
      slow.resolve();
      await new Promise((done) => setTimeout(done));
      await nextTick();
      expect({
        method: store.get().decision?.method,
        analytics: store.get().grants['analytics'],
        dialogs: document.querySelectorAll('dialog[open]').length,
      }).toEqual(expected);
      expect(container.querySelector('#consentline')).toBeNull();
      expect(regions()).toBe(expected.dialogs === 1 ? 1 : 0);
    },
  );
});

/** A promise resolved when told, which can be made anew. */
function deferred(): { promise: Promise<void>; resolve: () => void; reset: () => void } {
  const d = { promise: Promise.resolve(), resolve: () => {}, reset: () => {} };
  d.reset = () => {
    d.promise = new Promise<void>((done) => {
      d.resolve = done;
    });
  };
  d.reset();
  return d;
}
