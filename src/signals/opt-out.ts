import { inBrowser, noop } from '../core/env.js';
import type { ConsentStore } from '../core/store.js';
import { isElement, matches, queryAll } from '../dom/element.js';
import { on } from '../dom/listen.js';
import { inOwnTask } from '../dom/own-task.js';
import { eachShadowRoot, findShadowRoots, walkElements } from '../dom/shadow-roots.js';

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

// How long each task of the walk for open shadow roots after DOMContentLoaded may run.
const WALK_MS = 5;

/**
 * Shows that a GPC signal was honoured (California requires the display): matching elements get
 * `text` while GPC is present and are hidden otherwise, in `root` and in the open shadow roots
 * inside it (a web component's footer). Runs now, and while the document is still being parsed
 * again once it has been (elements after the SDK's tag), in tasks after DOMContentLoaded's: the
 * open shadow roots, a walk over every element, are searched only then, a few ms per task. Returns
 * the cleanup. Outside a browser it does nothing.
 */
export function showGpcStatus(store: ConsentStore, options: GpcStatusOptions = {}): () => void {
  if (!inBrowser()) return noop;
  const { selector = '[data-consentline-gpc-status]', text = 'Opt-Out Request Honored', root = document } = options;
  const set = (scope: Node): void => {
    const gpc = store.get().gpc;
    queryAll(scope, selector).forEach((el) => {
      if (gpc) el.textContent = text;
      (el as HTMLElement).hidden = !gpc;
    });
  };
  const setInside = (shadowRoot: ShadowRoot): void => {
    set(shadowRoot);
    eachShadowRoot(shadowRoot, set);
  };
  set(root);
  if (document.readyState !== 'loading') {
    eachShadowRoot(root, set);
    return noop;
  }
  // Not in DOMContentLoaded's task with the page's handlers, nor in one long task on a long page:
  // each task walks on from where the last one stopped (from the start if the page removed that element).
  let cancel = noop;
  const walk = (elements: TreeWalker): void => {
    const from = elements.currentNode.isConnected ? elements : walkElements(root);
    if (!findShadowRoots(from, setInside, performance.now() + WALK_MS))
      cancel = inOwnTask(() => walk(from), console.error);
  };
  const off = on(document, 'DOMContentLoaded', () => {
    cancel = inOwnTask(() => {
      set(root);
      walk(walkElements(root));
    }, console.error);
  });
  return () => {
    off();
    cancel();
  };
}
