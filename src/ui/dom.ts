/**
 * Creates an element. A key the element knows (`textContent`, `onclick`, `type`) is set as a
 * property, any other (`aria-label`, `for`) as an attribute; text only ever goes in as text.
 */
export const h = <K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Record<string, unknown> = {},
  ...kids: Array<Node | string>
): HTMLElementTagNameMap[K] => {
  const el = document.createElement(tag);
  // Object.keys, not for-in: a polluted Object.prototype must not add handlers or attributes.
  for (const k of Object.keys(props)) {
    const v = props[k];
    if (k in el) (el as unknown as Record<string, unknown>)[k] = v;
    else el.setAttribute(k, v as string);
  }
  el.append(...kids);
  return el;
};

/** Adds a listener; returns its removal. */
export const on = (
  target: EventTarget,
  type: string,
  fn: (e: Event) => void,
  options?: AddEventListenerOptions,
): (() => void) => {
  target.addEventListener(type, fn, options);
  return () => target.removeEventListener(type, fn, options);
};

/** Runs `fn` now if the body exists (or, with `parsed`, the whole document), else on DOMContentLoaded; returns a cancel. */
export const whenReady = (fn: () => void, parsed?: boolean): (() => void) => {
  if (parsed ? document.readyState !== 'loading' : document.body) {
    fn();
    return () => {};
  }
  return on(document, 'DOMContentLoaded', fn, { once: true });
};
