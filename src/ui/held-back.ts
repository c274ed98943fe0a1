import type { ConsentStore } from '../core/store';
import type { Category } from '../core/types';
import { button, h, whenReady } from './dom';
import { en } from './i18n/en';
import { adoptStyles } from './styles';

/** Options of {@link activateHeldBack}. */
export interface HeldBackOptions {
  /** Placeholder text; `{p}` is the provider, `{c}` the category label. @default English */
  blocked?: string;
  /** Placeholder button text. @default English */
  load?: string;
  /** Label shown for a category. @default the category's label */
  label?: (category: Category) => string;
  /** When set, only held-back scripts carrying this nonce run, so markup injected into the page cannot use the SDK to run code past the CSP. The script tag passes its own nonce. @default '' (any) */
  nonce?: string;
}

const SELECTOR = 'script[type="text/plain"][data-category],[data-category][data-src]:not(script)';

/**
 * Runs held-back content when its category is granted, now and whenever consent or the DOM
 * changes (one MutationObserver for content added later):
 * - `<script type="text/plain" data-category="analytics" src|inline>` runs once, in document
 *   order, keeping its attributes and nonce; `data-type="module"` makes it a module.
 * - `<iframe data-category="social" data-src="…" data-provider="…">` (or any element with
 *   `data-src`) gets its source on grant; until then an in-place placeholder names the provider and
 *   the category, with one button that grants the category and loads it.
 * Several categories (`data-category="analytics advertising"`) must all be granted. Returns the cleanup.
 */
export function activateHeldBack(store: ConsentStore, options: HeldBackOptions = {}): () => void {
  const { blocked = en.blocked, load = en.load, label = (c: Category) => c.label, nonce = '' } = options;
  const d = document;
  const done = new WeakSet<Element>();
  const placeholders = new Map<HTMLElement, HTMLElement>();
  let chain: Promise<unknown> = Promise.resolve();
  const loads: Promise<unknown>[] = [];
  let policy: { createScript(s: string): unknown } | undefined;
  let stop = () => {};

  const handle = (el: Element) => {
    if (done.has(el) || !(el instanceof HTMLElement)) return;
    const ids = (el.dataset['category'] || '').split(/\s+/);
    let src: URL | undefined;
    try {
      src = new URL(el.dataset['src'] || '', location.href);
    } catch {
      // Not a URL: the element never loads.
    }
    const grants = store.get().grants;
    if (ids.every((id) => grants[id] === true)) {
      done.add(el);
      if (el instanceof HTMLScriptElement) {
        if (nonce && el.nonce !== nonce) return;
        // A clone of a never-started script starts when inserted, keeping its nonce (cloning copies
        // it) and its src without a Trusted Types sink. External scripts go in back to back with
        // async=false: they download in parallel and the browser runs them in insertion order.
        // Inline code runs on insertion, so it first waits for every external script before it.
        const external = el.hasAttribute('src');
        chain = chain
          .then((): unknown => (external ? 0 : Promise.all(loads)))
          .then(() => {
            if (!el.isConnected) return;
            const s = el.cloneNode(true) as HTMLScriptElement;
            s.type = el.dataset['type'] || 'text/javascript';
            if (!el.hasAttribute('async')) s.async = false;
            // Inline code needs a TrustedScript under require-trusted-types-for: the page's own markup
            // (nonce-checked above when a nonce is in use) passes through a policy named "consentline".
            const tt = (window as { trustedTypes?: { createPolicy(n: string, p: object): typeof policy } }).trustedTypes;
            if (!external && tt) {
              try {
                policy ||= tt.createPolicy('consentline', { createScript: (x: string) => x });
                s.text = policy!.createScript(el.text) as string;
              } catch {
                // The page's CSP does not allow the policy: the browser blocks the script and reports it.
              }
            }
            if (external) loads.push(new Promise((next) => (s.onload = s.onerror = next)));
            el.replaceWith(s);
          });
      } else {
        // The page wrote data-src, but never load a javascript: or data: URL from it.
        if (!src || !/^https?:$/.test(src.protocol)) return;
        el.style.removeProperty('display');
        placeholders.get(el)?.remove();
        placeholders.delete(el);
        (el as HTMLIFrameElement).src = src.href;
      }
    } else if (!(el instanceof HTMLScriptElement) && !placeholders.has(el)) {
      const cat = store.categories.find((c) => c.id === ids[0]);
      if (!cat) return;
      const provider = el.dataset['provider'] || src?.hostname || '';
      const fill = (s: string) => s.replace(/\{(\w)\}/g, (_, k: string) => (k === 'p' ? provider : label(cat)));
      const p = h(
        'div',
        { className: 'consentline-ph' },
        h('p', { textContent: fill(blocked) }),
        button(fill(load), () => {
          try {
            store.set(Object.fromEntries(ids.map((id) => [id, true])), 'embed');
          } catch {
            // An unknown category in the markup: nothing is granted, nothing loads.
          }
        }),
      );
      // Same box as the element it stands in for, so swapping them never shifts the layout. Taken
      // from its width/height attributes, not offsetWidth: measuring would force a layout of the
      // whole page while it is still loading.
      for (const k of ['width', 'height']) {
        // An iframe without the attribute is 300×150 by default.
        const v = el.getAttribute(k) ?? (el.tagName === 'IFRAME' ? (k === 'width' ? '300' : '150') : null);
        if (v && /^\d+$/.test(v)) p.style.setProperty(k, v + 'px', 'important');
      }
      placeholders.set(el, p);
      el.before(p);
      el.style.setProperty('display', 'none', 'important');
    }
  };

  const scan = (root: ParentNode) => root.querySelectorAll(SELECTOR).forEach(handle);
  const release = adoptStyles();
  const cancel = whenReady(() => {
    scan(d);
    const unsubscribe = store.subscribe(() => scan(d));
    const observer = new MutationObserver((records) => {
      for (const r of records) {
        r.addedNodes.forEach((n) => {
          if (n instanceof Element) {
            if (n.matches(SELECTOR)) handle(n);
            scan(n);
          }
        });
      }
    });
    observer.observe(d.documentElement, { childList: true, subtree: true });
    stop = () => {
      unsubscribe();
      observer.disconnect();
    };
  }, true);

  return () => {
    cancel();
    stop();
    release();
    placeholders.forEach((p, el) => {
      p.remove();
      el.style.removeProperty('display');
    });
    placeholders.clear();
  };
}
