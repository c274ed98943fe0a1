// Held-back embeds: an in-place placeholder until the embed's categories are granted, the embed's
// source once they are. The held-back scan (held-back.ts) finds the embeds and hands each one here;
// the npm build starts this at once, the script tag fetches it as an add-on when the page first has
// an embed (src/entries/boot/embeds-loader.ts). The placeholder's styles and English come with it,
// so a script-tag page without embeds carries neither.
import { saleShareLocked } from '../core/sale-share-lock.js';
import type { ConsentStore } from '../core/store.js';
import type { Category, ConsentState } from '../core/types.js';
import { button, h } from './dom.js';
import { readEmbed, type EmbedProvider, type EmbedRead, type ProviderTable } from './embed-check.js';
import { enPlaceholder, type PlaceholderKey } from './i18n/en.js';
import { PLACEHOLDER_LOOK, type Look } from './styles.js';

/** What the embed half needs from the held-back options, defaults applied but the placeholder's texts (undefined: English). */
export interface EmbedOptions {
  blocked: string | undefined;
  load: string | undefined;
  optedOut: string | undefined;
  /** The language category labels are joined in (undefined: English). */
  lang: string | undefined;
  /** The language of each text given (undefined: the page's). */
  textLang: (key: PlaceholderKey) => string | undefined;
  label: (category: Category) => string;
  theme: 'auto' | 'light' | 'dark';
  /** Adopts a look and returns its release (styles.ts): the SDK's, so its add-on carries no copy. */
  adoptLook: (look: Look) => () => void;
  /** The writing direction of a language tag (i18n/direction.ts): the SDK's, so its add-on carries no copy of its table. */
  directionOf: (tag: string) => 'rtl' | 'ltr';
  providers?: Readonly<Record<string, EmbedProvider>> | undefined;
  /** Refuses an element for good, with a warning (see held-back.ts). */
  refuse: (el: HTMLElement, reason: string) => void;
}

/** Handles the embeds the held-back scan finds. */
export interface EmbedHolder {
  /** Draws a placeholder for `el`, loads it when granted, unloads it when withdrawn. */
  _private_handle(el: HTMLElement): void;
  /** Keeps each placeholder beside its element, and drops those whose element is gone. */
  _private_tidy(): void;
  /** Removes every placeholder; embeds already loaded stay. */
  _private_stop(): void;
}

/** Starts an embed holder for `store`; `rescan` asks the held-back scan to hand every embed again. */
export type EmbedStarter = (store: ConsentStore, options: EmbedOptions, rescan: () => void) => EmbedHolder;

/** A placeholder standing in for one embed; `_private_text` is what it says, so it is redrawn only when that changes. */
interface Placeholder {
  _private_box: HTMLElement;
  _private_text: string;
  /** What its text and button go in: the box, or a box inside it (see {@link Fit}). */
  _private_inside: HTMLElement;
}

/**
 * Sizes a new placeholder `box` like the element `el` it stands in for, so swapping them never
 * shifts the layout; returns the element its text and button go in.
 */
export type Fit = (el: HTMLElement, box: HTMLElement) => HTMLElement;

/**
 * The size of the element's width/height attributes, not its offsetWidth: measuring would force a
 * layout of the whole page while it is still loading.
 */
export const fitToAttributes: Fit = (el, box) => {
  for (const k of ['width', 'height']) {
    // An iframe without the attribute is 300×150 by default.
    const v = el.getAttribute(k) ?? (el.tagName === 'IFRAME' ? (k === 'width' ? '300' : '150') : null);
    if (v && /^\d+$/.test(v)) box.style.setProperty(k, v + 'px', 'important');
  }
  return box;
};

// Sale/share categories a placeholder click may not grant (see saleShareLocked): the store would
// keep them denied under GPC anyway; this also keeps a click from undoing a Do Not Sell.
const lockedFor = (categories: Category[], s: ConsentState): Category[] =>
  categories.filter((c) => c.saleShare && !s.grants[c.id] && saleShareLocked(s));

