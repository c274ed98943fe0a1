// The records of what the swapper wrote: for each text node or link, the page's own value and how
// ours is computed from it, so that new numbers are written from the original and a withdrawal
// puts the page back exactly. Held weakly: a node the page dropped (an SPA's old route) is not kept
// alive by us, and one it keeps aside and shows again (a cached view) is still recomputed and
// restored.
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
  /** Whether the node shows what was written into it (a record knows it, and the app has not changed it since). */
  ours(node: Swappable): boolean;
  /**
   * Computes the node's value and writes it if it changed. The original is the recorded one while
   * the node still shows our write, else what the app has put there since. `shown` is the node's
   * current value when the caller already knows it.
   */
  write(node: Swappable, compute: Compute, whole?: Element, shown?: string): void;
  /** Visits every record whose node is alive, in the order first written. */
  forEach(fn: (record: SwapRecord, node: Swappable) => void): void;
  /** Puts back every original that still shows our write (the app's later changes stay; what we left unchanged is not written); forgets all. */
  restore(): void;
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

/**
 * Writes what `compute` makes of the node's value, when that differs, keeping no record: for
 * content that is the page's own again (a copy put back, see swap-copies.ts).
 */
export function rewrite(node: Swappable, compute: (value: string) => string): void {
  const value = read(node);
  const out = compute(value);
  if (out !== value) put(node, out);
}

/** Creates an empty record of swapped text; `wrote` hears each value written, with the page's own there. */
export function createSwapRecords(wrote?: (node: Swappable, written: string, original: string) => void): SwapRecords {
  let records = new WeakMap<Swappable, SwapRecord>();
  const order = createWeakList<Swappable>();
  return {
    get: (node) => records.get(node),
    ours: (node) => records.get(node)?._private_written === read(node),
    // `shown` is the node's value when the caller has just read it (a pre-scan the page has not
    // changed since), so the node is not read again.
    write(node, compute, whole, shown = read(node)) {
      const record = records.get(node);
      const original = record && shown === record._private_written ? record._private_original : shown;
      const written = compute(original) ?? original;
      if (!record) order.add(node);
      records.set(node, {
        _private_original: original,
        _private_written: written,
        _private_compute: compute,
        _private_whole: whole,
      });
      if (shown !== written) put(node, written);
      if (written !== original) wrote?.(node, written, original);
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
  };
}
