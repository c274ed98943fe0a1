// A stand-in for `__gpp` while dist/gpp.js is on its way, as IAB's stub is: a tag that runs right
// after the SDK finds the API. `ping` answers at once with the CMP's status; every other call waits,
// in order, for the add-on, whose installGpp takes them with `__gpp('queue')` as it takes IAB's
// stub's. Once the add-on has installed the API, a tag that kept a reference to the stub reaches
// that API through it. If the add-on cannot arrive, every waiting and later call gets a failure,
// and `ping` says `error`.
import { call, type Callback } from '../../signals/callback.js';

/** A call as a page made it: the command, then its arguments. */
type Call = unknown[];
type Api = (...args: Call) => unknown;

/** The stub in place, and what the loader does with it once the add-on has arrived or failed. */
export interface GppStub {
  /**
   * Runs `install`, which takes the kept calls with `__gpp('queue')`; then the calls still kept
   * (the add-on drained another stub that took the stub's place) and every later call through the
   * stub go to the API it installed. Throws what `install` throws.
   */
  handOver(install: () => void): void;
  /** Answers every kept call with a failure, and every later one; `ping` says `error`. */
  fail(): void;
  /** Removes the stub if it is still in place. */
  remove(): void;
  /** Whether the stub is the page's `__gpp` (else the page had one of its own, left alone). */
  readonly ours: boolean;
}

const stubPing = (cmpStatus: 'stub' | 'error', cmpId: number) => ({
  gppVersion: '1.1',
  cmpStatus,
  cmpDisplayStatus: 'hidden',
  signalStatus: 'not ready',
  supportedAPIs: [],
  cmpId,
  sectionList: [],
  applicableSections: [],
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
  let failed = false;
  // While the add-on installs, `queue` hands the kept calls over (a later failure must not answer
  // them again); asked at any other time, it shows them.
  let taking = false;
  let installed: Api | undefined;
  const refuse = (args: Call): void => {
    if (typeof args[1] === 'function') call(args[1] as Callback, null, false);
  };
  const gpp: Api = (...args) => {
    const [command, callback] = args;
    if (installed) return installed(...args);
    if (command === 'queue') return taking ? kept.splice(0) : kept.slice();
    if (command === 'events') return [];
    if (command === 'ping') {
      if (typeof callback === 'function') call(callback as Callback, stubPing(failed ? 'error' : 'stub', cmpId));
      return undefined;
    }
    if (failed) refuse(args);
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
      for (const args of kept.splice(0)) {
        try {
          installed(...args);
        } catch {
          // One malformed call is skipped; the rest still run in order.
        }
      }
    },
    fail() {
      failed = true;
      const waiting = kept;
      kept = [];
      waiting.forEach(refuse);
    },
    remove() {
      if (ours && w.__gpp === gpp) delete w.__gpp;
    },
  };
}
