// Work a consent change causes that can wait until the click that made it is over. Inside the
// click the SDK does the least: the decision is written, the banner hides, Consent Mode's update is
// pushed and held-back scripts run (see mountConsentUi and startSignals, which subscribe to the
// store itself); call tracking, also on the store itself, writes its numbers once the click's
// listeners are done, so they show in the same frame (see dni-loader.ts). Every other subscriber
// (announcements, GPP, USP, receipts, the page's own `Consentline.on` listeners) subscribes
// through the view this returns, and hears each
// change in the next task, in the order the changes happened: a refusal is never dropped or
// overtaken by a later grant, only delivered a task later. The store queues here, after a grant,
// the read-back of its cookie and the notice to other tabs (see ConsentStoreOptions.defer).
// The consent UI queues its "saved" status message and the reload of `reloadOnWithdraw`.
import type { ConsentStore } from '../../core/store.js';

/** A FIFO of tasks run together in one later task. */
export interface Later {
  /** Queues `task` after every task queued before it. */
  (task: () => void): void;
}

/** A queue that runs its tasks in order in a task of their own, one that cannot throw into the caller. */
export function createLater(onError: (error: unknown) => void): Later {
  let queue: (() => void)[] = [];
  const flush = () => {
    const tasks = queue;
    queue = [];
    for (const task of tasks) {
      try {
        task();
      } catch (error) {
        onError(error);
      }
    }
  };
  return (task) => {
    if (!queue.length) setTimeout(flush, 0);
    queue.push(task);
  };
}

/**
 * `store` with a `subscribe` whose listeners hear each change through `later`; one unsubscribed
 * hears nothing more, not even a change still waiting for its task.
 */
export function deferListeners(store: ConsentStore, later: Later): ConsentStore {
  return {
    ...store,
    subscribe(listener) {
      let subscribed = true;
      const off = store.subscribe((state, previous) =>
        later(() => {
          if (subscribed) listener(state, previous);
        }),
      );
      return () => {
        subscribed = false;
        off();
      };
    },
  };
}
