// A number split across elements inside a link or a marked element
// (`<a href="tel:…"><span>(555)</span> 123-4567</a>`): the element's text is matched as one, and
// the new digits go back into the same text nodes, so the markup stays. Only when nothing but
// digits changes; else every part shows its own text. Redone as a whole whenever a part is (new
// numbers, a change inside).
import { DIGIT, type NumberMatcher, type PickNumber } from './match.js';
import type { SwapRecords } from './swap-records.js';
import { cutLike, textsOf } from './swap-walk.js';

const layout = (text: string): string => text.replace(DIGIT, '0');

/** Swaps a number split across the text nodes of `el`; does nothing unless it is split. */
export function swapSplit(el: Element, matcher: NumberMatcher, records: SwapRecords, pick: PickNumber): void {
  // Each part and its own text: the original of what shows our write, else what the app put there.
  const parts: Text[] = [];
  const texts: string[] = [];
  for (const node of textsOf(el)) {
    const record = records.get(node);
    const ours = record && node.data === record._private_written;
    // Not a node that shows what we wrote into it on its own (a filled placeholder, say).
    if (ours && !record._private_whole) continue;
    parts.push(node);
    texts.push(ours ? record._private_original : node.data);
  }
  if (texts.length < 2 || texts.some((text) => matcher.test(text))) return;
  const all = texts.join('');
  const swapped = matcher.replace(all, pick);
  const pieces = cutLike(layout(swapped) === layout(all) ? swapped : all, texts);
  parts.forEach((node, i) => records.write(node, () => pieces[i] as string, el));
}
