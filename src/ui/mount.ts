import { inBrowser, noop } from '../core/env.js';
import { withdrawnIn } from '../core/grants.js';
import { randomId } from '../core/random-id.js';
import type { ConsentStore } from '../core/store.js';
import type { Category, ConsentState } from '../core/types.js';
import { clearCookies } from './cookies.js';
import { button, doc, h, on, whenReady } from './dom.js';
import { runHeldBack, type HeldBackOptions } from './held-back.js';
import { createEmbedHolder, type EmbedStarter } from './held-back-embeds.js';
import { directionOf } from './i18n/direction.js';
import { enUi, type Strings, type UiStrings } from './i18n/en.js';
import { pickLanguage } from './i18n/pick.js';
import { mixesLanguages, textLanguage } from './i18n/text-languages.js';
import { adoptLook, UI_LOOK } from './styles.js';

/** One row of a category's cookie table in the preferences dialog; every field is shown as text. */
export interface CookieInfo {
  /** The cookie's name or pattern, e.g. `_ga` or `_ga_*`. */
  name: string;
  /** Who sets it: a company or a domain. */
  provider?: string;
  /** What it is for. */
  purpose?: string;
  /** How long it lasts, as the visitor should read it ("2 years", "Session"). */
  duration?: string;
}

/** The look of the consent UI, shared with the server-rendered copy of the first layer in the framework bindings. */
export interface ConsentUiLook {
  /** The banner's shape: a full-width `bar`, a `box` in a corner, or a `modal` card in the middle (no backdrop: the page stays usable). @default 'bar' */
  layout?: 'bar' | 'box' | 'modal';
  /** Which edge the bar or box sits at; `'center'` is the same as `layout: 'modal'`. @default 'bottom' */
  position?: 'bottom' | 'top' | 'center';
  /** Light, dark, or `auto` to follow the visitor's `prefers-color-scheme`; the page's `color-scheme` never changes it. @default 'auto' */
  theme?: 'auto' | 'light' | 'dark';
  /** Show a close control on the banner; closing counts as "Reject all" and says so. @default false */
  close?: boolean;
}

const layoutOf = ({ layout = 'bar', position }: ConsentUiLook) => (position === 'center' ? 'modal' : layout);

/** The class names of the UI's root and banner for a look. */
export const lookClasses = (look: ConsentUiLook) => ({
  root: look.theme || 'auto',
  banner: `b ${layoutOf(look)} ${look.position === 'top' ? 'top' : 'bottom'}${look.close ? ' cx' : ''}`,
});

// How far a banner's lower edge sits above the viewport's on wide screens (a box floats, see
// styles.ts), by layout. On narrow screens every layout is a sheet at the bottom edge.
const BOTTOM_GAP: Record<string, number> = { bar: 0, box: 16, modal: 0 };

// Column headers of the cookie table, by the CookieInfo field they show.
const COLUMNS = {
  name: 'cookieName',
  provider: 'cookieProvider',
  purpose: 'cookiePurpose',
  duration: 'cookieDuration',
} as const;

/** Options of {@link mountConsentUi}. */
export interface ConsentUiOptions extends ConsentUiLook {
  /** Show a floating "Cookie settings" button once the visitor has decided. @default false */
  reopen?: boolean;
  /** The site's privacy policy, linked from the banner. @default none */
  privacyPolicyUrl?: string;
  /** Language tag to use. @default `<html lang>`, then the browser's languages */
  lang?: string;
  /** Extra language packs by primary subtag, e.g. `{ fr, de }` from `consentline/ui`. @default {} (English only) */
  languages?: Record<string, Partial<Strings>>;
  /** Strings that override the chosen language's. @default {} */
  strings?: Partial<Strings>;
  /** Also run held-back scripts and embeds (see `activateHeldBack`). @default true */
  heldBack?: boolean;
  /** Reload the page when a category is withdrawn, since scripts already running cannot be unloaded. @default false */
  reloadOnWithdraw?: boolean;
  /** Cookie paths besides `/` to clear a withdrawn category's cookies on. @default [] */
  cookiePaths?: readonly string[];
  /** Only held-back scripts with this nonce run (see `activateHeldBack`). @default '' (any) */
  nonce?: string;
  /**
   * Runs work a change causes that can wait until the click that made it is over: clearing a
   * withdrawn category's cookies (and the reload of `reloadOnWithdraw`), and the status message
   * saying the choices were saved. Tasks must run in the order given. The script tag passes a
   * queue flushed in a later task (once the held-back scripts a grant inserted have run, 200 ms at
   * most), so a click only hides the banner and runs held-back content.
   * @default run at once
   */
  defer?: (task: () => void) => void;
  /** Embed providers the site vouches for (see `activateHeldBack`). @default undefined (any) */
  providers?: HeldBackOptions['providers'];
  /**
   * The cookie table shown, collapsed, under each category in the preferences dialog, by category id.
   * A category without one lists the names in its `cookies`; a column shows only when some row fills it.
   * @default {}
   */
  cookieTable?: Readonly<Record<string, readonly CookieInfo[]>>;
}

