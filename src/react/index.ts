/**
 * React bindings: a provider that shares one consent store, hooks that read it, a consent gate,
 * the consent UI as a component, and tracking numbers for React-rendered text.
 *
 * @packageDocumentation
 */
// `consentline/react`: thin bindings over one consent store. State is read with
// useSyncExternalStore (never copied); everything that starts something does so in an effect and
// stops it in that effect's cleanup, so StrictMode's mount, unmount, mount leaves one of each.
import {
  createContext,
  createElement as h,
  Fragment,
  useContext,
  useEffect,
  useId,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  useSyncExternalStore,
  type ReactElement,
  type ReactNode,
} from 'react';
import { inBrowser } from '../core/env.js';
import { saleShareLocked } from '../core/sale-share-lock.js';
import type { ConsentStore } from '../core/store.js';
import type { ConsentState } from '../core/types.js';
import { createPoolSource } from '../dni/pool-source.js';
import { startNumberInsertion, type NumberInsertion, type NumberInsertionOptions } from '../dni/start.js';
import { mountConsentUi, type ConsentUi, type ConsentUiOptions } from '../ui/mount.js';
import { CSS } from '../ui/styles.js';
import {
  COPY_MARK,
  createBoundStore,
  firstLayerCopy,
  undecidedState,
  type BindingStoreOptions,
  type Make,
} from '../bindings/common.js';

export type { BindingStoreOptions } from '../bindings/common.js';

/**
 * Declares the app's category ids to this binding, so a misspelt id in `useCategory` and `<ConsentGate>` does not
 * compile. Without it any string is accepted.
 *
 * @example
 * declare module 'consentline/react' {
 *   interface Register { categories: CategoryIdOf<typeof store> }
 * }
 */
// biome-ignore lint/suspicious/noEmptyInterface: an interface, so that an app can add to it by declaration merging.
export interface Register {}

/** The category ids the app registered (see {@link Register}), else any string. */
export type CategoryId = Register extends { categories: infer Id extends string } ? Id : string;

interface Binding {
  store: ConsentStore;
  /** What the server rendered: the first client render reads this, so hydration matches. */
  server: ConsentState;
  /** Whether the server read the visitor's cookie (`serverState`), or assumed an undecided visitor. */
  known: boolean;
}

/** Where the banner's server-rendered copy is: shown until hydration, hidden, then gone. */
type CopyPhase = 'shown' | 'hidden' | 'gone';

const ConsentContext = createContext<Binding | null>(null);
const NumbersContext = createContext<NumberInsertion | undefined>(undefined);

// Layout effects do nothing on the server (React 18 warns there); the banner's hand-over from the
// server-rendered copy must happen before the browser paints.
const useClientLayoutEffect = typeof document === 'undefined' ? useEffect : useLayoutEffect;

// On the server, which banner (by `useId`) carries the page's one copy, by the server state its
// roots were given: the islands of a page are separate renders, and share only what the app passes
// them. The first banner rendered claims it; the same banner rendering again (the same page
// rendered twice) still does.
const copyOwners = new WeakMap<ConsentState, string>();

/**
 * Whether banner `id` carries the copy of the page whose server state is `state`. A browser
 * hydrates the copy where the server's HTML has it, marked with its banner's id, whatever order
 * the roots and Suspense boundaries hydrate in; and nowhere once it is gone.
 */
const carriesCopy = (state: ConsentState, id: string): boolean => {
  if (inBrowser())
    return [...document.querySelectorAll('#consentline.cp')].some((el) => el.getAttribute(COPY_MARK) === id);
  const owner = copyOwners.get(state) ?? id;
  copyOwners.set(state, owner);
  return owner === id;
};

const noSubscription = () => () => {};
// Snapshots that tell a server render or a hydrating one (the server snapshot) from any other.
const inBrowserRender = () => false;
const inServerRender = () => true;

const useBinding = (caller: string): Binding => {
  const binding = useContext(ConsentContext);
  if (!binding) throw new Error(`${caller}: no store; render it inside <ConsentProvider>`);
  return binding;
};

/** Props of {@link ConsentProvider}: a `store`, or `options` to create one (not both). */
export interface ConsentProviderProps {
  /** The store to share, created by the app (e.g. at module level); a different one given later (hot reload) replaces it below. */
  store?: ConsentStore;
  /** Options to create the store from, read once; it keeps the decision in the consent cookie unless `storage` is given. */
  options?: BindingStoreOptions;
  /**
   * The state the server rendered, from `readConsentCookie(cookieHeader, options)` in `consentline`.
   * The first client render uses it, so a returning visitor hydrates without a mismatch. Read it
   * for each request: the roots of a page given the same object share one banner copy.
   * @default the state of a visitor who has not decided
   */
  serverState?: ConsentState;
  /** The tree that shares the store. */
  children?: ReactNode;
}

