// A tag's queue on the page (`dataLayer`, `uetq`, `clarity`, `ttq`, `fbq`) is whatever
// `window.<name>` reads, and markup alone can make that an element: `<div id="dataLayer">`,
// `<form name="uetq">`, `<img name="fbq">` or `<iframe name="ttq">` by named access
// (https://html.spec.whatwg.org/multipage/nav-history-apis.html#named-access-on-the-window-object).
// A push to an element throws, so a refusal queued there is lost, and a tag manager that later
// replaces a queue that is not an array starts from one holding no default: Consent Mode then
// reads the missing default as granted. Named-access elements live on the window's prototype
// chain, never as its own properties, so an own property shadows them; and every vendor snippet
// keeps an existing queue (`w.dataLayer = w.dataLayer || []`), so it keeps ours, refusal first.
import { hasOwn } from '../core/has-own.js';

/** The value of `win[name]` when it is the window's own property (what a page or a tag set), else undefined. */
export function ownGlobal(win: object, name: string): unknown {
  return hasOwn(win, name) ? (win as Record<string, unknown>)[name] : undefined;
}

/** True for an array, or for an object with a `push` method (a tag's loaded queue). */
export const isQueue = (value: unknown): boolean =>
  Array.isArray(value) || typeof (value as { push?: unknown } | null | undefined)?.push === 'function';

/**
 * The page's global `name` when it is an own property that `usable` accepts; else a fresh `make()`
 * set as an own property in its place, shadowing any element of that name (junk a page stored
 * there is replaced too: no tag can read it). Undefined only when neither works (a getter that
 * throws, a property that can be neither used nor replaced): no tag can use that global either.
 */
export function pageGlobal<T>(
  win: object,
  name: string,
  usable: (value: unknown) => boolean,
  make: () => T,
): T | undefined {
  const w = win as Record<string, unknown>;
  try {
    const value = ownGlobal(w, name);
    if (usable(value)) return value as T;
    const made = make();
    try {
      Object.defineProperty(w, name, { value: made, writable: true, enumerable: true, configurable: true });
    } catch {
      // A non-configurable own property (a page's `var`) can still be writable.
      w[name] = made;
    }
    return w[name] === made ? made : undefined;
  } catch {
    return undefined;
  }
}
