// Entries by key in an order the caller moves them in (last used, or last renewed, at the back),
// with the front at hand in O(1). A Map's own insertion order does this too, but a Map whose
// entries are deleted and set again keeps the slots of deleted entries until it rehashes, and an
// iterator from the front walks over every one of them: under a flood, each look at the front
// cost thousands of empty slots. Here the order is a linked list beside the Map, which is only
// looked up by key.

/** An entry of a {@link UseOrder}. */
interface Node<V> {
  key: string;
  value: V;
  before: Node<V> | undefined;
  after: Node<V> | undefined;
}

/** Entries by key, in order: the front is the one moved to the back longest ago. */
export interface UseOrder<V> {
  /** The value of `key`, without moving it. */
  get(key: string): V | undefined;
  /** Sets the value of `key` and moves it to the back. */
  setLast(key: string, value: V): void;
  /** Moves `key` to the back; false when it has no entry. */
  touch(key: string): boolean;
  /** Removes `key`; false when it had no entry. */
  delete(key: string): boolean;
  /** The entry at the front, if any. */
  first(): { key: string; value: V } | undefined;
  /** Every entry, front first. The entry just visited may be deleted or moved on the way. */
  entries(): IterableIterator<[string, V]>;
  /** Entries held. */
  readonly size: number;
}

/** Creates an empty {@link UseOrder}. */
export function createUseOrder<V>(): UseOrder<V> {
  const nodes = new Map<string, Node<V>>();
  let front: Node<V> | undefined;
  let back: Node<V> | undefined;
  const unlink = (node: Node<V>): void => {
    if (node.before) node.before.after = node.after;
    else front = node.after;
    if (node.after) node.after.before = node.before;
    else back = node.before;
    node.before = undefined;
    node.after = undefined;
  };
  const append = (node: Node<V>): void => {
    node.before = back;
    if (back) back.after = node;
    else front = node;
    back = node;
  };
  return {
    get: (key) => nodes.get(key)?.value,
    setLast(key, value) {
      const node = nodes.get(key);
      if (node) {
        node.value = value;
        unlink(node);
        append(node);
        return;
      }
      const made: Node<V> = { key, value, before: undefined, after: undefined };
      nodes.set(key, made);
      append(made);
    },
    touch(key) {
      const node = nodes.get(key);
      if (!node) return false;
      unlink(node);
      append(node);
      return true;
    },
    delete(key) {
      const node = nodes.get(key);
      if (!node) return false;
      unlink(node);
      nodes.delete(key);
      return true;
    },
    first: () => (front ? { key: front.key, value: front.value } : undefined),
    *entries() {
      // The back as it is now: entries moved behind it on the way are not visited again.
      const last = back;
      for (let node = front; node; ) {
        const next = node.after;
        yield [node.key, node.value];
        if (node === last) return;
        node = next;
      }
    },
    get size() {
      return nodes.size;
    },
  };
}
