// Copies of what the swapper wrote, put back by the page: Turbo Drive caches a clone of <body> and
// shows it again on a restoration visit; a pjax app keeps HTML strings and inserts them again. The
// copy's nodes are new, so no record knows them, and they show the numbers and the form token of
// when they were taken. So what was written is remembered for the life of the document: each
// number as it was written in text, with the page's own writing of it; each placeholder's fill;
// each `tel:`/`sms:` href written, with the page's own; each token set. In content the page inserts, every such number
// (never inside a longer digit run) gets the page's writing back, a number split across a link's
// or marked element's markup as a whole; a marked element's text that is a fill, its own; an href,
// its own; a token field holding a token set here
// goes, unless it is the one set now. Numbers as written repeat from page to page and route to
// route, so this stays small however long an SPA runs, and a copy whose text nodes the app merged
// (HTML serialized and parsed again) is still recognised. Never where the swapper never writes (SKIP in
// swap-dom.ts): a site's own text there may show the same digits.
import { esc } from './match.js';
import { matches } from '../dom/element.js';
import { each, LABELS, LINKS, MARKED, skipping, TOKEN_FIELD, WHOLE } from './swap-dom.js';
import { rewrite, type SwapRecords } from './swap-records.js';
import { cutLike, textsOf, walkTexts } from './swap-walk.js';

/** What was written in this document, and the way back; see {@link createCopies}. */
export interface Copies {
  /** A number written as `written` in text where the page wrote `original`. */
  _private_noteNumber(written: string, original: string): void;
  /** A marked placeholder filled with `written` where it held `original` (nothing, or spaces). */
  _private_noteFill(written: string, original: string): void;
  /** An href written where the page had `original`. */
  _private_noteHref(written: string, original: string): void;
  _private_noteToken(token: string): void;
  /** Whether anything was written, so that a copy can show it. */
  _private_any(): boolean;
  /**
   * Puts the page's own writing back in `top`, content the page has just inserted; `token` is the
   * token set now ('' after a withdrawal), or a node whose value the page has just set. Nodes that
   * show what a record wrote (content the page moved) are left to the swapper.
   */
  _private_revert(top: Node, records: SwapRecords, token: string): void;
}

/** Creates an empty memory of what was written. */
export function createCopies(): Copies {
  const numbers = new Map<string, string>();
  const fills = new Map<string, string>();
  const hrefs = new Map<string, string>();
  const tokens = new Set<string>();
  let pattern: RegExp | undefined;
  let shortest = Infinity;
  // A number written over two of the page's writings keeps the first.
  const note = (memory: Map<string, string>, written: string, original: string) => {
    if (written === original || memory.has(written)) return;
    memory.set(written, original);
    pattern = undefined;
    shortest = Math.min(shortest, written.length);
  };
  const any = () => numbers.size + hrefs.size + tokens.size > 0;
  const revertText = (text: string): string => {
    // Longest first: "+1 888…" before "888…". (A digit of any script bounds a number.)
    pattern ??= new RegExp(
      `(^|\\P{Nd})(${[...numbers.keys()]
        .sort((a, b) => b.length - a.length)
        .map(esc)
        .join('|')})(?!\\p{Nd})`,
      'gu',
    );
    return numbers.size
      ? text.replace(pattern, (_, before: string, written: string) => before + numbers.get(written))
      : text;
  };
  // The text in `top`: numbers as written get the page's writing back, placeholders their own text.
  const revertTexts = (top: Node, records: SwapRecords): void => {
    // A split number: its text nodes read as one; only digits change, so each keeps its length.
    each(top, WHOLE, (el) => {
      const parts = textsOf(el);
      if (skipping(el) || parts.some((part) => records.get(part))) return;
      const texts = parts.map((part) => part.data);
      const all = texts.join('');
      const out = revertText(all);
      if (out === all || out.length !== all.length) return;
      const pieces = cutLike(out, texts);
      parts.forEach((part, i) => rewrite(part, () => pieces[i] as string));
    });
    // From `top` itself: the page may insert a text node alone.
    const texts = walkTexts(top);
    for (let node: Node | null = top; node; node = texts.nextNode()) {
      const text = node as Text;
      // A shorter text is not even read: most of a page's text nodes are short runs of whitespace.
      if (node.nodeType !== 3 || text.length < shortest || records.ours(text) || skipping(text.parentNode)) continue;
      rewrite(text, (data) => {
        const fill = fills.get(data);
        const parent = text.parentElement;
        return fill !== undefined && parent && matches(parent, MARKED) ? fill : revertText(data);
      });
    }
  };
  return {
    _private_noteNumber: (written, original) => note(numbers, written, original),
    _private_noteFill: (written, original) => note(fills, written, original),
    _private_noteHref: (written, original) => note(hrefs, written, original),
    _private_noteToken: (token) => tokens.add(token),
    _private_any: any,
    _private_revert(top, records, token) {
      if (!any()) return;
      // Most content the page inserts shows nothing written here: a look for each written text in
      // its whole text (a superset of the matches: no digit bounds across nodes) spares the walks
      // over it, which the swapper makes next anyway.
      // (A form with a control named "textContent" shows that control there: it is walked.)
      const all: unknown = top.textContent;
      if (typeof all !== 'string' || [...numbers.keys(), ...fills.keys()].some((written) => all.includes(written)))
        revertTexts(top, records);
      each(top, LINKS, (el) => {
        if (skipping(el)) return;
        if (!records.ours(el)) rewrite(el, (href) => hrefs.get(href) ?? href);
        for (const name of LABELS) {
          const label = el.getAttributeNode(name);
          if (label && !records.ours(label)) rewrite(label, revertText);
        }
      });
      each(top, TOKEN_FIELD, (field) => {
        const value = (field as HTMLInputElement).value;
        if (value !== token && tokens.has(value)) field.remove();
      });
    },
  };
}
