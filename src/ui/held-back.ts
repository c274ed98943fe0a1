import { inBrowser, noop } from '../core/env.js';
import type { ConsentStore } from '../core/store.js';
import type { Category } from '../core/types.js';
import { matches, queryAll } from '../dom/element.js';
import { doc, whenReady } from './dom.js';
import { readCategories, type EmbedProvider } from './embed-check.js';
import { createEmbedHolder, type EmbedStarter } from './held-back-embeds.js';
import { directionOf } from './i18n/direction.js';
import type { PlaceholderKey } from './i18n/en.js';
import { adoptLook } from './styles.js';
import { scriptPolicy } from './trusted-types.js';

export type { EmbedProvider } from './embed-check.js';

/** Options of {@link activateHeldBack}. */
export interface HeldBackOptions {
  /** Placeholder text; `{p}` is the provider, `{c}` the labels of every category the button grants. @default English */
  blocked?: string;
  /** Placeholder button text. @default English */
  load?: string;
  /** Placeholder text, with no button, for an embed that needs a sale/share category while GPC or an opt-out applies; `{c}` names those categories. @default English */
  optedOut?: string;
  /** Language of the strings given here: the placeholders' `lang`, and for joining category labels ("A, B and C"). @default the page's, joined as English; the English defaults are labelled `en` */
  lang?: string;
  /** Label shown for a category. @default the category's label */
  label?: (category: Category) => string;
  /** When set, only held-back scripts carrying this nonce run, so markup injected into the page cannot use the SDK to run code past the CSP. The script tag passes its own nonce. @default '' (any) */
  nonce?: string;
  /** Placeholder colours: light, dark, or `auto` to follow the visitor's `prefers-color-scheme`. @default 'auto' */
  theme?: 'auto' | 'light' | 'dark';
  /**
   * Embed providers the site vouches for, by the name embeds give in `data-provider`. When set, an
   * embed whose provider is not declared, whose `data-category` is not exactly the declared
   * categories, or whose `data-src` host is not declared is refused: no placeholder, never loaded.
   * @default undefined (any provider)
   */
  providers?: Readonly<Record<string, EmbedProvider>> | undefined;
  /** Receives a warning for each refused element. @default console.warn */
  warn?: (message: string) => void;
}

const SELECTOR = 'script[type="text/plain"][data-category],[data-category][data-src]:not(script)';

/**
 * Runs held-back content when its category is granted, now and whenever consent or the DOM
 * changes (one MutationObserver for content added, moved or removed later):
 * - `<script type="text/plain" data-category="analytics" src|inline>` runs once, in document
 *   order, keeping its attributes and nonce; `data-type="module"` makes it a module.
 * - `<iframe data-category="social" data-src="…" data-provider="…">` (or any element with
 *   `data-src`) gets its source on grant; until then an in-place placeholder names the provider and
 *   every category, with one button that grants exactly those categories and loads it. The
 *   placeholder lives and dies with its element: an app that removes or re-renders the element
 *   takes the placeholder with it. While GPC or an opt-out applies, a placeholder for an embed that
 *   needs a sale/share category only says so: no click undoes an opt-out. When one of its
 *   categories is withdrawn, a loaded embed loses its source and its placeholder comes back.
 * Several categories (`data-category="analytics advertising"`) must all be granted. Unknown ids (and
 * `necessary` on an embed) are refused with a warning and never run or load. Returns the cleanup.
 * Outside a browser it does nothing.
 */
export function activateHeldBack(store: ConsentStore, options: HeldBackOptions = {}): () => void {
  return runHeldBack(store, options, (s, o) => createEmbedHolder(s, o));
}

/**
 * {@link HeldBackOptions} as the consent UI passes them: a placeholder text its language does not
 * have is undefined, and the placeholders' own English applies (held-back-embeds.ts).
 */
export type HeldBackRunOptions = Omit<HeldBackOptions, PlaceholderKey> & {
  [K in PlaceholderKey]?: string | undefined;
} & {
  /** The language of each placeholder text given, by key (the UI's come from the site, a pack or English). @default `lang` for each */
  textLang?: (key: PlaceholderKey) => string | undefined;
  /** Told of each external script inserted, with a promise settled once it has run or failed. @default none */
  _private_loading?: ((loaded: Promise<unknown>) => void) | undefined;
};

/**
 * {@link activateHeldBack}, with the embeds handled by what `embeds` starts: the npm build starts
 * them at once, the script tag fetches them when the page has one (src/entries/boot/embeds-loader.ts).
 * `listen` subscribes the scan to the store's changes (the consent UI puts it before its banner).
 */
