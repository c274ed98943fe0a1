/**
 * Vue bindings: a plugin that shares one consent store, composables that read it, a consent gate
 * and the consent UI.
 *
 * @packageDocumentation
 */
// `consentline/vue`: a plugin that shares one consent store with an app, composables that read it
// and a gate component (a render function: no compile step). One shallowRef per app mirrors the
// store; it follows the store only in the browser, from the app's first mounted hook on, so a
// server render subscribes to nothing and a hydrating client first renders the server's state.
import {
  computed,
  defineComponent,
  getCurrentInstance,
  h,
  inject,
  onBeforeUnmount,
  onMounted,
  shallowRef,
  ssrContextKey,
  toValue,
  type App,
  type ComponentObjectPropsOptions,
  type ComputedRef,
  type InjectionKey,
  type MaybeRefOrGetter,
  type PropType,
  type ShallowRef,
  type VNodeArrayChildren,
} from 'vue';
import { saleShareLocked } from '../core/sale-share-lock.js';
import type { ConsentStore } from '../core/store.js';
import type { ConsentState } from '../core/types.js';
import { mountConsentUi, type ConsentUi, type ConsentUiOptions } from '../ui/mount.js';
import { CSS } from '../ui/styles.js';
import {
  createBoundStore,
  firstLayerCopy,
  undecidedState,
  type BindingStoreOptions,
  type BoundStore,
} from '../bindings/common.js';

/**
 * Declares the app's category ids to this binding, so a misspelt id in `useCategory` does not
 * compile. Without it any string is accepted.
 *
 * @example
 * declare module 'consentline/vue' {
 *   interface Register { categories: CategoryIdOf<typeof store> }
 * }
 */
// biome-ignore lint/suspicious/noEmptyInterface: an interface, so that an app can add to it by declaration merging.
export interface Register {}

/** The category ids the app registered (see {@link Register}), else any string. */
export type CategoryId = Register extends { categories: infer Id extends string } ? Id : string;

export type { BindingStoreOptions } from '../bindings/common.js';

interface Binding {
  store: ConsentStore;
  state: ShallowRef<ConsentState>;
  /** The state the app started with: what the server rendered, so what a hydrating component renders. */
  server: ConsentState;
  /** Whether the server read the visitor's cookie (`serverState`), or assumed an undecided visitor. */
  known: boolean;
  /** Starts following the store (once); called from the first mounted hook. */
  live(): void;
}

const KEY: InjectionKey<Binding> = Symbol('consentline');

/** Options of the {@link consentline} plugin: a `store`, or `options` to create one (not both). */
export interface ConsentPluginOptions {
  /** The store to share. */
  store?: ConsentStore;
  /** Options to create the store from; it keeps the decision in the consent cookie unless `storage` is given. */
  options?: BindingStoreOptions;
  /**
   * The state the server rendered, from `readConsentCookie(cookieHeader, options)` in `consentline`;
   * give it whenever the app is server-rendered, so hydration matches for a returning visitor.
   * @default none: the browser reads the store at once, a server renders an undecided visitor
   */
  serverState?: ConsentState;
}

/**
 * The Vue plugin: `app.use(consentline, { store })`. Safe on the server: it subscribes and
 * watches nothing until the app mounts in a browser, and stops both when the app unmounts.
 */
export const consentline = {
  install(app: App, plugin: ConsentPluginOptions): void {
    const { serverState } = plugin;
    let bound: { store: ConsentStore; watch: BoundStore['watch'] | undefined };
    if (plugin.store) bound = { store: plugin.store, watch: undefined };
    else if (plugin.options) bound = createBoundStore(plugin.options);
    else throw new Error('consentline (Vue plugin): expected a `store` or `options`');
    const { store, watch } = bound;
    const browser = typeof document !== 'undefined';
    const server = serverState ?? (browser ? store.get() : undecidedState(store));
    const state = shallowRef(server);
    let stops: Array<() => void> | undefined;
    const live = () => {
      if (stops) return;
      stops = [
        store.subscribe((s) => {
          state.value = s;
        }),
      ];
      if (watch) stops.push(watch());
      state.value = store.get();
    };
    app.provide(KEY, { store, state, server, known: serverState !== undefined, live });
    app.onUnmount(() => {
      stops?.forEach((stop) => stop());
      stops = undefined;
    });
  },
};

