import type { ConsentStore } from '../core/store.js';
import type { ConsentState } from '../core/types.js';
import { inBrowser, noop } from '../core/env.js';
import { call, type Callback } from './callback.js';
import {
  buildGppSection,
  encodeGppString,
  GPP_SECTIONS,
  type GppFields,
  type GppSection,
  type GppSectionName,
  type MspaOptions,
} from './gpp-encode.js';
import { isSaleOptedOut } from './sale-opt-out.js';
import { hasOwn } from '../core/has-own.js';
import { addLocatorFrame, answerFrameCalls } from './frame-calls.js';

/** Options of {@link installGpp}. */
export interface GppOptions {
  /**
   * The section this site emits: `usnat` (US National), `usca` (California), or a state section
   * (see `US_STATE_SECTIONS` and `pickGppSection`). @default 'usnat'
   */
  section?: GppSectionName | GppSection;
  /** MSPA participation. @default not covered */
  mspa?: MspaOptions;
  /**
   * IAB-assigned CMP id. Without one, 1: the CMP API has string creators without an IAB id use 1
   * (0 only while a stub stands in). @default 1
   */
  cmpId?: number;
  /**
   * Whether the US section applies on this visit; `applicableSections` is `[-1]` when not, and no
   * `__gppLocator` frame is added, so frames find no GPP CMP. @default () => true
   */
  applies?: () => boolean;
  /**
   * Whether a consent banner shows while there is no decision (`mountConsentUi`'s, or the site's
   * own), which `cmpDisplayStatus` reports; false: `"disabled"`, the CMP API's value for a CMP
   * without one. @default true
   */
  banner?: boolean;
  /** The window to install `__gpp` and the `__gppLocator` frame on. @default globalThis in a browser; none elsewhere */
  win?: Window;
}

type Gpp = ((command?: unknown, callback?: unknown, parameter?: unknown, version?: unknown) => unknown) & {
  queue?: unknown;
  events?: unknown;
};

/**
 * A registered listener. The page's own direct calls work as the IAB API specifies and may remove
 * any listener (the page owns `__gpp`); a frame calling over postMessage is known by its window
 * and may remove only the listeners that window registered.
 */
interface Listener {
  _private_callback: Callback;
  /** The frame's window, for a listener registered over postMessage; absent for the page's own. */
  _private_frame?: WindowProxy;
}

// Frames get a bounded share: without one, a frame registering 10,000 listeners makes every
// change post 10,000 events (hundreds of milliseconds on the page's main thread). A frame can
// nest frames of its own, so all frames together have a cap too.
const FRAME_LISTENERS = 50;
const ALL_FRAME_LISTENERS = 500;
// Listeners of removed frames are dropped when a frame registers one, at most once a second
// (checking each frame's window costs time, and a flood registers many): a long session whose ad
// or widget frames come and go does not keep their windows alive.
const PRUNE_EVERY_MS = 1000;

/**
 * Installs the IAB GPP CMP API 1.1 (`window.__gpp`): `ping`, `addEventListener`,
 * `removeEventListener`, `hasSection`, `getSection`, `getField`; drains a stub's queue in order,
 * adopts its listeners (each hears `signalStatus: ready`), answers `__gppCall` postMessages from
 * frames (a frame may remove only its own listeners and register at most 50; all frames together
 * 500), and adds the `__gppLocator` frame in idle time on a visit the section applies to. Any other command gets
 * `callback(null, false)`; nothing is evaluated, nothing throws.
 * Returns the cleanup. Outside a browser (no `win`, no document) it installs nothing.
 */
