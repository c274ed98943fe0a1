// Walks of the page that can pause at a deadline and go on in a later task: the text nodes a
// target may be in (the elements that host open shadow roots: dom/shadow-roots.ts). (The clock is
// read every 64 or 128 nodes only: reading it is not free either.)
import { doc } from '../dom/document.js';
import type { NumberMatcher } from './match.js';

const SHOW_TEXT_AND_CDATA = 12;

/** A walker over the text nodes of `top`. */
export const walkTexts = (top: Node): TreeWalker => doc('createTreeWalker').call(document, top, SHOW_TEXT_AND_CDATA);

/** The text nodes of `el`, in document order. */
export function textsOf(el: Node): Text[] {
  const parts: Text[] = [];
  for (const texts = walkTexts(el); texts.nextNode(); ) parts.push(texts.currentNode as Text);
  return parts;
}

/** `whole` cut into pieces as long as `parts`, in order: a split number's text back into its nodes. */
export function cutLike(whole: string, parts: readonly string[]): string[] {
  let start = 0;
  return parts.map((part) => {
    const piece = whole.slice(start, start + part.length);
    start += part.length;
    return piece;
  });
}

/**
 * Walks on with `texts` until `deadline` (a `performance.now()` time), adding to `found` each
 * text node the matcher's cheap pattern finds something in (each is tested in full when written).
 * Returns whether the walk reached its end.
 */
export function findCandidates(texts: TreeWalker, found: Text[], matcher: NumberMatcher, deadline = Infinity): boolean {
  for (let node: Node | null, i = 0; (node = texts.nextNode()); ) {
    const text = node as Text;
    // A shorter text is not even read: making its string is most of a first walk's cost.
    if (text.length >= matcher.min && matcher.maybe(text.data)) found.push(text);
    if (!(++i & 63) && performance.now() > deadline) return false;
  }
  return true;
}