/** A mounted consent UI: call it to remove everything it added. */
export interface ConsentUi {
  /** Removes the banner, the dialog, the reopen button, the embed placeholders and every listener it added; scripts already run and embeds already loaded stay. */
  (): void;
  /** Opens the preferences dialog. */
  showPreferences(): void;
  /** Closes the preferences dialog without deciding. */
  hidePreferences(): void;
  /**
   * Calls `listener` with whether the page's preferences dialog is open, at once and whenever it
   * opens or closes (saving closes it after the decision is made); returns the unsubscribe. With
   * two mounts on one page, the one dialog is reported by both, whichever mount draws it; a
   * mount's listeners hear `false` when it is destroyed. A listener that throws is skipped. For
   * `installGpp`'s `preferences` option.
   */
  watchPreferences(listener: (open: boolean) => void): () => void;
}

const ID = 'consentline';
// One UI per page, even when two builds mount it (the script tag and the ESM build) or an app
// mounts it twice (a banner component and a footer that wants `showPreferences`). The live root
// is kept under a registered symbol, not looked up by id: page content can carry id="consentline"
// (a CMS keeps ids), but no element can set a symbol-keyed property.
const LIVE: unique symbol = Symbol.for('consentline.ui');
// The other mounts, in order: the first draws the UI when the live one is destroyed.
const WAITING: unique symbol = Symbol.for('consentline.ui.waiting');
// On the live root: its dialog, which every other mount's showPreferences opens.
const CONTROLS: unique symbol = Symbol.for('consentline.ui.controls');
// Every mount's way of hearing whether the page's one dialog is open: the mount that draws it tells
// them all, so each mount's watchPreferences reports the dialog whichever mount opened it.
const HEARING: unique symbol = Symbol.for('consentline.ui.hearing');

interface Controls extends Pick<ConsentUi, 'showPreferences' | 'hidePreferences'> {
  /** Whether its dialog is open (absent on a root drawn by an older build). */
  isOpen?: () => boolean;
}

/** What the page keeps of its consent UI, under registered symbols: every build on the page shares it. */
interface PageUi {
  [LIVE]?: HTMLElement & { [CONTROLS]?: Controls };
  [WAITING]?: Array<() => void>;
  [HEARING]?: Set<(open: boolean) => void>;
}

// The looks the styles know. JavaScript callers get no type check: a layout the styles do not know
// would draw a banner with no layout at all, so it throws (the script tag validates its own).
const LOOKS: Record<'layout' | 'position' | 'theme', readonly string[]> = {
  layout: ['bar', 'box', 'modal'],
  position: ['bottom', 'top', 'center'],
  theme: ['auto', 'light', 'dark'],
};

/**
 * Mounts the consent banner (until a valid decision exists), the preferences dialog (opened by
 * "Customize", by `showPreferences()`, by any element marked `data-consentline-preferences`, and
 * by the optional floating button) and held-back content handling. Rendered at once if the body
 * exists, else as soon as the parser inserts it. Returns the destroy function, with `showPreferences` on it.
 * Outside a browser (a server render) it mounts nothing and every function it returns does nothing.
 * Throws an `Error` naming the option when `layout`, `position` or `theme` is not one of its values.
 *
 * @example
 * const ui = mountConsentUi(store, { languages: { fr }, privacyPolicyUrl: '/privacy' });
 * ui.showPreferences();
 */
export function mountConsentUi(store: ConsentStore, options: ConsentUiOptions = {}): ConsentUi {
  for (const [key, allowed] of Object.entries(LOOKS)) {
    const value: unknown = options[key as keyof typeof LOOKS];
    if (value !== undefined && !allowed.includes(value as string))
      throw new Error(`mountConsentUi: ${key} must be one of ${allowed.join(', ')}, not ${JSON.stringify(value)}`);
  }
  return mountUi(store, options, (s, o) => createEmbedHolder(s, o), clearCookies);
}

