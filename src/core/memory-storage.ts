import type { ConsentStorage } from './types.js';

/** A storage that keeps the decision for this page only: the fallback when cookies are refused, and the default in tests and SSR. */
export function createMemoryStorage(initial?: string): ConsentStorage {
  let value = initial;
  return {
    read: () => value,
    write: (next) => {
      value = next;
    },
    remove: () => {
      value = undefined;
    },
  };
}
