// Numbers resting in quarantine, by the end of their rest, for the memory lease store: a binary
// min-heap, so each number is freed when its own rest ends whatever order the rests were noted in
// (a lease found to have run out only later rests from its end, before rests noted earlier).
// Adding and taking are O(log n), as the Redis store's sorted sets are.

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
  /** The resting numbers, in no particular order. */
  list(): string[];
}

/** Creates an empty {@link RestQueue}. */
export function createRestQueue(): RestQueue {
  const heap: Rest[] = [];
  const until = (i: number): number => heap[i]?.until ?? Number.POSITIVE_INFINITY;
  const swap = (i: number, j: number): void => {
    const a = heap[i] as Rest;
    heap[i] = heap[j] as Rest;
    heap[j] = a;
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
  return {
    add(number, end) {
      heap.push({ number, until: end });
      up(heap.length - 1);
    },
    takeDue(now) {
      const due: string[] = [];
      while (heap.length && until(0) <= now) {
        due.push((heap[0] as Rest).number);
        const last = heap.pop() as Rest;
        if (heap.length) {
          heap[0] = last;
          down(0);
        }
      }
      return due;
    },
    list: () => heap.map((r) => r.number),
  };
}