/** Handles held-back embeds for `store` (see activateHeldBack), sizing each placeholder with `fitBox`. */
export const createEmbedHolder = (
  store: ConsentStore,
  options: EmbedOptions,
  fitBox: Fit = fitToAttributes,
): EmbedHolder => {
  const { lang, textLang, label, theme, adoptLook, directionOf, providers, refuse } = options;
  // Each text says its language and that language's direction: the English defaults are in English
  // whatever the page's. A text in the page's language (no `lang`) takes the page's direction.
  const said = (key: PlaceholderKey) => {
    const text = options[key];
    const written = text === undefined ? 'en' : textLang(key);
    return {
      _private_text: text ?? enPlaceholder[key],
      _private_lang: written,
      _private_dir: written && directionOf(written),
    };
  };
  const blocked = said('blocked');
  const load = said('load');
  const optedOut = said('optedOut');
  // Embeds loaded or refused; a withdrawal takes a loaded one out again.
  const done = new WeakSet<HTMLElement>();
  // Embeds loaded here, with the categories they were loaded for: a withdrawal unloads them.
  const loadedFor = new WeakMap<HTMLElement, Category[]>();
  const placeholders = new Map<HTMLElement, Placeholder>();
  // The placeholders' styles, adopted with the first one drawn: none on a page without embeds.
  let release: (() => void) | undefined;
  // A load queued before the cleanup finds it done: nothing is drawn, loaded or adopted after it.
  let stopped = false;
  // A Map of own entries: a provider named "constructor" must not find Object.prototype's.
  const table: ProviderTable | undefined = providers && new Map(Object.entries(providers));

  const names = (categories: Category[]): string => {
    const labels = categories.map(label);
    // One label needs no joining. Creating an Intl.ListFormat loads locale data: it was most of
    // the SDK's script time at load on a page with one embed.
    if (labels.length < 2) return labels.join('');
    try {
      return new Intl.ListFormat(lang || 'en', { type: 'conjunction' }).format(labels);
    } catch {
      // No Intl.ListFormat, or a language tag it does not know.
      return labels.join(', ');
    }
  };

  const refused = (el: HTMLElement, reason: string) => {
    done.add(el);
    refuse(el, reason);
  };

  const unplace = (el: HTMLElement) => {
    placeholders.get(el)?._private_box.remove();
    placeholders.delete(el);
  };

  const place = (el: HTMLElement, embed: Extract<EmbedRead, { kind: 'ok' }>) => {
    const locked = lockedFor(embed.categories, store.get());
    const fill = (s: string, categories: Category[]) =>
      s.replace(/\{(\w)\}/g, (_, k: string) => (k === 'p' ? embed.provider : names(categories)));
    const shown = locked.length ? optedOut : blocked;
    const text = fill(shown._private_text, locked.length ? locked : embed.categories);
    const old = placeholders.get(el);
    if (old && old._private_text === text) return;
    release ||= adoptLook(PLACEHOLDER_LOOK);
    const content = [
      h('p', { textContent: text, lang: shown._private_lang, dir: shown._private_dir }),
      !locked.length &&
        button(
          fill(load._private_text, embed.categories),
          () => {
            // Checked again on click: an opt-out may have come since the placeholder was drawn.
            if (lockedFor(embed.categories, store.get()).length) return;
            store.set(Object.fromEntries(embed.categories.map((c) => [c.id, true])), 'embed');
          },
          { lang: load._private_lang, dir: load._private_dir },
        ),
    ];
    // Redrawn with the same box (and the same inner box, if it has one): its size stays.
    const box = old
      ? (old._private_box.cloneNode() as HTMLElement)
      : // A forced theme is a class; 'auto' is the stylesheet's media query.
        h('div', { className: theme === 'auto' ? 'consentline-ph' : `consentline-ph ${theme}` });
    let inside = box;
    if (!old) inside = fitBox(el, box);
    else if (old._private_inside !== old._private_box)
      box.append((inside = old._private_inside.cloneNode() as HTMLElement));
    for (const node of content) if (node) inside.append(node);
    if (old) old._private_box.replaceWith(box);
    else el.before(box);
    placeholders.set(el, { _private_box: box, _private_inside: inside, _private_text: text });
    el.style.setProperty('display', 'none', 'important');
  };

  const granted = (categories: Category[]): boolean => {
    const grants = store.get().grants;
    return categories.every((c) => grants[c.id] === true);
  };

  const handle = (el: HTMLElement) => {
    const loadedWith = loadedFor.get(el);
    // A withdrawn embed goes back behind its placeholder: an iframe without src navigates to
    // about:blank, so the provider's page stops with the consent it was loaded on.
    if (loadedWith && !granted(loadedWith)) {
      loadedFor.delete(el);
      done.delete(el);
      el.removeAttribute('src');
    }
    if (done.has(el)) return;
    const embed = readEmbed(el, store.categories, table);
    if (embed.kind === 'refused') {
      unplace(el);
      refused(el, embed.reason);
      return;
    }
    if (granted(embed.categories)) {
      done.add(el);
      queueMicrotask(() => refuseOnThrow(el, () => loadEmbed(el, embed.categories, embed.src)));
    } else {
      place(el, embed);
    }
  };

  // A granted embed loads a microtask after the change that granted it, and only if still granted
  // then: a grant withdrawn within the same task (an app's accept then reject) requests nothing.
  const loadEmbed = (el: HTMLElement, categories: Category[], src: URL) => {
    if (stopped) return;
    done.delete(el);
    if (!granted(categories)) {
      handle(el);
      return;
    }
    done.add(el);
    unplace(el);
    el.style.removeProperty('display');
    // Hidden in place while the script tag fetched this add-on (embeds-loader.ts).
    el.style.removeProperty('visibility');
    // Set once: written again, an iframe reloads (another mount of the UI takes over a loaded one).
    if ((el as HTMLIFrameElement).src !== src.href) (el as HTMLIFrameElement).src = src.href;
    loadedFor.set(el, categories);
  };

  // One element that throws (an <embed> whose src wants a TrustedScriptURL) is refused for good;
  // the ones after it in the page are still handled.
  const refuseOnThrow = (el: HTMLElement, run: () => void) => {
    try {
      run();
    } catch (error) {
      refused(el, String(error));
    }
  };

  return {
    _private_handle: (el) => refuseOnThrow(el, () => handle(el)),
    // A placeholder follows its element: gone when the element is gone (a framework removed or
    // re-rendered it), and back beside it when the element was moved.
    _private_tidy() {
      placeholders.forEach((p, el) => {
        if (!el.isConnected) unplace(el);
        else if (el.previousSibling !== p._private_box) el.before(p._private_box);
      });
    },
    _private_stop() {
      stopped = true;
      placeholders.forEach((p, el) => {
        p._private_box.remove();
        el.style.removeProperty('display');
        el.style.removeProperty('visibility');
      });
      placeholders.clear();
      release?.();
      release = undefined;
    },
  };
};
