// Copies of what the swapper wrote, put back by the page: Turbo Drive caches a clone of <body> and
// shows it again on a restoration visit; a pjax app keeps HTML strings and inserts them again. The
// copy's nodes are new, so no record knows them, and they show the numbers and the form token of
// when they were taken. Each value in them that is exactly one written in this document gets its
// original back (see swap-records.ts), and a token field holding a token set here goes, unless it
// is the one now set. What only looks like ours (another number with the tracking number's area
// code, a field the site named so itself) is left alone.
import { each, LABELS, LINKS, TOKEN_FIELD, WHOLE } from './swap-dom.js';
import type { SwapRecords } from './swap-records.js';
import { walkTexts } from './swap-walk.js';

/**
 * Puts the originals back in `top`, content the page has just inserted. `tokens` are the tokens
 * set in this document; `token` is the one set now ('' after a withdrawal). Nodes a record knows
 * (content the page moved) are left to the swapper.
 */
export function revertCopies(top: Node, records: SwapRecords, tokens: ReadonlySet<string>, token: string): void {
  // Nothing written yet: no copy can show any of it.
  if (!records._private_wrote() && !tokens.size) return;
  each(top, WHOLE, (el) => {
    const parts: Text[] = [];
    for (const texts = walkTexts(el); texts.nextNode(); ) parts.push(texts.currentNode as Text);
    records._private_putBackWhole(parts);
  });
  // From `top` itself: the page may insert a text node alone.
  const texts = walkTexts(top);
  for (let node: Node | null = top; node; node = texts.nextNode())
    if (node.nodeType === 3) records._private_putBack(node as Text);
  each(top, LINKS, (el) => {
    records._private_putBack(el);
    for (const name of LABELS) {
      const label = el.getAttributeNode(name);
      if (label) records._private_putBack(label);
    }
  });
  each(top, TOKEN_FIELD, (field) => {
    const value = (field as HTMLInputElement).value;
    if (value !== token && tokens.has(value)) field.remove();
  });
}
