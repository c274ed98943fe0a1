// Work a consent change causes that can wait until the click that made it is over. Inside the
// click the SDK does the least: the decision is written, the banner hides, Consent Mode's update is
// pushed and held-back scripts run (see mountConsentUi and startSignals, which subscribe to the
// store itself); call tracking, also on the store itself, writes its numbers once the click's
// listeners are done, so they show in the same frame (see dni-loader.ts). Every other subscriber
// (announcements, GPP, USP, receipts, the page's own `Consentline.on` listeners) subscribes
// through the view this returns, and hears each
// change in a later task, in the order the changes happened: a refusal is never dropped or
// overtaken by a later grant, only delivered a task later. The store queues here, after a grant,
// the read-back of its cookie and the notice to other tabs (see ConsentStoreOptions.defer).
// The consent UI queues its "saved" status message and the reload of `reloadOnWithdraw`.
// While external held-back scripts a grant inserted are loading, the queue waits for them (at most
// HOLD_MS): a task run while their responses arrive would hold the main thread they need to run.
import type { ConsentStore } from '../../core/store.js';
import { on } from '../../dom/listen.js';

// The longest the queue waits for held-back scripts still loading: a script from the browser's
// cache or a nearby server arrives well within it, and listeners never wait long on a slow one.
const HOLD_MS = 200;

/** A FIFO of tasks run together in one later task. */
export interface Later {
  /** Queues `task` after every task queued before it. */
  (task: () => void): void;
  /** Holds the queue's next run until `loading` settles, for at most HOLD_MS. */
  _private_hold(loading: Promise<unknown>): void;
}

/** A queue that runs its tasks in order in a task of their own, one that cannot throw into the caller. */
export function createLater(onError: (error: unknown) => void): Later {
  let queue: (() => void)[] = [];
  const loading = new Set<Promise<unknown>>();
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
  // A run waits for what was loading when it began; what is still loading after HOLD_MS (a script
  // the page removed before it loaded never settles) holds no later run. A page left or hidden
  // meanwhile (hidden may be the last it hears) runs the queue at once: a receipt or the cookie's
  // read-back is not lost to the wait.
  const run = () => {
    const waiting = [...loading];
    loading.clear();
    if (!waiting.length) {
      flush();
      return;
    }
    let waits = true;
    const go = () => {
      if (!waits) return;
      waits = false;
      removeEventListener('pagehide', go);
      offHidden();
      flush();
    };
    addEventListener('pagehide', go);
    const offHidden = on(document, 'visibilitychange', () => {
      if (document.visibilityState === 'hidden') go();
    });
    void Promise.race([Promise.all(waiting), new Promise((done) => setTimeout(done, HOLD_MS))]).then(() =>
      setTimeout(go, 0),
    );
  };
  return Object.assign(
    (task: () => void) => {
      if (!queue.length) setTimeout(run, 0);
      queue.push(task);
    },
    {
      _private_hold(busy: Promise<unknown>) {
        const settled = () => loading.delete(busy);
        loading.add(busy);
        void busy.then(settled, settled);
      },
    },
  );
}

/**
 * `store` with a `subscribe` whose listeners hear each change through `later`; one unsubscribed
 * hears nothing more, not even a change still waiting for its task.
 */
export function deferListeners(store: ConsentStore, later: (task: () => void) => void): ConsentStore {
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