/** {@link ConsentUiOptions} as the script tag mounts the UI. */
export interface MountUiOptions extends ConsentUiOptions {
  /**
   * Runs `task`, which draws the UI (its stylesheet, its root and banner, held-back content), and
   * returns its cancel. Until it has run, `showPreferences` opens the dialog once the UI is drawn.
   * @default at once
   */
  _private_draw?: (task: () => void) => () => void;
  /** Told of each external held-back script the UI inserts, with a promise settled once it has run or failed. @default none */
  _private_loading?: ((loaded: Promise<unknown>) => void) | undefined;
}

/**
 * What {@link mountConsentUi} mounts, with held-back embeds handled by what `embeds` starts (the
 * script tag fetches them as an add-on, see src/entries/boot/embeds-loader.ts); `clearOnPaths`, when given, clears a withdrawn category's
 * cookies on the extra `cookiePaths`. The script tag gives none: its cookie storage clears those
 * paths with the rest (see script-tag.ts), so its file carries no second way of clearing cookies.
 */
export function mountUi(
  store: ConsentStore,
  options: MountUiOptions,
  embeds: EmbedStarter,
  clearOnPaths?: typeof clearCookies,
): ConsentUi {
  if (!inBrowser())
    return Object.assign(() => {}, { showPreferences: noop, hidePreferences: noop, watchPreferences: () => noop });
  const {
    position = 'bottom',
    close = false,
    theme = 'auto',
    reopen = false,
    privacyPolicyUrl,
    lang,
    languages = {},
    strings = {},
    heldBack = true,
    reloadOnWithdraw = false,
    cookiePaths = [],
    nonce = '',
    defer = (task: () => void) => task(),
    _private_draw: drawIn = (task: () => void) => {
      task();
      return noop;
    },
  } = options;
  const d = document;
  const look = lookClasses(options);
  // Null prototype: a category id such as "constructor" must not read Object.prototype's members.
  const tables: Record<string, readonly CookieInfo[] | undefined> = Object.assign(
    Object.create(null),
    options.cookieTable,
  );
  // The UI's language, its texts and the suffix of its ids are worked out when it is drawn (see
  // `speak`), not in the task that mounts it: the script tag's boot ends with the API complete and
  // leaves the rest to the draw's task.
  let tag: string;
  let t: UiStrings;
  let languageOf: (key: string) => string;
  let mixed: boolean;
  let ref: string;
  const label = (c: Category) => (c.label !== c.id ? c.label : t[c.id] || c.id);
  // A category's label or description given in the configuration (no key) is the site's, in the
  // root's language: nothing between them says another.
  const inLang = (key: string | false) => (mixed && key ? languageOf(key) : undefined);
  // A text in another language than the root's is laid out in that language's direction too.
  const written = (key: string | false) => {
    const lang = inLang(key);
    return { lang, dir: lang && directionOf(lang) };
  };
  const say = (key: string) => ({ textContent: t[key], ...written(key) });
  // The close controls and the reopen button sit at the UI's inline end or start: they keep its
  // direction, which places them; their text keeps only its `lang`.
  const placed = { dir: undefined };
  const labelKey = (c: Category) => c.label === c.id && !!t[c.id] && c.id;
  const act = (key: string, fn: () => unknown, props = {}) => button(t[key]!, fn, { ...written(key), ...props });
  const speak = () => {
    // Strings given without `lang` are taken to be in the page's language, as its own texts are.
    const picked = pickLanguage(
      { en: enUi, ...languages },
      lang || (Object.keys(strings).length ? doc('documentElement').lang : undefined),
    );
    const pack = picked._private_pack;
    tag = picked._private_tag;
    // The placeholder's texts are the site's or its language's, else the placeholders' own English
    // (held-back-embeds.ts): the script tag ships that with the placeholders, not in its own file.
    t = Object.assign(Object.create(null), enUi, pack, strings);
    // What is not in the UI's language (a forced `lang` without a pack, a pack without every string)
    // says which it is in (WCAG 3.1.2). Then every text says its own, so none takes a parent's.
    languageOf = textLanguage(tag, pack, picked._private_packTag, strings);
    mixed = mixesLanguages(languageOf, tag);
    // The ids that ARIA references resolve to the first element with that id in the document, and
    // page content before the UI could carry a fixed one (a comment's <p id="consentline-h"> would
    // name the dialog). A suffix drawn per mount cannot be written into the page in advance.
    ref = `${ID}-${randomId()}`;
  };
  let root: HTMLElement | undefined;
  let banner: HTMLElement | undefined;
  // Stops sizing the bar's spacer and removes it, through `removal` (at once by default).
  let unspace = (_removal?: (task: () => void) => void) => {};
  let dialog: HTMLDialogElement | undefined;
  let reopenButton: HTMLButtonElement | undefined;
  let live: HTMLElement | undefined;
  // The page element that had focus when focus entered the UI.
  let before: HTMLElement | null = null;
  let opener: Element | null = null;
  let pending = false;
  const page = d as unknown as PageUi;
  // Another mount's UI, while it is on the page and this one draws none (waiting, or destroyed:
  // the root left behind is its own, never asked).
  const other = (): Controls | undefined => {
    const drawn = page[LIVE];
    return !root && drawn?.isConnected ? drawn[CONTROLS] : undefined;
  };
  // Whether the page's dialog is open, as this mount's watchers were last told: a mount that joins
  // while another mount's dialog is open starts from that.
  let open = other()?.isOpen?.() === true;
  const watchers = new Set<(open: boolean) => void>();
  const told = (watcher: (open: boolean) => void) => {
    try {
      watcher(open);
    } catch {
      // One watcher's failure must not break the dialog or the others.
    }
  };
  const hear = (now: boolean) => {
    if (now === open) return;
    open = now;
    watchers.forEach(told);
  };
  const hearing = (page[HEARING] ??= new Set());
  hearing.add(hear);
  // The mount that draws the dialog tells every mount; one that draws none changes only what its
  // own watchers hear (its destroy).
  const tell = (now: boolean) => {
    if (!root) hear(now);
    else for (const other of [...hearing]) other(now);
  };

  // Focus goes back where it was (WCAG 2.4.3): to `el`, else to the page element that had it before
  // the UI, else to the reopen button; with none of them, it stays where the browser leaves it. Not
  // scrolled to: the page stays where the visitor left it.
  const restore = (el: Element | null) =>
    [el, before, !reopenButton?.hidden && reopenButton]
      .find((e): e is HTMLElement => !!e && e.isConnected && e !== doc('body'))
      ?.focus({ preventScroll: true });
  // Tells screen readers `key`'s text through the polite live region (empty: nothing).
  const announce = (key?: string) => live?.replaceChildren(key ? h('span', say(key)) : '');
  // A decision made in the UI: the dialog closes and screen readers hear it was saved (WCAG 4.1.3),
  // once the click is over.
  const decide = (fn: () => unknown) => () => {
    fn();
    hidePreferences();
    defer(() => announce('saved'));
  };

  const showBanner = (show: boolean) => {
    if (!root) return;
    if (reopenButton) reopenButton.hidden = show;
    if (show && !banner) {
      banner = h(
        'div',
        { className: look.banner, role: 'region', 'aria-label': t.title, lang: inLang('title') },
        h(
          'div',
          { className: 't' },
          h('p', {}, h('strong', say('title'))),
          h(
            'p',
            { textContent: t.text + ' ', ...written('text') },
            privacyPolicyUrl && h('a', { href: privacyPolicyUrl, ...say('policy') }),
          ),
        ),
        h(
          'div',
          { className: 'a' },
          act(
            'accept',
            decide(() => store.acceptAll('banner')),
          ),
          act(
            'reject',
            decide(() => store.rejectAll('banner')),
          ),
          act('custom', showPreferences),
        ),
        close &&
          act(
            'close',
            decide(() => store.rejectAll('close')),
            { className: 'x', 'aria-label': t.close, textContent: '×', ...placed },
          ),
      );
      root.prepend(banner);
      // A bottom bar would cover the end of the page (the footer's "Do Not Sell" and "Cookie
      // settings" links) at full scroll: an in-flow spacer as tall as the bar lets the page scroll
      // clear of it. Added after everything else, it moves nothing (CLS stays 0); sized by a
      // ResizeObserver, after layout, so nothing forces one. The size is written in the next
      // frame, not in the callback: a write there that changes layout again (the spacer makes the
      // page scroll, the scrollbar narrows the bar) is a "ResizeObserver loop completed with
      // undelivered notifications" error on window.onerror in Firefox, on every load.
      // Every layout but a top one: a modal card is a bottom sheet on a phone.
      const gap = BOTTOM_GAP[layoutOf(options)] ?? 0;
      if (position !== 'top' && typeof ResizeObserver === 'function') {
        const spacer = h('div', { 'aria-hidden': 'true' });
        const bar = banner;
        let frame = 0;
        const ro = new ResizeObserver(([e]) => {
          const height = e?.borderBoxSize[0]?.blockSize ?? 0;
          cancelAnimationFrame(frame);
          frame = requestAnimationFrame(() => spacer.style.setProperty('height', `${height + gap}px`, 'important'));
        });
        // Only once the page is parsed, so the spacer really is last and pushes nothing down.
        const cancel = whenReady(() => {
          ro.observe(bar);
          doc('body').append(spacer);
        }, true);
        unspace = (removal = (task: () => void) => task()) => {
          cancel();
          cancelAnimationFrame(frame);
          ro.disconnect();
          removal(() => spacer.remove());
        };
      }
      // Announced through a polite live region filled a moment later (a region must exist before
      // its text changes to be read), so focus stays wherever the visitor is typing.
      setTimeout(() => banner && announce('title'), 99);
    } else if (!show && banner) {
      const had = banner.contains(doc('activeElement'));
      // Left in the region, the title would still be read where the banner no longer is.
      announce();
      // The spacer goes with the work a decision leaves for later: removed in the click, it
      // changes the page's height, which updates every layer's compositing inputs and repaints
      // the page in the frame the held-back scripts' responses wait behind. Only the end of the
      // page, past its content, stays that much longer.
      unspace(defer);
      unspace = () => {};
      banner.remove();
      banner = undefined;
      if (had) restore(null);
    }
  };

  // Closes the dialog; `hidePreferences` also tells the watchers, `showPreferences` drawing it again does not.
  const closeDialog = () => {
    const dl = dialog;
    if (!dl) return;
    dialog = undefined;
    dl.close();
    dl.remove();
    banner?.classList.remove('hd');
    restore(opener);
  };
  function hidePreferences() {
    closeDialog();
    tell(false);
  }

  // A category's cookies as a small table inside a collapsed <details>: the dialog stays short. The
  // table is named by the category's label (the element `name` is its id) and the summary.
  const cookieDetails = (c: Category, name: string) => {
    const rows: readonly CookieInfo[] = tables[c.id] ?? c.cookies.map((name) => ({ name }));
    if (!rows.length) return false;
    const columns = (Object.keys(COLUMNS) as Array<keyof CookieInfo>).filter((k) => rows.some((r) => r[k]));
    const summary = `${ref}s-${c.id}`;
    return h(
      'details',
      {},
      h('summary', { id: summary, textContent: `${t.cookies} (${rows.length})`, ...written('cookies') }),
      h(
        'table',
        { 'aria-labelledby': `${name} ${summary}` },
        h('thead', {}, h('tr', {}, ...columns.map((k) => h('th', { scope: 'col', ...say(COLUMNS[k]) })))),
        h('tbody', {}, ...rows.map((r) => h('tr', {}, ...columns.map((k) => h('td', { textContent: r[k] || '' }))))),
      ),
    );
  };

  function showPreferences() {
    if (!root) {
      const live = other();
      if (live) live.showPreferences();
      else pending = true;
      return;
    }
    closeDialog();
    opener = doc('activeElement');
    announce();
    const s = store.get();
    const boxes: Array<[string, HTMLInputElement]> = [];
    // The categories scroll between a fixed title and fixed buttons.
    const list = h(
      'div',
      { className: 'l' },
      ...store.categories.map((c) => {
        const id = `${ID}-${c.id}`;
        // Ids of its label and description: `ref`, then a letter or a hyphen, then the category id.
        const name = `${ref}n-${c.id}`;
        // GPC denies sale/share categories whatever the visitor picks here: show it, locked off.
        const locked = c.required || (c.saleShare && s.gpc);
        const box = h('input', {
          type: 'checkbox',
          id,
          role: 'switch',
          checked: s.grants[c.id],
          disabled: locked,
          autofocus: !locked && !boxes.length,
          'aria-describedby': `${ref}-${c.id}`,
        });
        if (!c.required) boxes.push([c.id, box]);
        return h(
          'div',
          { className: 'c' },
          h('label', { className: 's' }, h('span', { id: name, textContent: label(c), ...written(labelKey(c)) }), box),
          h('p', {
            id: `${ref}-${c.id}`,
            textContent: c.description || t[c.id + 'Text'] || '',
            ...written(!c.description && c.id + 'Text'),
          }),
          c.saleShare && s.optedOut && h('p', { className: 'n', ...say('honored') }),
          cookieDetails(c, name),
        );
      }),
    );
    const dl = (dialog = h(
      'dialog',
      { 'aria-labelledby': ref },
      // Its padding keeps the title clear of the close control, in the dialog's direction; the text in its own.
      h('h2', { id: ref }, h('span', say('prefs'))),
      list,
      h(
        'div',
        { className: 'a' },
        act(
          'save',
          decide(() => store.set(Object.fromEntries(boxes.map(([k, b]) => [k, b.checked])), 'preferences')),
        ),
        act(
          'accept',
          decide(() => store.acceptAll('preferences')),
        ),
        act(
          'reject',
          decide(() => store.rejectAll('preferences')),
        ),
      ),
      act('done', hidePreferences, { className: 'x', 'aria-label': t.done, textContent: '×', ...placed }),
    ));
    // Escape closes the dialog natively; tidy up and give focus back.
    dl.onclose = () => dialog === dl && hidePreferences();
    root.append(dl);
    // The dialog takes the banner's place while open: hidden, not removed, so nothing moves.
    banner?.classList.add('hd');
    dl.showModal();
    tell(true);
  }

  const onChange = (s: ConsentState, previous: ConsentState) => {
    showBanner(!s.decision);
    const withdrawn = withdrawnIn(store.categories, previous, s);
    // Decided now, done later: the cookies to clear are those of this change, whatever comes next.
    if (withdrawn.length) {
      defer(() => {
        clearOnPaths?.(
          withdrawn.flatMap((c) => c.cookies),
          cookiePaths,
        );
        if (reloadOnWithdraw) location.reload();
      });
    }
  };

  // At the end of <body>, in the top layer as a manual popover: a transform, filter or contain on
  // <body> or <html> makes position:fixed relative to that element instead of the viewport (the
  // banner would sit at the end of a long page), and the top layer is above any z-index. Moving a
  // popover hides it, so every placement shows it again; without popovers it stays fixed as before.
  const place = (el: HTMLElement) => {
    doc('body').append(el);
    el.showPopover?.();
  };

  let cancelMove = () => {};
  // An app that swaps <body> (Turbo Drive, pjax) or empties it takes the UI out with it: it goes
  // back in, so the banner stays until a decision and the page's settings controls still open the
  // dialog (showModal throws on a dialog out of the document). An open dialog is closed, undecided;
  // the banner is drawn again, with a spacer in the new body. Only the children of <html> and of
  // <body> are watched, which is where a swap or an emptied body shows: the rest of the page (the
  // parser's work, an app's renders) makes no records for it.
  const watch = () => {
    keepIn.observe(doc('documentElement'), { childList: true });
    keepIn.observe(doc('body'), { childList: true });
  };
  const keepIn = new MutationObserver(() => {
    if (!root || root.isConnected || !doc('body')) return;
    watch();
    hidePreferences();
    place(root);
    showBanner(false);
    showBanner(!store.get().decision);
  });
  let stopHeldBack = () => {};
  // Held-back content hears each change before the banner, whenever it starts: in a click that
  // grants, the scripts' requests go out before the banner's removal and the style work it causes.
  const heldBackListeners = new Set<() => void>();
  const start = () => {
    if (page[LIVE]?.isConnected) {
      (page[WAITING] ??= []).push(start);
      // Asked for before any UI was drawn: the one drawn now answers.
      if (pending) other()?.showPreferences();
      pending = false;
      return;
    }
    speak();
    const drawn: PageUi[typeof LIVE] = (root = h(
      'div',
      { id: ID, lang: tag, dir: directionOf(tag), className: look.root, popover: 'manual' },
      (live = h('p', { className: 'sr', 'aria-live': 'polite' })),
    ));
    drawn[CONTROLS] = { showPreferences, hidePreferences, isOpen: () => open };
    page[LIVE] = drawn;
    // Held-back content is handled by the mount that draws the UI only: one placeholder per embed.
    if (heldBack)
      stopHeldBack = runHeldBack(
        store,
        {
          blocked: t.blocked,
          load: t.load,
          optedOut: t.optedOut,
          lang: languageOf('blocked'),
          textLang: languageOf,
          label,
          nonce,
          theme,
          providers: options.providers,
          _private_loading: options._private_loading,
        },
        embeds,
        (listener) => {
          heldBackListeners.add(listener);
          return () => {
            heldBackListeners.delete(listener);
          };
        },
      );
    if (reopen) root.append((reopenButton = act('reopen', showPreferences, { className: 'r', ...placed })));
    place(root);
    watch();
    // Mounted as soon as <body> exists, so the banner is in the first paint; once the page is
    // parsed it moves to the end of <body> (unless it holds focus), which keeps the page's own
    // content first in the tab order. It is position:fixed, so the move shifts nothing. Already
    // last (drawn after the parser's last element), it stays: showing it again forces a style
    // update of the whole page. Before the banner's, so its spacer goes after it.
    cancelMove = whenReady(() => {
      if (root && root !== doc('body').lastElementChild && !root.contains(doc('activeElement'))) place(root);
    }, true);
    showBanner(!store.get().decision);
    if (pending) showPreferences();
  };

  // The stylesheet and the UI: both at once, or both in the task the script tag gives them.
  let undraw = noop;
  const draw = () => {
    const release = adoptLook(UI_LOOK);
    const cancel = whenReady(start);
    undraw = () => {
      release();
      cancel();
    };
  };
  const cleanups = [
    store.subscribe(() => heldBackListeners.forEach((listener) => listener())),
    store.subscribe(onChange),
    drawIn(draw),
    () => undraw(),
    () => cancelMove(),
    () => keepIn.disconnect(),
    // The mount that draws the UI answers the page's settings controls; the others leave it to it.
    on(d, 'click', (e) => {
      if (root && (e.target as Element).closest?.('[data-consentline-preferences]')) {
        e.preventDefault();
        showPreferences();
      }
    }),
    on(d, 'focusin', (e) => {
      const el = e.target as HTMLElement;
      const from = (e as FocusEvent).relatedTarget as HTMLElement | null;
      if (root?.contains(el) && !root.contains(from)) before = from;
      if (!root || root.contains(el) || !el.getBoundingClientRect) return;
      // WCAG 2.4.11: a focused page element must not hide behind the banner or the reopen button.
      // Scroll it clear, and where the page cannot scroll far enough, move ours out of the way.
      const hidden = (cover: HTMLElement) => {
        const b = cover.getBoundingClientRect();
        const r = el.getBoundingClientRect();
        // A box in a corner hides only what is beside it, not the whole width.
        if (!b.width || r.bottom <= b.top || r.top >= b.bottom || r.right <= b.left || r.left >= b.right) return 0;
        return r.top + r.bottom > b.top + b.bottom ? r.top - b.bottom - 8 : r.bottom - b.top + 8;
      };
      const clear = (cover: HTMLElement | undefined, move: (cover: HTMLElement, r: DOMRect) => void) => {
        const dy = cover && hidden(cover);
        if (!dy) return;
        scrollBy({ top: dy, behavior: 'instant' });
        if (hidden(cover)) move(cover, el.getBoundingClientRect());
      };
      // The banner goes to the edge away from the element (a modal card leaves the middle for it).
      clear(banner, (b, r) => {
        b.classList.add('e');
        b.classList.toggle('top', r.top + r.bottom > innerHeight);
      });
      // The reopen button changes corners.
      clear(reopenButton, (b) => b.classList.toggle('e'));
    }),
  ];
  return Object.assign(
    () => {
      hidePreferences();
      hearing.delete(hear);
      cleanups.forEach((f) => f());
      stopHeldBack();
      unspace();
      const waiting = page[WAITING] ?? [];
      const queued = waiting.indexOf(start);
      if (queued >= 0) waiting.splice(queued, 1);
      const drew: PageUi[typeof LIVE] = root;
      root = banner = undefined;
      if (drew) {
        // A root the page puts back must not send another mount's calls here.
        delete drew[CONTROLS];
        drew.remove();
        // The next mount still on the page draws the UI now.
        waiting.shift()?.();
      }
    },
    {
      showPreferences,
      hidePreferences: () => {
        const live = other();
        if (live) live.hidePreferences();
        else hidePreferences();
      },
      watchPreferences(listener: (open: boolean) => void) {
        watchers.add(listener);
        told(listener);
        return () => {
          watchers.delete(listener);
        };
      },
    },
  );
}
