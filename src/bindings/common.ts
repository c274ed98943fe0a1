// What the React and Vue bindings share: a store made from options whose storage watch the
// binding starts and stops (so a render that is thrown away, as StrictMode does, leaves nothing
// running), the state a server renders when it was given none, and the first layer's texts.
import { grantsFor } from '../core/grants.js';
import { createConsentStore, type ConsentStore, type ConsentStoreOptions } from '../core/store.js';
import type { ConsentState, ConsentStorage } from '../core/types.js';
import { createCookieStorage, type CookieStorageOptions } from '../storage/cookie-storage.js';
import { en, type Strings } from '../ui/i18n/en.js';
import type { ConsentUiOptions } from '../ui/mount.js';

/**
 * Options a binding creates its store from: the store's, and the consent cookie's (used unless
 * `storage` is given). The same object, with `secure` added, is what `readConsentCookie` takes on
 * the server, so both read the same cookie the same way.
 */
export interface BindingStoreOptions extends ConsentStoreOptions, CookieStorageOptions {}

/** A store and the start of its cross-tab watch (returns the stop). */
export interface BoundStore {
  store: ConsentStore;
  watch: () => () => void;
}

const noop = () => {};

/** Creates a store whose storage watch runs only between `watch()` and the stop it returns. */
export function createBoundStore(options: BindingStoreOptions): BoundStore {
  const { name, domain, channel, clearPaths, storage, ...rest } = options;
  const kept =
    storage ??
    createCookieStorage({
      ...(name && { name }),
      ...(domain && { domain }),
      ...(channel && { channel }),
      ...(clearPaths && { clearPaths }),
    });
  // The store gets the storage without its watch, which the binding starts. Each call goes to the
  // storage itself: an app's storage may be a class, whose methods a copy of it would not have.
  const quiet: ConsentStorage = {
    read: () => kept.read(),
    write: (value, expires) => kept.write(value, expires),
    remove: () => kept.remove(),
    ...(kept.readCopies && { readCopies: () => kept.readCopies!() }),
    ...(kept.notify && { notify: () => kept.notify!() }),
    ...(kept.clearCookies && { clearCookies: (patterns: readonly string[]) => kept.clearCookies!(patterns) }),
  };
  const store = createConsentStore({ ...rest, storage: quiet });
  return {
    store,
    watch: () => (kept.watch ? kept.watch(() => store.refresh()) : noop),
  };
}

/**
 * The state of a visitor who has not decided, from what both the server and the browser know (the
 * categories and the regime, never the cookie or GPC): the server snapshot when none is given, so
 * a hydrating client renders what the server did.
 */
export function undecidedState(store: ConsentStore): ConsentState {
  const { regime } = store.get();
  return Object.freeze({
    decision: null,
    grants: Object.freeze(grantsFor(store.categories, regime, false)),
    regime,
    gpc: false,
    optedOut: false,
    needsDecision: regime === 'opt-in',
  });
}

/** The first layer's texts for a server render: `lang`'s pack (English without one), then `strings`. */
export function firstLayerStrings(options: ConsentUiOptions): { lang: string; t: Strings } {
  const { lang = 'en', languages = {}, strings = {} } = options;
  const own = Object.assign(Object.create(null) as Record<string, Partial<Strings>>, languages);
  return { lang, t: { ...en, ...own[lang.toLowerCase().split('-')[0]!], ...strings } as Strings };
}