export function installGpp(store: ConsentStore, options: GppOptions = {}): () => void {
  const {
    section: spec = 'usnat',
    mspa,
    cmpId = 1,
    applies = () => true,
    banner = true,
    win = globalThis as unknown as Window,
  } = options;
  const section = typeof spec === 'object' ? spec.name : spec;
  const id = typeof spec === 'object' ? spec.id : GPP_SECTIONS[spec][0];
  // A server's globalThis is shared by every request: no __gpp there unless a `win` is given.
  if (!inBrowser() && !options.win) return noop;
  const w = win as unknown as { __gpp?: Gpp };
  const saleShare = store.categories.filter((c) => c.saleShare).map((c) => c.id);
  const listeners = new Map<number, Listener>();
  let nextId = 1;
  let prunedAt = -Infinity;
  // A site's hint that throws must not take the CMP API down with it: US frameworks then apply.
  const appliesNow = (): boolean => {
    try {
      return applies();
    } catch {
      return true;
    }
  };

  // "not ready" while a change is being told (see fire), as pings made meanwhile say too.
  let signalStatus = 'ready';
  // The consent layer (mountConsentUi's banner) is shown exactly while there is no decision, in
  // either regime: a store-level fact, so the CMP API needs nothing from the UI. The preferences
  // dialog a visitor opens after deciding is not reported.
  const displayStatus = (state = store.get()): string => {
    if (!banner) return 'disabled';
    return state.decision ? 'hidden' : 'visible';
  };
  // What listeners were last told it was: "hidden" is what a stub's ping says.
  let displayed = 'hidden';
  const fields = (): GppFields[] => {
    const s = store.get();
    return buildGppSection(spec, { optedOut: isSaleOptedOut(s, saleShare), gpc: s.gpc, mspa });
  };
  // The string is encoded once per change for every listener; each gets fields of its own, so one
  // listener cannot change what another reads.
  const ping = (gppString?: string) => {
    const f = fields();
    return {
      gppVersion: '1.1',
      cmpStatus: 'loaded',
      cmpDisplayStatus: displayStatus(),
      signalStatus,
      supportedAPIs: [`${id}:${section}`],
      cmpId,
      sectionList: [id],
      applicableSections: [appliesNow() ? id : -1],
      gppString: gppString ?? encodeGppString(spec, f),
      parsedSections: { [section]: f },
    };
  };
  const event = (eventName: string, listenerId: number, data: unknown, pingData = ping()) => ({
    eventName,
    listenerId,
    data,
    pingData,
  });

  const frameListeners = (): Listener[] => [...listeners.values()].filter((l) => l._private_frame);
  // Whether a frame may add one more listener: under its own cap and under the frames' cap, once
  // listeners of frames that are gone no longer count.
  const hasRoom = (frame: WindowProxy): boolean => {
    let frames = frameListeners();
    if (frames.filter((l) => l._private_frame === frame).length >= FRAME_LISTENERS) return false;
    const now = Date.now();
    if (now - prunedAt >= PRUNE_EVERY_MS) {
      prunedAt = now;
      for (const [listenerId, l] of listeners) if (l._private_frame?.closed) listeners.delete(listenerId);
      frames = frameListeners();
    }
    return frames.length < ALL_FRAME_LISTENERS;
  };

  /** Answers one call; `frame` is the window that asked over postMessage, absent for the page's own calls. */
  const answer = (frame: WindowProxy | undefined, command: unknown, callback: unknown, parameter: unknown): void => {
    if (typeof callback !== 'function') return;
    const cb = callback as Callback;
    let data: unknown = null;
    const own = parameter === section;
    switch (command) {
      case 'ping':
        data = ping();
        break;
      case 'addEventListener':
        if (frame && !hasRoom(frame)) {
          call(cb, null, false);
          return;
        }
        listeners.set(nextId, { _private_callback: cb, ...(frame && { _private_frame: frame }) });
        call(cb, event('listenerRegistered', nextId++, true));
        return;
      case 'removeEventListener': {
        const listener = listeners.get(parameter as number);
        data = !!listener && (!frame || listener._private_frame === frame) && listeners.delete(parameter as number);
        break;
      }
      case 'hasSection':
        data = own;
        break;
      case 'getSection':
        data = own ? fields() : null;
        break;
      case 'getField': {
        const [name, field] = typeof parameter === 'string' ? parameter.split('.') : [];
        data = name === section ? (fields().find((f) => hasOwn(f, field!))?.[field!] ?? null) : null;
        break;
      }
      default:
        call(cb, null, false);
        return;
    }
    call(cb, data);
  };
  const gpp: Gpp = (command, callback, parameter) => answer(undefined, command, callback, parameter);

  const tell = (name: string, data: unknown, gppString?: string): void => {
    for (const [listenerId, l] of [...listeners])
      call(l._private_callback, event(name, listenerId, data, ping(gppString)));
  };
  // CMP API 1.1's `cmpDisplayStatus` event, "called whenever the display status of the CMP changes".
  const tellDisplay = (state?: ConsentState): void => {
    const shown = displayStatus(state);
    if (shown === displayed) return;
    displayed = shown;
    tell('cmpDisplayStatus', shown);
  };
  // The CMP API's order for a change: signalStatus "not ready" first, then the banner coming or
  // going (cmpDisplayStatus) and sectionChange, and "ready" only once all is done, so a vendor
  // never acts on a section mid-change ("signalStatus [...] shall always be the first [...] and
  // last in a chain of events", CMP API 1.1).
  const fire = (state: ConsentState): void => {
    // Nobody listening: nothing to encode (the string is encoded again for the next ping).
    if (!listeners.size) {
      tellDisplay(state);
      return;
    }
    const gppString = encodeGppString(spec, fields());
    signalStatus = 'not ready';
    tell('signalStatus', signalStatus, gppString);
    tellDisplay(state);
    tell('sectionChange', section, gppString);
    signalStatus = 'ready';
    tell('signalStatus', signalStatus, gppString);
  };

  // A stub (IAB's or a copy) keeps calls in `__gpp('queue')` / `__gpp.queue` and listeners in `__gpp('events')`.
  const stub = w.__gpp;
  const read = (name: 'queue' | 'events'): unknown[] => {
    try {
      const got = typeof stub === 'function' ? stub(name) : undefined;
      const list = Array.isArray(got) ? got : stub?.[name];
      return Array.isArray(list) ? list.slice() : [];
    } catch {
      return [];
    }
  };
  const queue = read('queue');
  const adopted: number[] = [];
  for (const e of read('events') as Array<{ id?: unknown; callback?: unknown }>) {
    // Ids from the stub become ours to count on from: only safe integers (NaN or Infinity would stop
    // nextId, and every later listener would share one id).
    if (e && typeof e.id === 'number' && Number.isSafeInteger(e.id) && typeof e.callback === 'function') {
      listeners.set(e.id, { _private_callback: e.callback as Callback });
      nextId = Math.max(nextId, e.id + 1);
      adopted.push(e.id);
    }
  }
  w.__gpp = gpp;
  // The stub registered them with its own "not ready" data: each hears whether the banner shows,
  // then, last, that the CMP is ready now.
  tellDisplay();
  for (const listenerId of adopted)
    call(listeners.get(listenerId)!._private_callback, event('signalStatus', listenerId, 'ready'));
  for (const args of queue) {
    try {
      gpp(...(args as unknown[]));
    } catch {
      // A malformed queued call is skipped; the rest still run in order.
    }
  }

  // Frames find the CMP through the __gppLocator frame and talk to it with postMessage; a visit the
  // section does not apply to gets no frame: a frame's vendor would only learn that GPP has nothing
  // for it, which finding no GPP CMP tells it as well.
  // The IAB stub answers postMessages through window.__gpp_msghandler; ours replaces it, so frames get one reply.
  const stubHandler = (win as unknown as { __gpp_msghandler?: unknown }).__gpp_msghandler;
  if (typeof stubHandler === 'function') win.removeEventListener('message', stubHandler as EventListener);
  const stopFrames = answerFrameCalls(win, '__gpp', (frame, c, reply) => answer(frame, c.command, reply, c.parameter));
  const stopLocator = addLocatorFrame(win, '__gpp', appliesNow);

  const off = store.subscribe(fire);
  return () => {
    off();
    listeners.clear();
    stopFrames();
    stopLocator();
    if (w.__gpp === gpp) delete w.__gpp;
  };
}
