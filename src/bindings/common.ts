// What the React and Vue bindings share: a store made from options whose storage watch the
// binding starts and stops (so a render that is thrown away, as StrictMode does, leaves nothing
// running), the state a server renders when it was given none, and the first layer's texts.
import { grantsFor } from '../core/grants.js';
import { createConsentStore, type ConsentStore, type ConsentStoreOptions } from '../core/store.js';
import type { ConsentState, ConsentStorage } from '../core/types.js';
import { createCookieStorage, type CookieStorageOptions } from '../storage/cookie-storage.js';
import { directionOf } from '../ui/i18n/direction.js';
import { en, type Strings } from '../ui/i18n/en.js';
import { mixesLanguages, textLanguage } from '../ui/i18n/text-languages.js';
import { lookClasses, type ConsentUiOptions } from '../ui/mount.js';

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
    ...(kept.writeFirst && { writeFirst: (value: string, expires: number) => kept.writeFirst!(value, expires) }),
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

/**
 * The first layer's texts for a server render: `lang`'s pack (English without one), then `strings`.
 * `lang` is the root's language, undefined for the page's: `strings` given without `lang` are in
 * the page's language, as the live UI takes them (mount.ts), and a server has no `<html lang>` to
 * read, so the copy says none and the page's applies. `langOf` gives a text's `lang` when some are
 * in another language than the root's.
 */
export function firstLayerStrings(options: ConsentUiOptions): {
  lang: string | undefined;
  t: Strings;
  langOf: (key: string) => string | undefined;
} {
  const { languages = {}, strings = {} } = options;
  // '' stands for the page's language.
  const lang = options.lang || (Object.keys(strings).length ? '' : 'en');
  const own = Object.assign(Object.create(null) as Record<string, Partial<Strings>>, languages);
  const pack = lang ? own[lang.toLowerCase().split('-')[0]!] : undefined;
  const languageOf = textLanguage(lang, pack ?? en, pack ? lang : 'en', strings);
  const mixed = mixesLanguages(languageOf, lang);
  return {
    lang: lang || undefined,
    t: { ...en, ...pack, ...strings } as Strings,
    langOf: (key) => (mixed && languageOf(key)) || undefined,
  };
}

/** The attribute of the copy's root that names the banner carrying it (React's `useId`). */
export const COPY_MARK = 'data-copy';

/** Makes an element the way a framework's `h` does: a tag, its props, its children. */
export type Make<Node> = (tag: string, props: Record<string, unknown> | null, ...children: unknown[]) => Node;

/**
 * The banner's first layer as the live UI draws it (mount.ts), for the HTML a server renders:
 * `style` is the framework's element carrying the UI's CSS, `hidden` hides the banner, `custom` is
 * what "Customize" does, `decided` runs after a decision made on it and `mark` names the banner
 * that carries the copy (on the root, as {@link COPY_MARK}).
 */
export function firstLayerCopy<Node>(
  make: Make<Node>,
  style: Node,
  options: ConsentUiOptions,
  store: ConsentStore,
  custom: () => void,
  hidden: boolean,
  decided: () => void = noop,
  mark?: string,
): Node {
  const { close = false, privacyPolicyUrl } = options;
  const look = lookClasses(options);
  const { lang, t, langOf } = firstLayerStrings(options);
  // A text in another language than the root's is laid out in that language's direction too, as
  // the live UI lays it out. A framework renders an undefined prop as no attribute.
  const written = (key: string) => {
    const own = langOf(key);
    return { lang: own, dir: own && directionOf(own) };
  };
  const action = (key: string, onClick: () => unknown) =>
    make('button', { type: 'button', onClick, ...written(key) }, t[key]);
  const decide = (choose: () => unknown) => () => {
    choose();
    decided();
  };
  return make(
    'div',
    // `cp` marks the copy: while a live UI is on the page (the script tag's, drawn before this
    // page hydrates), the UI's styles hide the copy (styles.ts), so one banner shows at a time.
    { id: 'consentline', lang, dir: lang && directionOf(lang), className: `${look.root} cp`, [COPY_MARK]: mark },
    style,
    make(
      'div',
      { className: look.banner, role: 'region', 'aria-label': t.title, hidden, lang: langOf('title') },
      make(
        'div',
        { className: 't' },
        make('p', null, make('strong', written('title'), t.title)),
        make(
          'p',
          written('text'),
          `${t.text} `,
          privacyPolicyUrl && make('a', { href: privacyPolicyUrl, ...written('policy') }, t.policy),
        ),
      ),
      make(
        'div',
        { className: 'a' },
        action(
          'accept',
          decide(() => store.acceptAll('banner')),
        ),
        action(
          'reject',
          decide(() => store.rejectAll('banner')),
        ),
        action('custom', custom),
      ),
      close &&
        make(
          'button',
          {
            type: 'button',
            className: 'x',
            'aria-label': t.close,
            lang: langOf('close'),
            onClick: decide(() => store.rejectAll('close')),
          },
          '×',
        ),
    ),
  );
}
