import { doc } from '../dom/document.js';
import { on } from '../dom/listen.js';

// The members of document and the listener helper, shared with the signals and call tracking.
export { doc, setDoc } from '../dom/document.js';
export { on } from '../dom/listen.js';

/**
 * Creates an element. A key the element knows (`textContent`, `onclick`, `type`) is set as a
 * property, any other (`aria-label`, `for`) as an attribute; text only ever goes in as text.
 * A key whose value is undefined is left unset (`lang` would read "undefined"). Falsy children are
 * skipped, so optional parts read `cond && h(…)`.
 */
export const h = <K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Record<string, unknown> = {},
  ...kids: Array<Node | string | false | undefined>
): HTMLElementTagNameMap[K] => {
  const el = doc('createElement').call(document, tag) as HTMLElementTagNameMap[K];
  // Object.keys, not for-in: a polluted Object.prototype must not add handlers or attributes.
  for (const k of Object.keys(props)) {
    const v = props[k];
    if (v === undefined) continue;
    if (k in el) (el as unknown as Record<string, unknown>)[k] = v;
    else el.setAttribute(k, v as string);
  }
  for (const k of kids) if (k) el.append(k);
  return el;
};

/** A `type="button"` button. */
export const button = (textContent: string, onclick: () => unknown, props = {}): HTMLButtonElement =>
  h('button', { type: 'button', textContent, onclick, ...props });

/**
 * Runs `fn` now if the body exists (or, with `parsed`, the whole document); else as soon as the
 * parser inserts <body> (so a banner from a tag in <head> is in the first paint, not after the
 * whole page has been parsed), or with `parsed` on DOMContentLoaded. Returns a cancel.
 */
export const whenReady = (fn: () => void, parsed?: boolean): (() => void) => {
  if (parsed ? doc('readyState') !== 'loading' : doc('body')) {
    fn();
    return () => {};
  }
  if (parsed) return on(document, 'DOMContentLoaded', fn, { once: true });
  const mo = new MutationObserver(() => {
    if (doc('body')) {
      mo.disconnect();
      fn();
    }
  });
  mo.observe(doc('documentElement'), { childList: true });
  return () => mo.disconnect();
};
