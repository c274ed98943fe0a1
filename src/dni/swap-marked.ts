// Elements the site marks with `data-dni` show a number even where their text holds none.
//
// One with markup inside: its text is matched as one and written digit by digit into its own text
// nodes (a split number). One whose text holds a target is swapped as any text is (each number
// its own). Else it is a placeholder: the number of its `data-dni` target (or the first target)
// goes into its own text node(s), grouped (with its country code when that is not the target's),
// at first sight only, so nothing fights a script that writes there too; text the page puts there
// since is only swapped. Only the element's text nodes are written: a framework keeps the nodes
// it made.
import { doc } from '../dom/document.js';
import type { NumberMatcher, PickNumber } from './match.js';
import { E164, parseTarget, plainFor } from './match.js';
import type { SwapRecords } from './swap-records.js';
import { swapSplit } from './swap-split.js';

/** A pick that hears what it wrote: a number in text (the matcher tells), a placeholder's fill. */
export interface Picker extends PickNumber {
  filled(written: string, found: string): void;
}

/**
 * Swaps or fills the marked element `el` (the caller has checked it is not in a no-swap region).
 * `seen` holds the marked elements already seen; `pickFor(el)` picks (and logs) its numbers.
 */
export function swapMarked(
  el: Element,
  seen: WeakSet<Element>,
  matcher: NumberMatcher,
  records: SwapRecords,
  pickFor: (where: Node) => Picker,
): void {
  const holdsTarget = matcher.test(el.textContent || '');
  const firstSight = !seen.has(el);
  seen.add(el);
  // Several text nodes and no markup: a framework's comment markers, `555-123-<!-- -->4567`.
  if (el.childElementCount || (holdsTarget && el.childNodes.length > 1)) swapSplit(el, matcher, records, pickFor(el));
  else if (firstSight && !holdsTarget) fillPlaceholder(el, matcher, records, pickFor);
}

function fillPlaceholder(
  el: Element,
  matcher: NumberMatcher,
  records: SwapRecords,
  pickFor: (where: Node) => Picker,
): void {
  const target = matcher.targets.find((t) => t.e164 === el.getAttribute('data-dni')) ?? matcher.targets[0];
  const texts = [...el.childNodes].filter((node): node is Text => node.nodeType === 3);
  if (!texts[0]) texts.push(el.appendChild(doc('createTextNode').call(document, '')));
  texts.forEach((node, i) => {
    const empty = node.data;
    records.write(node, (original) => {
      // Text the page put there since is only swapped.
      if (original !== empty) return matcher.replace(original, pickFor(el));
      const pick = pickFor(el);
      const number = target && pick(target, original);
      if (!number || !E164.test(number)) return undefined;
      // The number goes into the first text node; the others are emptied.
      if (i) return '';
      const fill = plainFor(target, parseTarget(number));
      pick.filled(fill, original);
      return fill;
    });
  });
}