/**
 * Shares a consent store with the tree below. With `options` it creates the store itself and
 * watches other tabs' changes while mounted.
 *
 * @example
 * <ConsentProvider options={{ categories }} serverState={readConsentCookie(cookieHeader, { categories })}>
 *   <App />
 * </ConsentProvider>
 */
export function ConsentProvider(props: ConsentProviderProps): ReactElement {
  const { serverState, children } = props;
  // A store from options is made once, and defers its storage watch to the effect below, so a
  // render StrictMode throws away starts nothing. A given store is followed: hot reload re-creates
  // a module-level one, and the tree (its UI, its number insertion) moves to the new one.
  const [own] = useState(() => (props.store || !props.options ? undefined : createBoundStore(props.options)));
  const store = props.store ?? own?.store;
  if (!store) throw new Error('ConsentProvider: expected a `store` or `options`');
  const watch = props.store ? undefined : own?.watch;
  useEffect(() => watch?.(), [watch]);
  const value = useMemo<Binding>(
    () => ({ store, server: serverState ?? undecidedState(store), known: serverState !== undefined }),
    [store, serverState],
  );
  return h(ConsentContext.Provider, { value }, children);
}

/** The store given to the nearest {@link ConsentProvider}. */
export function useConsentStore(): ConsentStore {
  return useBinding('useConsentStore').store;
}

/** The current consent state; re-renders on every change. The first render of a hydrating client is the server's state. */
export function useConsent(): ConsentState {
  const { store, server } = useBinding('useConsent');
  return useSyncExternalStore(store.subscribe, store.get, () => server);
}

/** Whether `category` is granted now; re-renders only when that changes. */
export function useCategory(category: CategoryId): boolean {
  const { store, server } = useBinding('useCategory');
  return useSyncExternalStore(
    store.subscribe,
    () => store.get().grants[category] === true,
    () => server.grants[category] === true,
  );
}

/** Props of {@link ConsentGate}. */
export interface ConsentGateProps {
  /** The category whose grant shows `children`. */
  category: CategoryId;
  /** Shown while the category is not granted. @default nothing */
  fallback?: ReactNode;
  /**
   * After the fallback, a button that grants the category in place: `true` for "Allow <label>",
   * or the button's text. Never shown while GPC or an opt-out keeps a sale/share category off.
   * @default false
   */
  allowButton?: boolean | string;
  /** Rendered while the category is granted. */
  children?: ReactNode;
}

/**
 * Renders `children` only while `category` is granted, `fallback` otherwise.
 *
 * @example
 * <ConsentGate category="social" fallback={<p>Video blocked.</p>} allowButton>
 *   <iframe src="https://www.youtube-nocookie.com/embed/…" />
 * </ConsentGate>
 */
export function ConsentGate(props: ConsentGateProps): ReactElement {
  const { category, fallback, allowButton = false, children } = props;
  const { store } = useBinding('ConsentGate');
  const state = useConsent();
  if (state.grants[category] === true) return h(Fragment, null, children);
  const found = store.categories.find((c) => c.id === category);
  // Granting a sale/share category does nothing while GPC or an opt-out applies: no dead button.
  const locked = !found || found.required || (found.saleShare && saleShareLocked(state));
  const offer =
    allowButton !== false &&
    !locked &&
    h(
      'button',
      { type: 'button', onClick: () => store.set({ [category]: true }, 'embed') },
      typeof allowButton === 'string' ? allowButton : `Allow ${found.label}`,
    );
  return h(Fragment, null, fallback, offer);
}

/** What {@link useConsentUi} returns: stable across renders, a no-op until the UI is mounted. */
export interface ConsentUiControls {
  /** Opens the preferences dialog. */
  showPreferences(): void;
  /** Closes the preferences dialog without deciding. */
  hidePreferences(): void;
}

/**
 * Mounts the consent UI (banner, preferences dialog, held-back content) while the component is
 * mounted; `options` are read at mount. One UI per page, however often it is mounted.
 */
export function useConsentUi(options: ConsentUiOptions = {}): ConsentUiControls {
  const { store } = useBinding('useConsentUi');
  const ui = useRef<ConsentUi | undefined>(undefined);
  const first = useRef(options);
  const [controls] = useState<ConsentUiControls>(() => ({
    showPreferences: () => ui.current?.showPreferences(),
    hidePreferences: () => ui.current?.hidePreferences(),
  }));
  useClientLayoutEffect(() => {
    const mounted = mountConsentUi(store, first.current);
    ui.current = mounted;
    return () => {
      ui.current = undefined;
      mounted();
    };
  }, [store]);
  return controls;
}

/** Props of {@link ConsentBanner}: the consent UI's options, read at mount. */
export type ConsentBannerProps = ConsentUiOptions;

