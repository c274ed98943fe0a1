// Where the swapper looks in the page and where it never writes.
import { closest, isElement, matches, queryAll } from '../dom/element.js';

/**
 * Never inside code, form fields, editable regions or anything the site marks; looked for across
 * shadow boundaries (a `data-no-swap` above a shadow host holds for its shadow content too).
 */
export const SKIP = 'script,style,noscript,template,textarea,select,option,[contenteditable],[data-no-swap]';
/**
 * The element of {@link SKIP} around `at` (an element or a shadow root), looked for across shadow
 * boundaries, or undefined. Node and element methods come from their prototypes: the element may
 * be a form whose controls shadow them.
 */
export function skipping(at: Node | null): Element | undefined {
  for (let node = at; node; ) {
    const found = isElement(node) && closest(node, SKIP);
    if (found) return found;
    const root = Node.prototype.getRootNode.call(node);
    // Only a shadow root's host: `document.host` may be a form named "host", an anchor's a string.
    node = root.nodeType === 11 ? (root as ShadowRoot).host : null;
  }
  return undefined;
}

/**
 * Links whose href may be a number; {@link NUMBER_HREF} tells. (A browser drops the spaces and line
 * breaks before a link's scheme, which a selector cannot skip.)
 */
export const LINKS = '[href*="tel:" i],[href*="sms:" i]';
/** What a link says of itself besides its text: a screen reader reads one, a tooltip shows the other. */
export const LABELS = ['aria-label', 'title'];
/** An href that is a number, as a browser reads it. */
export const NUMBER_HREF = /^[\0- ]*(?:tel|sms):/i;
/** Marked elements; not links (their href is theirs): see swap-marked.ts. */
export const MARKED = '[data-dni]:not([href])';
/** A change inside one of these is a change of the whole (its number may be split across nodes). */
export const WHOLE = `${LINKS},${MARKED}`;
/** Forms that carry the attribution token. */
export const FORMS = 'form[data-consentline-form]';
/** The hidden field that carries it. */
export const TOKEN_FIELD = '[name=consentline_token]';

/** Calls `fn` for `node` and each element inside it that matches `selector`, in document order. */
export function each(node: Node, selector: string, fn: (el: Element) => void): void {
  if (isElement(node) && matches(node, selector)) fn(node);
  queryAll(node, selector).forEach(fn);
}
