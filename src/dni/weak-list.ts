// What the page has thrown away must not be kept by us for the life of the page, reference
// included: a reference goes as soon as the garbage collector has taken its object (the registry's
// callback, in a task after the collection), however many routes an SPA renders.

/** Objects held weakly, visited in the order added; see {@link createWeakList}. */
export interface WeakList<T extends object> {
  add(item: T): void;
  /** Visits every item still alive, dropping the references to those collected. */
  forEach(fn: (item: T) => void): void;
  clear(): void;
}

/** Creates an empty {@link WeakList}. */
export function createWeakList<T extends object>(): WeakList<T> {
  const refs = new Set<WeakRef<T>>();
  const gone = new FinalizationRegistry<WeakRef<T>>((ref) => refs.delete(ref));
  return {
    add(item) {
      const ref = new WeakRef(item);
      refs.add(ref);
      gone.register(item, ref);
    },
    forEach(fn) {
      refs.forEach((ref) => {
        const item = ref.deref();
        if (item) fn(item);
        else refs.delete(ref);
      });
    },
    clear() {
      refs.clear();
    },
  };
}
