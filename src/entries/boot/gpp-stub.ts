// A stand-in for `__gpp` while dist/gpp.js is on its way, as IAB's stub is (CMP API 1.1, "stub
// code"): a tag that runs right after the SDK finds the API. The generic commands answer at once:
// `ping` with the CMP's status, `addEventListener` registers the listener and calls it back with
// `listenerRegistered`, `removeEventListener` removes it, and `hasSection`, `getSection` and
// `getField` give null until the CMP is loaded. Any other command waits, in order, for the add-on;
// past the first MAX_WAITING such calls, one fails at once.
// installGpp takes the waiting calls and the listeners with `__gpp('queue')` and `__gpp('events')`,
// as it takes IAB's stub's, and tells each listener `signalStatus: ready`. Once the add-on has
// installed the API, a tag that kept a reference to the stub reaches that API through it. If the
// add-on cannot arrive, each listener hears `cmpStatus: error`, every waiting and later call gets
// a failure, and `ping` says `error`; listeners stay registered for an add-on that arrives late.
import { hasOwn } from '../../core/has-own.js';
import { call, type Callback } from '../../signals/callback.js';

/** A call as a page made it: the command, then its arguments. */
type Call = unknown[];
type Api = (...args: Call) => unknown;

/** A listener registered with the stub, in the shape installGpp adopts from IAB's stub. */
interface StubListener {
  id: number;
  callback: Callback;
}

/** The stub in place, and what the loader does with it once the add-on has arrived or failed. */
export interface GppStub {
  /**
   * Runs `install`, which takes the waiting calls and the listeners with `__gpp('queue')` and
   * `__gpp('events')`; then the listeners and calls still here (the add-on drained another stub
   * that took the stub's place) and every later call through the stub go to the API it installed.
   * Throws what `install` throws.
   */
  handOver(install: () => void): void;
  /** Tells each listener the CMP failed, answers every waiting and later call with a failure; `ping` says `error`. */
  fail(): void;
  /** Removes the stub if it is still in place. */
  remove(): void;
  /** Whether the stub is the page's `__gpp` (else the page had one of its own, left alone). */
  readonly ours: boolean;
}

// The CMP API asks a CMP that cannot answer yet to queue every call; a page calling in a loop
// must not grow memory until the add-on comes (or for the loader's whole wait). A call past these
// gets the API's failure, `callback(null, false)` ("false will be passed as the argument to the
// success parameter if the CMP fails to process this command", CMP API 1.1).
const MAX_WAITING = 100;

const stubPing = (cmpStatus: 'stub' | 'error', cmpId: number) => ({
  gppVersion: '1.1',
  cmpStatus,
  cmpDisplayStatus: 'hidden',
  signalStatus: 'not ready',
  supportedAPIs: [],
  cmpId,
  sectionList: [],
  // "The value can be 0 or a Section ID specified by the Publisher [...] during stub / load" (CMP
  // API 1.1); the section may depend on the state sections still on their way.
  applicableSections: [0],
  gppString: '',
  parsedSections: {},
});

/**
 * Installs the stub on `win` unless the page has its own (IAB's, pasted before the SDK), which
 * the add-on drains the same way and which is left alone.
 */
export function installGppStub(win: Window, cmpId: number): GppStub {
  const w = win as unknown as { __gpp?: unknown };
  let kept: Call[] = [];
  let listeners: StubListener[] = [];
  let lastId = 0;
  // Listeners up to this id have heard that the stub failed.
  let toldFailed = 0;
  let failed = false;
  // While the add-on installs, `queue` and `events` hand the calls and listeners over (a later
  // failure must not answer them again); asked at any other time, they show them.
  let taking = false;
  let installed: Api | undefined;
  const status = () => stubPing(failed ? 'error' : 'stub', cmpId);
  const event = (eventName: string, listenerId: number, data: unknown) => ({
    eventName,
    listenerId,
    data,
    pingData: status(),
  });
  const refuse = (args: Call): void => {
    if (typeof args[1] === 'function') call(args[1] as Callback, null, false);
  };
  // What the section queries answer until the CMP is loaded.
  const notLoaded = (callback: Callback): void => call(callback, null, false);
  // The generic commands, answered at once; the callback is a function (checked by the caller).
  const generic: Record<string, (callback: Callback, parameter: unknown) => void> = {
    ping: (callback) => call(callback, status()),
    addEventListener(callback) {
      const id = ++lastId;
      listeners.push({ id, callback });
      call(callback, event('listenerRegistered', id, true));
    },
    removeEventListener(callback, parameter) {
      const before = listeners.length;
      listeners = listeners.filter((l) => l.id !== parameter);
      call(callback, listeners.length < before);
    },
    hasSection: notLoaded,
    getSection: notLoaded,
    getField: notLoaded,
  };
  const gpp: Api = (...args) => {
    const [command, callback, parameter] = args;
    if (installed) return installed(...args);
    if (command === 'queue') return taking ? kept.splice(0) : kept.slice();
    if (command === 'events') return taking ? listeners.splice(0) : listeners.slice();
    const answer = typeof command === 'string' && hasOwn(generic, command) ? generic[command] : undefined;
    if (answer) {
      if (typeof callback === 'function') answer(callback as Callback, parameter);
    } else if (failed || kept.length >= MAX_WAITING) refuse(args);
    else kept.push(args);
    return undefined;
  };
  const ours = typeof w.__gpp !== 'function';
  if (ours) w.__gpp = gpp;
  return {
    ours,
    handOver(install) {
      taking = true;
      try {
        install();
      } finally {
        taking = false;
      }
      const api = w.__gpp;
      if (api === gpp || typeof api !== 'function') return;
      installed = api as Api;
      const waiting: Call[] = [...listeners.splice(0).map((l) => ['addEventListener', l.callback]), ...kept.splice(0)];
      for (const args of waiting) {
        try {
          installed(...args);
        } catch {
          // One malformed call is skipped; the rest still run in order.
        }
      }
    },
    fail() {
      failed = true;
      // Each listener is told once, however often the stub fails (the cleanup fails it too), and
      // stays registered: a file that arrives late (past the loader's wait) takes it over, so a
      // tag that listened early still hears what the visitor decides later, an opt-out included.
      for (const l of listeners) if (l.id > toldFailed) call(l.callback, event('cmpStatus', l.id, 'error'));
      toldFailed = lastId;
      const waiting = kept;
      kept = [];
      waiting.forEach(refuse);
    },
    remove() {
      if (ours && w.__gpp === gpp) delete w.__gpp;
    },
  };
}
