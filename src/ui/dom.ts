/**
 * A member of `document`, read past page content that shadows it: named access on Document
 * overrides its own members, so `<form name="body">` makes `document.body` that form and
 * `<form name="createElement">` leaves no method to call (markup a CMS lets through). Elements are
 * named on the document itself; the member found from its prototype is the real one.
 */
export const doc = <K extends keyof Document>(key: K): Document[K] =>
  Reflect.get(Object.getPrototypeOf(document) as object, key, document) as Document[K];

/** Sets a member of `document` through its prototype (see {@link doc}). */
export const setDoc = <K extends keyof Document>(key: K, value: Document[K]): void => {
  Reflect.set(Object.getPrototypeOf(document) as object, key, value, document);
};

/**
 * Creates an element. A key the element knows (`textContent`, `onclick`, `type`) is set as a
 * property, any other (`aria-label`, `for`) as an attribute; text only ever goes in as text.
 * Falsy children are skipped, so optional parts read `cond && h(…)`.
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
    if (k in el) (el as unknown as Record<string, unknown>)[k] = v;
    else el.setAttribute(k, v as string);
  }
  for (const k of kids) if (k) el.append(k);
  return el;
};

/** A `type="button"` button. */
export const button = (textContent: string, onclick: () => unknown, props = {}): HTMLButtonElement =>
  h('button', { type: 'button', textContent, onclick, ...props });

/** Adds a listener; returns its removal. */
export const on = (
  target: EventTarget,
  type: string,
  fn: (e: Event) => void,
  options?: AddEventListenerOptions,
): (() => void) => {
  // Through EventTarget.prototype: a <form name="addEventListener"> shadows the document's own.
  EventTarget.prototype.addEventListener.call(target, type, fn, options);
  return () => EventTarget.prototype.removeEventListener.call(target, type, fn, options);
};

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
