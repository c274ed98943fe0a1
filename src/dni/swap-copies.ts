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
// One tracking number may stand for several of the site's numbers (sales and support share one):
// its writing then has several originals. So each node written is remembered by its place too (its
// path from the nearest element with an id, or from its root), with what it showed and its own
// value: a copy's node at that place showing just that gets its own value back. A place a copy
// does not keep (text nodes merged, content moved) falls back to the writing's first original.
// Places are found after the writes, when the page is idle (or before they are first needed, and
// at a withdrawal): finding one reads the node's ancestors and their children, which would delay
// the numbers; a node the page has removed by then has no place.
import { esc } from './match.js';
import { isElement, matches } from '../dom/element.js';
import { each, LABELS, LINKS, MARKED, skipping, TOKEN_FIELD, WHOLE } from './swap-dom.js';
import { rewrite, type Swappable, type SwapRecords } from './swap-records.js';
import { cutLike, textsOf, walkTexts } from './swap-walk.js';

/** What was written in this document, and the way back; see {@link createCopies}. */
export interface Copies {
  /** A number written as `written` in text where the page wrote `original`. */
  _private_noteNumber(written: string, original: string): void;
  /** A marked placeholder filled with `written` where it held `original` (nothing, or spaces). */
  _private_noteFill(written: string, original: string): void;
  /** An href written where the page had `original`. */
  _private_noteHref(written: string, original: string): void;
  /** `written` put in the node (a text node, a link for its href, an attribute) where the page had `original`. */
  _private_notePlace(node: Swappable, written: string, original: string): void;
  /** Finds the places of the nodes written so far now, while they are where they were written. */
  _private_placeAll(): void;
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

/** What a node showed when written, and the page's own value there. */
interface Placed {
  readonly _private_written: string;
  readonly _private_original: string;
}

/** A node written whose place is yet to be found. */
interface Unplaced extends Placed {
  readonly _private_node: Swappable;
}

// The most places remembered, and the most characters their texts hold together (a page's long
// paragraphs are remembered whole): past either the oldest go (their copies fall back to the
// writing's first original).
const MAX_PLACES = 2000;
const MAX_PLACE_CHARS = 500_000;
// Places found in one idle slice at most this long.
const PLACE_MS = 5;

// Read past a form's controls named after these members.
const parentOf = (node: Node): Node | null => Reflect.get(Node.prototype, 'parentNode', node);
const childrenOf = (node: Node): NodeList => Reflect.get(Node.prototype, 'childNodes', node);

/**
 * Where `node` is: its path of child indexes from the nearest element with an id, or from its root
 * (across shadow roots to their hosts). `indexOf` gives a child's index in its parent.
 */
function placeOf(node: Node, indexOf: (parent: Node, child: Node) => number): string {
  let at: Node | null = node;
  let path = '';
  const owner = (node as Attr).ownerElement;
  if (owner) {
    at = owner;
    path = '@' + (node as Attr).name;
  }
  for (let parent: Node | null; at; at = parent) {
    const id = isElement(at) && Element.prototype.getAttribute.call(at, 'id');
    if (id) return '#' + id + path;
    parent = parentOf(at);
    if (parent) path = '/' + indexOf(parent, at) + path;
    // From a shadow root on to its host (a document or a fragment has none: `document.host` may
    // be a form named "host").
    else if (at.nodeType === 11) parent = (at as ShadowRoot).host ?? null;
  }
  return path;
}

/** Creates an empty memory of what was written. */
export function createCopies(): Copies {
  const numbers = new Map<string, string>();
  const fills = new Map<string, string>();
  const hrefs = new Map<string, string>();
  const tokens = new Set<string>();
  const places = new Map<string, Placed>();
  // Children's indexes by parent, read once in a task: a page pass writes hundreds of nodes under
  // one parent (a long list), and a copy put back is read all at once.
  let indexes: WeakMap<Node, Map<Node, number>> | undefined;
  const indexOf = (parent: Node, child: Node): number => {
    if (!indexes) {
      indexes = new WeakMap();
      queueMicrotask(() => {
        indexes = undefined;
      });
    }
    let index = indexes.get(parent);
    if (!index?.has(child)) {
      const fresh = new Map<Node, number>();
      childrenOf(parent).forEach((c, i) => fresh.set(c, i));
      indexes.set(parent, fresh);
      index = fresh;
    }
    return index.get(child) as number;
  };
  const placeOfNode = (node: Node) => placeOf(node, indexOf);
  let chars = 0;
  const sizeOf = (value: Placed) => value._private_written.length + value._private_original.length;
  const forget = (place: string) => {
    const value = places.get(place);
    if (value) chars -= sizeOf(value);
    places.delete(place);
  };
  // Written nodes in the order written, their places not yet found.
  const unplaced: Unplaced[] = [];
  // Until `deadline` (a `performance.now()`): the rest waits for the next idle time.
  const placeUntil = (deadline: number) => {
    let done = 0;
    for (; done < unplaced.length && performance.now() < deadline; done++) {
      const { _private_node: node, ...value } = unplaced[done] as Unplaced;
      if (!((node as Attr).ownerElement ?? node).isConnected) continue;
      const place = placeOfNode(node);
      forget(place);
      places.set(place, value);
      chars += sizeOf(value);
      while (places.size > MAX_PLACES || chars > MAX_PLACE_CHARS) forget(places.keys().next().value as string);
    }
    unplaced.splice(0, done);
  };
  const placeLater = () =>
    (window.requestIdleCallback ?? setTimeout)(() => {
      placeUntil(performance.now() + PLACE_MS);
      if (unplaced.length) placeLater();
    });
  const placeAll = () => placeUntil(Infinity);
  const placeAt = (node: Node) => {
    placeAll();
    return places.get(placeOfNode(node));
  };
  // The page's own value of `node` (a copy's) when its place showed `value` when written.
  const placed = (node: Node, value: string): string | undefined => {
    const at = placeAt(node);
    return at?._private_written === value ? at._private_original : undefined;
  };
  // The page's own value of `node` showing `value`, which its writing alone makes `byValue`: where
  // something written shows, its place's first.
  const ownValue = (node: Node, value: string, byValue: string): string =>
    byValue === value ? value : (placed(node, value) ?? byValue);
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
      const shown = parts.map((part) => part.data);
      if (revertText(shown.join('')) === shown.join('')) return;
      // By place only when every part is as it was written there, or as the page had it there.
      const own = parts.map((part, i) => {
        const at = placeAt(part);
        return !at || at._private_original === shown[i] ? shown[i] : placed(part, shown[i] as string);
      });
      const texts = (own.includes(undefined) ? shown : own) as string[];
      const all = texts.join('');
      const out = revertText(all);
      if (out === shown.join('') || out.length !== all.length) return;
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
        return fill !== undefined && parent && matches(parent, MARKED) ? fill : ownValue(text, data, revertText(data));
      });
    }
  };
  return {
    _private_noteNumber: (written, original) => note(numbers, written, original),
    _private_noteFill: (written, original) => note(fills, written, original),
    _private_noteHref: (written, original) => note(hrefs, written, original),
    _private_notePlace(node, written, original) {
      if (!unplaced.length) placeLater();
      unplaced.push({ _private_node: node, _private_written: written, _private_original: original });
      if (unplaced.length > MAX_PLACES) unplaced.shift();
    },
    _private_placeAll: placeAll,
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
        if (!records.ours(el)) rewrite(el, (href) => ownValue(el, href, hrefs.get(href) ?? href));
        for (const name of LABELS) {
          const label = el.getAttributeNode(name);
          if (label && !records.ours(label)) rewrite(label, (value) => ownValue(label, value, revertText(value)));
        }
      });
      each(top, TOKEN_FIELD, (field) => {
        const value = (field as HTMLInputElement).value;
        if (value !== token && tokens.has(value)) field.remove();
      });
    },
  };
}
