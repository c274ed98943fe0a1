// Numbers resting in quarantine, by the end of their rest, for the memory lease store: a binary
// min-heap, so each number is freed when its own rest ends whatever order the rests were noted in
// (a lease found to have run out only later rests from its end, before rests noted earlier).
// Adding, taking and removing are O(log n), as the Redis store's sorted sets are: each number's
// place in the heap is kept beside it.

/** One number's rest. */
interface Rest {
  number: string;
  until: number;
}

/** The numbers resting for one target. */
export interface RestQueue {
  /** Rests `number` until `until`, ms since epoch. */
  add(number: string, until: number): void;
  /** Removes and returns the numbers whose rest ended at `now` or before. */
  takeDue(now: number): string[];
  /** Ends the rest of `number` now (its visit takes it back); false when it was not resting. */
  remove(number: string): boolean;
  /** When the rest of `number` ends, ms since epoch; undefined when it is not resting. */
  endOf(number: string): number | undefined;
  /** The resting numbers, in no particular order. */
  list(): string[];
}

/** Creates an empty {@link RestQueue}. */
export function createRestQueue(): RestQueue {
  const heap: Rest[] = [];
  const place = new Map<string, number>();
  const until = (i: number): number => heap[i]?.until ?? Number.POSITIVE_INFINITY;
  const set = (i: number, rest: Rest): void => {
    heap[i] = rest;
    place.set(rest.number, i);
  };
  const swap = (i: number, j: number): void => {
    const a = heap[i] as Rest;
    set(i, heap[j] as Rest);
    set(j, a);
  };
  const up = (start: number): void => {
    let i = start;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (until(parent) <= until(i)) return;
      swap(i, parent);
      i = parent;
    }
  };
  const down = (start: number): void => {
    let i = start;
    for (;;) {
      const left = 2 * i + 1;
      const smaller = until(left + 1) < until(left) ? left + 1 : left;
      if (smaller >= heap.length || until(i) <= until(smaller)) return;
      swap(i, smaller);
      i = smaller;
    }
  };
  // Takes the entry at `i` out, and puts the last one in its place, moved to where it belongs.
  const cut = (i: number): Rest => {
    const taken = heap[i] as Rest;
    place.delete(taken.number);
    const last = heap.pop() as Rest;
    if (i < heap.length) {
      set(i, last);
      up(i);
      down(place.get(last.number) as number);
    }
    return taken;
  };
  return {
    add(number, end) {
      const at = place.get(number);
      if (at !== undefined) cut(at);
      set(heap.length, { number, until: end });
      up(heap.length - 1);
    },
    takeDue(now) {
      const due: string[] = [];
      while (heap.length && until(0) <= now) due.push(cut(0).number);
      return due;
    },
    remove(number) {
      const at = place.get(number);
      if (at === undefined) return false;
      cut(at);
      return true;
    },
    endOf(number) {
      const at = place.get(number);
      return at === undefined ? undefined : heap[at]?.until;
    },
    list: () => heap.map((r) => r.number),
  };
}
