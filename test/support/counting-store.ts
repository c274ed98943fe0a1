// A consent store whose subscribe counts the listeners it holds, so a binding's test can see a
// leaked or doubled subscription (StrictMode, hot reload, unmount).
import { createConsentStore, type ConsentStore } from '../../src/core/store';

/** `store` (a new one by default) with `listeners()`: how many of its subscriptions are live. */
export function countingStore(store: ConsentStore = createConsentStore()): ConsentStore & { listeners(): number } {
  let live = 0;
  return Object.assign(Object.create(store) as ConsentStore, {
    subscribe(listener: Parameters<ConsentStore['subscribe']>[0]) {
      live++;
      const off = store.subscribe(listener);
      return () => {
        live--;
        off();
      };
    },
    listeners: () => live,
  });
}