export function runHeldBack(
  store: ConsentStore,
  options: HeldBackRunOptions,
  embeds: EmbedStarter,
  listen: (listener: () => void) => () => void = (listener) => store.subscribe(listener),
): () => void {
  if (!inBrowser()) return noop;
  const {
    blocked,
    load,
    optedOut,
    lang,
    textLang = () => lang,
    label = (c: Category) => c.label,
    nonce = '',
    theme = 'auto',
    providers,
    warn = (message: string) => console.warn('[consentline]', message),
    _private_loading: loading = noop,
  } = options;
  const done = new WeakSet<Element>();
  let chain: Promise<unknown> = Promise.resolve();
  // Scripts queued on `chain` and not yet inserted: while there are any, a new one queues behind them.
  let queued = 0;
  const loads: Promise<unknown>[] = [];
  let stop = () => {};

  const refused = (el: HTMLElement, reason: string) => {
    done.add(el);
    warn(
      `held back for good: <${el.tagName.toLowerCase()} data-category="${el.dataset['category']?.slice(0, 80)}">: ${reason}`,
    );
  };

  const holder = embeds(
    store,
    { blocked, load, optedOut, lang, textLang, label, theme, adoptLook, directionOf, providers, refuse: refused },
    () => scanAll(),
  );

  const granted = (categories: Category[]): boolean => {
    const grants = store.get().grants;
    return categories.every((c) => grants[c.id] === true);
  };

  const handle = (el: Element) => {
    if (!(el instanceof HTMLElement)) return;
    if (!(el instanceof HTMLScriptElement)) {
      holder._private_handle(el);
      return;
    }
    if (done.has(el)) return;
    const read = readCategories(el, store.categories, false);
    if (read.kind === 'refused') {
      refused(el, read.reason);
      return;
    }
    if (!granted(read.categories)) return;
    done.add(el);
    if (nonce && el.nonce !== nonce) return;
    // A clone of a never-started script starts when inserted, keeping its nonce (cloning copies
    // it) and its src without a Trusted Types sink. External scripts go in back to back with
    // async=false: they download in parallel and the browser runs them in insertion order.
    // Inline code runs on insertion, so it first waits for every external script before it.
    const external = el.hasAttribute('src');
    const insert = () => {
      if (!el.isConnected) return;
      // A refusal that came while this script waited for the ones before it: it is held back
      // again, and runs on a later grant like any other.
      if (!granted(read.categories)) {
        done.delete(el);
        return;
      }
      const s = el.cloneNode(true) as HTMLScriptElement;
      s.type = el.dataset['type'] || 'text/javascript';
      if (!el.hasAttribute('async')) s.async = false;
      // Inline code needs a TrustedScript under require-trusted-types-for: the page's own markup
      // (nonce-checked above when a nonce is in use) passes through a policy named "consentline".
      const policy = external ? undefined : scriptPolicy();
      if (policy) s.text = policy.createScript(el.text) as string;
      if (external) {
        // Held only while it loads: a settled load has nothing left to wait for, and its
        // event would keep the script (and a page an SPA has dropped) alive.
        const loaded = new Promise((next) => (s.onload = s.onerror = () => next(0)));
        loads.push(loaded);
        void loaded.then(() => loads.splice(loads.indexOf(loaded), 1));
        loading(loaded);
      }
      el.replaceWith(s);
    };
    // An external script goes in at once, inside the click that granted it, so its download
    // starts before the click returns; it runs in a later task in any case. Inline code would run
    // inside the store's change, so it goes in a microtask later, after every external script
    // before it has run; whatever follows it in the page queues behind it.
    if (external && !queued) {
      try {
        insert();
      } catch {
        // One script that could not go in must not stop the ones after it.
      }
      return;
    }
    queued++;
    chain = chain
      .then((): unknown => (external ? 0 : Promise.all(loads)))
      .then(insert)
      .catch(() => {})
      .then(() => queued--);
  };

  // One element that throws (an <embed> whose src wants a TrustedScriptURL) is refused for good;
  // the ones after it in the page are still handled.
  const refuseOnThrow = (el: Element, run: () => void) => {
    try {
      run();
    } catch (error) {
      refused(el as HTMLElement, String(error));
    }
  };
  const handleOrRefuse = (el: Element) => refuseOnThrow(el, () => handle(el));

  // Through the prototypes (src/dom/element.ts): a <form> has its controls as named properties, so
  // one holding <input name="querySelectorAll"> shadows the form's own method.
  const scan = (root: Element) => queryAll(root, SELECTOR).forEach(handleOrRefuse);
  const scanAll = () => {
    holder._private_tidy();
    scan(doc('documentElement'));
  };
  const cancel = whenReady(() => {
    scanAll();
    const unsubscribe = listen(scanAll);
    const observer = new MutationObserver((records) => {
      for (const r of records) {
        r.addedNodes.forEach((n) => {
          if (n instanceof Element) {
            if (matches(n, SELECTOR)) handleOrRefuse(n);
            scan(n);
          }
        });
      }
      holder._private_tidy();
    });
    observer.observe(doc('documentElement'), { childList: true, subtree: true });
    stop = () => {
      unsubscribe();
      observer.disconnect();
    };
  }, true);

  return () => {
    cancel();
    stop();
    holder._private_stop();
  };
}
