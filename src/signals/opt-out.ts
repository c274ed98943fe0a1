import { inBrowser, noop } from '../core/env.js';
import type { ConsentStore } from '../core/store.js';
import { isElement, matches, queryAll } from '../dom/element.js';
import { on } from '../dom/listen.js';
import { inOwnTask } from '../dom/own-task.js';
import { eachShadowRoot } from '../dom/shadow-roots.js';

/** Options of {@link bindOptOutLinks}. */
export interface OptOutLinksOptions {
  /** Elements that opt out when activated. @default '[data-consentline-optout]' */
  selector?: string;
  /** Where clicks are listened for (links added later count too). @default document */
  root?: Document | Element;
}

/**
 * "Do Not Sell or Share My Personal Information": any element matching `selector` becomes a one-step
 * opt-out of every sale/share category, remembered like any decision. Returns the cleanup.
 * Outside a browser it does nothing.
 */
export function bindOptOutLinks(store: ConsentStore, options: OptOutLinksOptions = {}): () => void {
  if (!inBrowser()) return noop;
  const { selector = '[data-consentline-optout]', root = document } = options;
  const onClick = (e: Event): void => {
    // The event's path, not its target: a link in an open shadow root (a footer web component)
    // reaches `root` retargeted to the shadow host, and the opt-out must not be lost to that.
    for (const node of e.composedPath()) {
      if (node === root) return;
      if (isElement(node as Node) && matches(node as Element, selector)) {
        e.preventDefault();
        store.optOut('opt-out');
        return;
      }
    }
  };
  return on(root, 'click', onClick);
}

/** Options of {@link showGpcStatus}. */
export interface GpcStatusOptions {
  /** Elements that show the honoured GPC state. @default '[data-consentline-gpc-status]' */
  selector?: string;
  /** The text shown while GPC is honoured. @default 'Opt-Out Request Honored' */
  text?: string | undefined;
  /** Where to look, the open shadow roots inside it included. @default document */
  root?: Document | Element;
}

/**
 * Shows that a GPC signal was honoured (California requires the display): matching elements get
 * `text` while GPC is present and are hidden otherwise, in `root` and in the open shadow roots
 * inside it (a web component's footer). Runs now, and while the document is still being parsed
 * again once it has been (elements after the SDK's tag), in a task after DOMContentLoaded's: the
 * open shadow roots, a walk over every element, are searched only then. Returns the cleanup. Outside a browser it does nothing.
 */
export function showGpcStatus(store: ConsentStore, options: GpcStatusOptions = {}): () => void {
  if (!inBrowser()) return noop;
  const { selector = '[data-consentline-gpc-status]', text = 'Opt-Out Request Honored', root = document } = options;
  const show = (shadowRoots: boolean): void => {
    const gpc = store.get().gpc;
    const set = (scope: Node): void =>
      queryAll(scope, selector).forEach((el) => {
        if (gpc) el.textContent = text;
        (el as HTMLElement).hidden = !gpc;
      });
    set(root);
    if (shadowRoots) eachShadowRoot(root, set);
  };
  const parsed = document.readyState !== 'loading';
  show(parsed);
  if (parsed) return noop;
  // The walk in a task of its own, not in DOMContentLoaded's with the page's handlers.
  let cancel = noop;
  const off = on(document, 'DOMContentLoaded', () => {
    cancel = inOwnTask(() => show(true), console.error);
  });
  return () => {
    off();
    cancel();
  };
}
