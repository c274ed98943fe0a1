// Stand-ins for `__gpp` and `__uspapi` while dist/us.js is on its way, as IAB's stubs are: a tag
// that runs right after the SDK finds both APIs. `ping` answers at once with the CMP's status;
// every other call waits, in order, for the add-on (installGpp drains `__gpp('queue')` as it
// drains IAB's stub; `__uspapi`'s calls are handed over once it is installed). If the add-on
// cannot arrive, every waiting and later call gets a failure, and `ping` says `error`.
import { call, type Callback } from '../../signals/callback.js';

/** A call as a page made it: the command, then its arguments. */
type Call = unknown[];
type Api = (...args: Call) => unknown;
type UsWindow = { __gpp?: unknown; __uspapi?: unknown };

/** The stubs in place, and what to do with the calls they keep. */
export interface UsStubs {
  /** Replays the `__uspapi` calls kept so far on the API that replaced the stub. */
  handOver(): void;
  /** Answers every kept call with a failure, and every later one; `ping` says `error`. */
  fail(): void;
  /** Removes the stubs still in place. */
  remove(): void;
}

/** Which stubs to install; a page's own stub (IAB's, pasted before the SDK) is left in place. */
export interface UsStubOptions {
  gpp: boolean;
  usp: boolean;
  /** The CMP id `ping` reports. */
  cmpId: number;
}

/** Where a callback sits in a call: `__gpp(command, callback, …)`, `__uspapi(command, version, callback)`. */
const CALLBACK_AT = { gpp: 1, usp: 2 } as const;

/** Installs the stubs on `win`; returns what the loader does with them once the add-on has run or failed. */
export function installUsStubs(win: Window, options: UsStubOptions): UsStubs {
  const w = win as unknown as UsWindow;
  const kept = { gpp: [] as Call[], usp: [] as Call[] };
  let failed = false;
  const refuse = (api: keyof typeof kept, args: Call): void => {
    const callback = args[CALLBACK_AT[api]];
    if (typeof callback === 'function') call(callback as Callback, null, false);
  };
  const keep =
    (api: keyof typeof kept): Api =>
    (...args) => {
      if (failed) refuse(api, args);
      else kept[api].push(args);
    };
  const keepGpp = keep('gpp');
  const gpp: Api = (...args) => {
    const [command, callback] = args;
    if (command === 'queue') return kept.gpp;
    if (command === 'events') return [];
    if (command !== 'ping') return keepGpp(...args);
    if (typeof callback === 'function')
      call(callback as Callback, {
        gppVersion: '1.1',
        cmpStatus: failed ? 'error' : 'stub',
        cmpDisplayStatus: 'hidden',
        signalStatus: 'not ready',
        supportedAPIs: [],
        cmpId: options.cmpId,
        sectionList: [],
        applicableSections: [],
        gppString: '',
        parsedSections: {},
      });
    return undefined;
  };
  const usp = keep('usp');
  const ours = {
    gpp: options.gpp && typeof w.__gpp !== 'function' && gpp,
    usp: options.usp && typeof w.__uspapi !== 'function' && usp,
  };
  if (ours.gpp) w.__gpp = ours.gpp;
  if (ours.usp) w.__uspapi = ours.usp;
  return {
    handOver() {
      const api = w.__uspapi;
      if (!ours.usp || typeof api !== 'function' || api === usp) return;
      for (const args of kept.usp.splice(0)) {
        try {
          (api as Api)(...args);
        } catch {
          // One malformed call is skipped; the rest still run in order.
        }
      }
    },
    fail() {
      failed = true;
      for (const api of ['gpp', 'usp'] as const) for (const args of kept[api].splice(0)) refuse(api, args);
    },
    remove() {
      if (ours.gpp && w.__gpp === ours.gpp) delete w.__gpp;
      if (ours.usp && w.__uspapi === ours.usp) delete w.__uspapi;
    },
  };
}
