// The records of what the swapper wrote: for each text node or link, the page's own value and how
// ours is computed from it, so that new numbers are written from the original and a withdrawal
// puts the page back exactly. Held weakly: a node the page dropped (an SPA's old route) is not kept
// alive by us, and one it keeps aside and shows again (a cached view) is still recomputed and
// restored. A copy of a node is another node, which no record knows (Turbo Drive's page cache
// clones <body>, a pjax app keeps HTML strings): so every value written is also remembered with
// its original for the life of the document, and a copy that shows one exactly gets its original.
import { createWeakList } from './weak-list.js';

/** Computes our value from the page's own; undefined keeps the page's. */
export type Compute = (original: string) => string | undefined;

/**
 * What a record is kept for: a text node (its text), a `tel:`/`sms:` link (its href), or an
 * attribute node (its value: a link's `aria-label` or `title`).
 */
export type Swappable = CharacterData | Element | Attr;

/** What was written into one text node or link. */
export interface SwapRecord {
  /** The page's own value: put back on withdrawal, recomputed from with new numbers. */
  readonly _private_original: string;
  /** What we wrote (the original when nothing had to change). */
  readonly _private_written: string;
  /** How our value is computed from the original. */
  readonly _private_compute: Compute;
  /**
   * The link or marked element whose text this node is a part of, when a number is split across
   * its nodes: the parts are recomputed together, never one by one.
   */
  readonly _private_whole: Element | undefined;
}

/** What {@link createSwapRecords} returns. */
export interface SwapRecords {
  get(node: Swappable): SwapRecord | undefined;
  /**
   * Computes the node's value and writes it if it changed. The original is the recorded one while
   * the node still shows our write, else what the app has put there since. `shown` is the node's
   * current value when the caller already knows it.
   */
  write(node: Swappable, compute: Compute, whole?: Element, shown?: string): void;
  /** Visits every record whose node is alive, in the order first written. */
  forEach(fn: (record: SwapRecord, node: Swappable) => void): void;
  /** Puts back every original that still shows our write (the app's later changes stay; what we left unchanged is not written); forgets all records. */
  restore(): void;
  /**
   * Remembers that a number split across the text nodes of a link or marked element was written
   * as `written` where together they read `original` (the same length: only digits change).
   */
  _private_wroteWhole(written: string, original: string): void;
  /** Whether anything was ever written, so that a copy can show it. */
  _private_wrote(): boolean;
  /** A node no record knows (a copy) that shows a value written here gets its original; unrecorded. */
  _private_putBack(node: Swappable): void;
  /** The same for the text nodes of a copied link or marked element, as one (see _private_wroteWhole). */
  _private_putBackWhole(parts: readonly Text[]): void;
}

const read = (node: Swappable): string => {
  if (node.nodeType === 1) return (node as Element).getAttribute('href') || '';
  if (node.nodeType === 2) return (node as Attr).value;
  return (node as CharacterData).data;
};

const put = (node: Swappable, value: string): void => {
  if (node.nodeType === 1) (node as Element).setAttribute('href', value);
  else if (node.nodeType === 2) (node as Attr).value = value;
  else (node as CharacterData).data = value;
};

/** Creates an empty record of swapped text. */
export function createSwapRecords(): SwapRecords {
  let records = new WeakMap<Swappable, SwapRecord>();
  const order = createWeakList<Swappable>();
  // Values written, each with the page's original, for the document's life: whole values (a text
  // node, an href, a label) and a split number's parts together, apart, so that a part is never
  // compared alone ("(888)" may start another number). A value written over two originals keeps
  // one that shows a number (a placeholder's is empty).
  const values = new Map<string, string>();
  const wholes = new Map<string, string>();
  let shortest = Infinity;
  const remember = (memory: Map<string, string>, written: string, original: string) => {
    if (written === original || memory.get(written)) return;
    memory.set(written, original);
    shortest = Math.min(shortest, written.length);
  };
  return {
    get: (node) => records.get(node),
    // `shown` is the node's value when the caller has just read it (a pre-scan the page has not
    // changed since), so the node is not read again.
    write(node, compute, whole, shown = read(node)) {
      const record = records.get(node);
      const original = record && shown === record._private_written ? record._private_original : shown;
      const written = compute(original) ?? original;
      if (!record) order.add(node);
      if (!whole) remember(values, written, original);
      records.set(node, {
        _private_original: original,
        _private_written: written,
        _private_compute: compute,
        _private_whole: whole,
      });
      if (shown !== written) put(node, written);
    },
    forEach(fn) {
      order.forEach((node) => fn(records.get(node) as SwapRecord, node));
    },
    restore() {
      order.forEach((node) => {
        const { _private_original: original, _private_written: written } = records.get(node) as SwapRecord;
        // What we left as it was is not written again: the page's observers see no change there.
        if (written !== original && read(node) === written) put(node, original);
      });
      records = new WeakMap();
      order.clear();
    },
    _private_wroteWhole: (written, original) => remember(wholes, written, original),
    _private_wrote: () => values.size + wholes.size > 0,
    _private_putBack(node) {
      // A shorter text is not even read: most of a page's text nodes are short runs of whitespace.
      if (node.nodeType === 3 && (node as Text).length < shortest) return;
      const original = values.get(read(node));
      if (original !== undefined && !records.has(node)) put(node, original);
    },
    _private_putBackWhole(parts) {
      const original = wholes.get(parts.map((part) => part.data).join(''));
      if (original === undefined || parts.some((part) => records.has(part))) return;
      let end = 0;
      for (const part of parts) {
        const start = end;
        end += part.length;
        if (part.data !== original.slice(start, end)) part.data = original.slice(start, end);
      }
    },
  };
}