const useBinding = (caller: string): Binding => {
  const binding = inject(KEY, null);
  if (!binding) throw new Error(`${caller}: no store; install the consentline plugin with app.use`);
  onMounted(binding.live);
  return binding;
};

// The state a component renders: the server's while it hydrates, however late (Vue 3.5 hydrates a
// component lazily, when it becomes visible, say, and the visitor may have decided by then), then
// the store's. A component hydrates over the server's HTML, which it is given as its element.
const useRendered = (caller: string): { binding: Binding; rendered: ComputedRef<ConsentState> } => {
  const binding = useBinding(caller);
  const { state, server } = binding;
  const hydrating = shallowRef(Boolean(getCurrentInstance()?.vnode.el));
  onMounted(() => {
    hydrating.value = false;
  });
  return { binding, rendered: computed(() => (hydrating.value ? server : state.value)) };
};

/** The store given to the plugin. */
export function useConsentStore(): ConsentStore {
  return useBinding('useConsentStore').store;
}

/** The current consent state, as a read-only ref. A component that hydrates, however late, first renders the server's state. */
export function useConsent(): ComputedRef<ConsentState> {
  return useRendered('useConsent').rendered;
}

/** Whether `category` is granted now, as a read-only ref. */
export function useCategory(category: MaybeRefOrGetter<CategoryId>): ComputedRef<boolean> {
  const { rendered } = useRendered('useCategory');
  return computed(() => rendered.value.grants[toValue(category)] === true);
}

/** What {@link useConsentUi} returns; a no-op until the UI is mounted. */
export interface ConsentUiControls {
  /** Opens the preferences dialog. */
  showPreferences(): void;
  /** Closes the preferences dialog without deciding. */
  hidePreferences(): void;
}

/** Mounts the consent UI (banner, preferences dialog, held-back content) while the component is mounted. One UI per page. */
export function useConsentUi(options: ConsentUiOptions = {}): ConsentUiControls {
  const { store } = useBinding('useConsentUi');
  let ui: ConsentUi | undefined;
  onMounted(() => {
    ui = mountConsentUi(store, options);
  });
  onBeforeUnmount(() => {
    ui?.();
    ui = undefined;
  });
  return {
    showPreferences: () => ui?.showPreferences(),
    hidePreferences: () => ui?.hidePreferences(),
  };
}

/**
 * Renders its default slot only while `category` is granted, its `fallback` slot otherwise; with
 * `allow-button`, a button after the fallback grants the category in place ("Allow <label>", or
 * the given text), never while GPC or an opt-out keeps a sale/share category off.
 *
 * @example
 * <ConsentGate category="social" allow-button><iframe …/><template #fallback>Video blocked.</template></ConsentGate>
 */
// Pure, as said for ConsentBanner below: an app that imports no gate carries none.
export const ConsentGate = /* @__PURE__ */ defineComponent({
  name: 'ConsentGate',
  props: {
    category: { type: String, required: true },
    allowButton: { type: [Boolean, String] as PropType<boolean | string>, default: false },
  },
  setup(props, { slots }) {
    const { binding, rendered } = useRendered('ConsentGate');
    const { store } = binding;
    return () => {
      const s = rendered.value;
      const { category, allowButton } = props;
      if (s.grants[category] === true) return slots['default']?.();
      const found = store.categories.find((c) => c.id === category);
      const locked = !found || found.required || (found.saleShare && saleShareLocked(s));
      return [
        slots['fallback']?.(),
        allowButton !== false &&
          !locked &&
          h(
            'button',
            { type: 'button', onClick: () => store.set({ [category]: true }, 'embed') },
            typeof allowButton === 'string' ? allowButton : `Allow ${found.label}`,
          ),
      ];
    };
  },
});

/** Props of {@link ConsentBanner}: the consent UI's options, read at mount. */
export type ConsentBannerProps = ConsentUiOptions;

