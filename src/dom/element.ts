// Element methods called from their prototypes: a <form> has its controls as named properties that
// override its own members, so one holding <input name="closest"> has no closest() to call, and
// page content named after a member of document shadows that member (see document.ts).

/** The node's type, read past a form control named `nodeType`. */
const nodeTypeOf = (node: Node): number => Reflect.get(Node.prototype, 'nodeType', node) as number;

/** Whether `node` is an element. */
export const isElement = (node: Node): node is Element => nodeTypeOf(node) === 1;

/** The closest inclusive ancestor of `el` that matches `selector`. */
export const closest = (el: Element, selector: string): Element | null => Element.prototype.closest.call(el, selector);

/** Whether `el` matches `selector`. */
export const matches = (el: Element, selector: string): boolean => Element.prototype.matches.call(el, selector);

/** The elements inside `root` (an element, a document or a shadow root) that match `selector`; none in other nodes. */
export function queryAll(root: Node, selector: string): NodeListOf<Element> | readonly Element[] {
  const type = nodeTypeOf(root);
  if (type === 1) return Element.prototype.querySelectorAll.call(root, selector);
  if (type === 9) return Document.prototype.querySelectorAll.call(root, selector);
  if (type === 11) return DocumentFragment.prototype.querySelectorAll.call(root, selector);
  return [];
}