/**
 * Mounts the consent UI while rendered. When the server read the visitor's cookie (`serverState`
 * on the provider) and found no decision, the server HTML carries a copy of the banner's first
 * layer (with the UI's styles, in a `<style>` element) that the real UI replaces before the first
 * paint after hydration: the banner is in the first HTML, and a click on it while the page
 * hydrates is the visitor's choice. One copy per page, hydrated where the server put it whatever
 * order the page's roots and Suspense boundaries hydrate in: the islands of a page (several roots)
 * share one when each is given the same `serverState` object and its own `identifierPrefix`, as
 * React asks of several roots on one page. Without `serverState` (a static page)
 * there is no copy, and the live UI shows the banner once hydrated. Give `lang` for the copy to
 * be in the language the UI will pick; `strings` given without it are in the page's language, as
 * the UI takes them, and the copy says no language of its own there: the page's `<html lang dir>`
 * applies (its other texts are English). Under a Content Security Policy give the request's `nonce`,
 * which the copy's `<style>` carries (the UI's held-back scripts then run only with it, as CSP
 * would have it anyway).
 *
 * @example
 * <ConsentProvider store={store}><App /><ConsentBanner privacyPolicyUrl="/privacy" /></ConsentProvider>
 */
export function ConsentBanner(props: ConsentBannerProps): ReactElement | null {
  const { showPreferences } = useConsentUi(props);
  // The live UI shows its banner (or the opt-out regime's notice) while there is no decision.
  const { decision } = useConsent();
  // A server that did not read the cookie (a static page) cannot tell a returning visitor: its copy
  // would show them a banner that does nothing until hydration. The live UI comes right after.
  const { store, known, server } = useBinding('ConsentBanner');
  // The copy is for HTML made on a server and what hydrates it. A render in the browser (a
  // client-only app, a route mounted later) goes straight to the live UI: a copy there would only
  // put a <style> element in the page, which a style-src without 'unsafe-inline' refuses.
  const serverRender = useSyncExternalStore(noSubscription, inBrowserRender, inServerRender);
  // One copy per page however many banners it renders (a header's and a footer's, or one in each
  // island): useId names a banner alike on the server and in the browser, and again when
  // StrictMode renders it twice. The first render's answer is kept: the render React makes right
  // after hydrating is no server render.
  const id = useId();
  const [carries] = useState(() => serverRender && known && carriesCopy(server, id));
  const [copy, setCopy] = useState<CopyPhase>('shown');
  // Hidden before the first paint after hydration, and removed a task later: a click on the copy
  // makes React hydrate at once and then hands the click to the copy's button, which must still
  // be there (hidden) to act on it; removed at once, the click would be lost.
  useClientLayoutEffect(() => {
    setCopy('hidden');
  }, []);
  useEffect(() => {
    if (copy !== 'hidden') return;
    const timer = setTimeout(() => setCopy('gone'));
    return () => clearTimeout(timer);
  }, [copy]);
  if (copy === 'gone' || !carries || decision) return null;
  // The page's CSP nonce lets the copy style itself under a style-src without 'unsafe-inline'.
  // React 18's server renderer escapes an element's text, which a <style> does not unescape
  // (`content:""` would reach the browser as `content:&quot;&quot;`, and hydration would find
  // other text): the stylesheet, a constant, goes in as it is, as React 19 writes it.
  return firstLayerCopy(
    h as Make<ReactElement>,
    // biome-ignore lint/security/noDangerouslySetInnerHtml: the UI's own stylesheet, a constant; no page or visitor text.
    h('style', { nonce: props.nonce, dangerouslySetInnerHTML: { __html: CSS } }),
    props,
    store,
    showPreferences,
    copy === 'hidden',
    undefined,
    id,
  );
}

/** Props of {@link TrackingNumbers}: the number insertion's options, read at mount. */
export interface TrackingNumbersProps extends NumberInsertionOptions {
  /** The tree whose {@link useTrackingNumber} calls read the numbers. */
  children?: ReactNode;
}

/**
 * Runs consent-gated number insertion (see `startNumberInsertion` in `consentline/dni`) while
 * mounted, and gives {@link useTrackingNumber} its numbers.
 */
export function TrackingNumbers(props: TrackingNumbersProps): ReactElement {
  const { children, ...options } = props;
  const { store } = useBinding('TrackingNumbers');
  const first = useRef(options);
  const [insertion, setInsertion] = useState<NumberInsertion | undefined>(undefined);
  useEffect(() => {
    const o = first.current;
    const started = startNumberInsertion(store, o, o.pool && createPoolSource(o.pool));
    setInsertion(() => started);
    return () => {
      started();
      setInsertion(undefined);
    };
  }, [store]);
  return h(NumbersContext.Provider, { value: insertion }, children);
}

/**
 * The number to show for `target` (E.164, one of the targets given to {@link TrackingNumbers}):
 * its tracking number while DNI's category is granted, `target` itself otherwise and in every
 * server or hydrating render. Mark where you render it `data-no-swap` so the page swapper leaves it to React.
 */
export function useTrackingNumber(target: string): string {
  const insertion = useContext(NumbersContext);
  return useSyncExternalStore(
    insertion ? insertion.subscribe : noSubscription,
    () => insertion?.getNumber(target) ?? target,
    () => target,
  );
}
