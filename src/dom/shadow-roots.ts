// Open shadow roots: page content a web component renders (a footer, a widget) sits in one, out of
// reach of `querySelectorAll` and of a tree walker over the document.
import { doc } from './document.js';

const SHOW_ELEMENT = 1;

/** A walker over the elements of `top`. */
export const walkElements = (top: Node): TreeWalker => doc('createTreeWalker').call(document, top, SHOW_ELEMENT);

/**
 * Calls `found` with each open shadow root of the elements `elements` goes through, until
 * `deadline` (a `performance.now()` time); returns whether it reached the end.
 */
export function findShadowRoots(elements: TreeWalker, found: (root: ShadowRoot) => void, deadline = Infinity): boolean {
  for (let node: Node | null = elements.currentNode, i = 0; node; node = elements.nextNode()) {
    const root = (node as Element).shadowRoot;
    if (root) found(root);
    if (!(++i & 127) && performance.now() > deadline) return !elements.nextNode();
  }
  return true;
}

/** Calls `fn` with each open shadow root in `top`, those inside them too. */
export function eachShadowRoot(top: Node, fn: (root: ShadowRoot) => void): void {
  findShadowRoots(walkElements(top), (root) => {
    fn(root);
    eachShadowRoot(root, fn);
  });
}