// Every option of the UI is a prop. The flags are Boolean props (`<ConsentBanner close>` is
// `true`) left undefined when absent, so the UI's own defaults apply (`heldBack` is on).
const flag = { type: Boolean, default: undefined };
const BANNER_PROPS: ComponentObjectPropsOptions<ConsentUiOptions> = {
  layout: null,
  position: null,
  theme: null,
  close: flag,
  reopen: flag,
  privacyPolicyUrl: null,
  lang: null,
  languages: null,
  strings: null,
  heldBack: flag,
  reloadOnWithdraw: flag,
  cookiePaths: null,
  nonce: null,
  defer: null,
  providers: null,
  cookieTable: null,
} satisfies Record<keyof ConsentUiOptions, unknown>;

// Under this key a render's server context says that one of its banners carries the copy.
const COPY: unique symbol = Symbol.for('consentline.copy');

/** True for the first banner rendered with server context `ssr`, which carries the copy. */
const claimCopy = (ssr: Record<symbol, unknown>): boolean => {
  if (ssr[COPY]) return false;
  ssr[COPY] = true;
  return true;
};

// Vue's `h` with the children as an array, as its documentation has them.
const make = (tag: string, props: Record<string, unknown> | null, ...children: unknown[]) =>
  h(tag, props, children as VNodeArrayChildren);

/**
 * Mounts the consent UI while rendered. When the server read the visitor's cookie (`serverState`
 * in the plugin's options) and found no decision, the server HTML carries a copy of the banner's
 * first layer (with the UI's styles, in a `<style>` element) that the live UI replaces as the app
 * mounts, before the first paint: the banner is in the first HTML. A click on the copy once its
 * component has hydrated is the visitor's choice ("Customize" opens the preferences as the app
 * mounts); a click before the page's scripts have run does nothing (Vue replays no events).
 * Without `serverState` (a static page), or in an app that hydrates nothing, there is no copy, and
 * the live UI shows the banner once mounted. Give `lang` for the copy to be in the language the UI
 * will pick; `strings` given without it are in the page's language, as the UI takes them, and the
 * copy says no language of its own there: the page's `<html lang dir>` applies (its other texts
 * are English). Under a Content Security Policy give the request's `nonce`, which the copy's
 * `<style>` carries (the UI's held-back scripts then run only with it).
 *
 * @example
 * createSSRApp(() => [h(Page), h(ConsentBanner, { lang: 'en', privacyPolicyUrl: '/privacy', nonce })])
 */
// Vue marks defineComponent free of side effects, which a bundler that keeps `vue` external
// cannot see: said here (and for ConsentGate), so an app that imports no banner carries none.
export const ConsentBanner = /* @__PURE__ */ defineComponent(
  (props: ConsentBannerProps) => {
    const { showPreferences } = useConsentUi(props);
    const { binding, rendered } = useRendered('ConsentBanner');
    const { store, known } = binding;
    // The copy is for HTML made on a server (renderToString provides its context) and what
    // hydrates it; a render in the browser goes straight to the live UI. One copy per page,
    // however many banners it renders: on the server the first banner of the render's context
    // (which islands rendered for one page share, when given one) carries it; in the browser a
    // banner hydrates a copy where the server put one, an element, and not where it put nothing
    // (a comment).
    const ssr = inject(ssrContextKey, null) as Record<symbol, unknown> | null;
    const el = getCurrentInstance()?.vnode.el as Node | null | undefined;
    const copy = shallowRef(known && (ssr ? claimCopy(ssr) : el?.nodeType === 1));
    // The copy's buttons work from the moment their component hydrates, which can be well before
    // the app mounts (an async component still loading under <Suspense>): a decision is made at
    // once, and the preferences open as soon as the live UI is there.
    let customize = false;
    // Registered after useConsentUi's: the live UI is on the page, and takes the copy's place
    // before the next paint.
    onMounted(() => {
      if (customize) showPreferences();
      copy.value = false;
    });
    return () =>
      copy.value && !rendered.value.decision
        ? firstLayerCopy(
            make,
            // Vue's server renderer escapes an element's text, which a <style> does not unescape
            // (`content:""` would reach the browser as `content:&quot;&quot;`): the stylesheet,
            // a constant, goes in as it is. Hydration does not set it again.
            h('style', { nonce: props.nonce, innerHTML: CSS }),
            props,
            store,
            () => {
              customize = true;
            },
            false,
            () => {
              copy.value = false;
            },
          )
        : null;
  },
  { name: 'ConsentBanner', props: BANNER_PROPS },
);
