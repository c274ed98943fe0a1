// Custom elements not defined yet: their shadow roots come when they are, without a mutation.
import { queryAll } from '../dom/element.js';
import { each } from './swap-dom.js';

/** Undefined custom elements' names, each with the roots (the document, a shadow root) it was seen in. */
export type DefinitionWaits = Map<string, Set<Node>>;

/**
 * Waits for the definition of each undefined custom element in `top`, then calls `defined` with
 * each element of that name in every root it was seen in, unless `waits` forgot the name since
 * (cleared). One wait per name, holding only the roots.
 */
export function waitForDefinitions(top: Node, waits: DefinitionWaits, defined: (el: Element) => void): void {
  if (!self.customElements) return;
  each(top, ':not(:defined)', (el) => {
    const name = el.localName;
    let roots = waits.get(name);
    if (!roots) {
      if (customElements.get(name)) return;
      const seenIn = new Set<Node>();
      roots = seenIn;
      waits.set(name, seenIn);
      customElements.whenDefined(name).then(
        () => {
          if (waits.get(name) !== seenIn) return;
          waits.delete(name);
          seenIn.forEach((root) => queryAll(root, name).forEach(defined));
        },
        // A name that can never be defined rejects: nothing to do.
        () => {},
      );
    }
    const root = el.getRootNode();
    if (roots.has(root)) return;
    // A root the page has dropped since (a shadow root whose host is gone, a subtree removed
    // before we saw it) is not held for a definition that may never come; if it comes back, its
    // return is a change we walk.
    roots.forEach((r) => {
      if (!r.isConnected) roots.delete(r);
    });
    roots.add(root);
  });
}
