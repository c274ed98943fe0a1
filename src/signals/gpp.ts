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
import { addLocatorFrame, answerFrameCalls, frameOf } from './frame-calls.js';

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
  /**
   * Tells whether the preferences dialog is open, as `mountConsentUi(…).watchPreferences` does:
   * calls its listener with the current value at once and on every change, and returns the
   * unsubscribe. While the dialog is open `cmpDisplayStatus` is `"visible"` and `signalStatus`
   * `"not ready"` (the visitor is changing their choice), as the CMP API's event order example 2
   * asks for a consent layer the visitor resurfaces. @default none: only the banner is reported
   */
  preferences?: (listener: (open: boolean) => void) => () => void;
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
  /** The page's child frame whose share it counts in: the frame, or the one that holds it (see frameOf). */
  _private_share?: WindowProxy;
  /** The origin of the frame's document that registered it. */
  _private_origin?: string;
}

// Frames get a bounded share: without one, a frame registering 10,000 listeners makes every
// change post 10,000 events (hundreds of milliseconds on the page's main thread). A share is the
// page's child frame's, the frames it nests included (each is a window of its own); all frames
// together have a cap too.
const FRAME_LISTENERS = 50;
const ALL_FRAME_LISTENERS = 500;
// Listeners of removed frames are dropped when a frame registers one, at most once a second
// (checking each frame's window costs time, and a flood registers many): a long session whose ad
// or widget frames come and go does not keep their windows alive.
const PRUNE_EVERY_MS = 1000;

/**
 * Installs the IAB GPP CMP API 1.1 (`window.__gpp`): `ping`, `addEventListener`,
 * `removeEventListener`, `hasSection`, `getSection`, `getField`; drains a stub's queue in order,
 * adopts its listeners (each hears `cmpStatus: loaded`, then `signalStatus: ready` once no choice
 * is pending), answers `__gppCall` postMessages from frames (a frame may remove only its own
 * listeners; a child frame of the page and the frames it holds register at most 50 together, all
 * frames 500, and one more is answered `listenerRegistered` with `data: false` and `listenerId: 0`;
 * replies go only to the origin that asked), and adds the `__gppLocator` frame in idle
 * time on a visit the section applies to. Any other command gets `callback(null, false)`; nothing
 * is evaluated, nothing throws.
 *
 * `signalStatus` is `"not ready"` while the visitor's choice is pending: on an opt-in visit before
 * the first decision (with a banner asking) and while the preferences dialog is open. A ping also
 * says `"not ready"` (with the current string) between a change of the store and GPP telling it,
 * when `store`'s listeners hear changes later than they happen (the script tag tells GPP a task
 * after the click); a change of the dialog that comes meanwhile is told after that change.
 *
 * @example
 * const ui = mountConsentUi(store);
 * const stop = installGpp(store, { section: 'usca', preferences: ui.watchPreferences });
 * Returns the cleanup. Outside a browser (no `win`, no document) it installs nothing.
 */
export function installGpp(store: ConsentStore, options: GppOptions = {}): () => void {
  const {
    section: spec = 'usnat',
    mspa,
    cmpId = 1,
    applies = () => true,
    banner = true,
    preferences,
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

  // Whether the preferences dialog is open: as listeners were last told, and as `preferences` last
  // said. A change of the dialog that comes while a change of the store is still to be heard (the
  // dialog saved, then closed, with the store's listeners told a task later) waits for it, so the
  // chain is the change, then the dialog closing.
  let open = false;
  let wanted = false;
  // The banner shows exactly while there is no decision, in either regime (a store-level fact);
  // the dialog, while `preferences` says so.
  const displayStatus = (state: ConsentState, dialog = open): string => {
    if (dialog) return 'visible';
    if (!banner) return 'disabled';
    return state.decision ? 'hidden' : 'visible';
  };
  // The visitor's choice is still to come: while the dialog is open ("CMP is expecting changes,
  // vendors should not use the data", CMP API 1.1, event order example 2), and on an opt-in visit
  // before the first decision, whose string says "opted out" only because nothing is granted yet
  // ("The 'ready' status should only be sent when the GPP string contains the section that is
  // currently applicable with the user's current choices reflected"; example 1 fires "ready" only
  // after the new visitor's choice). An opt-out visit's defaults are the visitor's choice until
  // they change it; a site without a banner asks nothing, so nothing is pending.
  const pending = (state: ConsentState): boolean => open || (banner && state.needsDecision);
  // What listeners were last told (a stub's ping says "not ready" and "hidden"); a ping made
  // while a change is being told says what the events say.
  let signalStatus = 'not ready';
  let displayed = 'hidden';
  // The state listeners were last told about. The store's state may be newer (the script tag tells
  // GPP a task after the change): until GPP has told that, the section is changing, and a ping says
  // "not ready" ("The CMP is not ready to respond to any calling scripts with the corresponding GPP
  // string", CMP API 1.1) with the current string and display.
  let heard: ConsentState | undefined;
  // While a chain of events is told, its pings say what its events say.
  let chain = false;
  const unheard = (): boolean => !chain && (store.get() !== heard || wanted !== open);
  const fields = (): GppFields[] => {
    const s = store.get();
    return buildGppSection(spec, { optedOut: isSaleOptedOut(s, saleShare), gpc: s.gpc, mspa });
  };
  // The string is encoded once per change for every listener; each gets fields of its own, so one
  // listener cannot change what another reads.
  const ping = (gppString?: string) => {
    const f = fields();
    const changing = unheard();
    return {
      gppVersion: '1.1',
      cmpStatus: 'loaded',
      cmpDisplayStatus: changing ? displayStatus(store.get(), wanted) : displayed,
      signalStatus: changing ? 'not ready' : signalStatus,
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
  // Whether a frame may add one more listener: under its share's cap and under the frames' cap,
  // once listeners of frames that are gone no longer count (a frame that replaces its own frames
  // gets their room back).
  const hasRoom = (share: WindowProxy): boolean => {
    const now = Date.now();
    if (now - prunedAt >= PRUNE_EVERY_MS) {
      prunedAt = now;
      for (const [listenerId, l] of listeners) if (l._private_frame?.closed) listeners.delete(listenerId);
    }
    const frames = frameListeners();
    return (
      frames.filter((l) => l._private_share === share).length < FRAME_LISTENERS && frames.length < ALL_FRAME_LISTENERS
    );
  };

  /**
   * Answers one call; `frame` is the window that asked over postMessage from a document of
   * `origin`, absent for the page's own calls.
   */
  const answer = (
    frame: WindowProxy | undefined,
    command: unknown,
    callback: unknown,
    parameter: unknown,
    origin = '',
  ): void => {
    if (typeof callback !== 'function') return;
    // A frame asking from another origin has navigated: its earlier documents' listeners are gone
    // with them (their events would go to an origin no longer there) and give their room back.
    if (frame)
      for (const [listenerId, l] of listeners)
        if (l._private_frame === frame && l._private_origin !== origin) listeners.delete(listenerId);
    const cb = callback as Callback;
    let data: unknown = null;
    const own = parameter === section;
    switch (command) {
      case 'ping':
        data = ping();
        break;
      case 'addEventListener': {
        const share = frame && frameOf(win, frame);
        if (share && !hasRoom(share)) {
          // "If data equals true, a listenerId must be sent, otherwise the listenerId must be 0" (CMP API 1.1).
          call(cb, event('listenerRegistered', 0, false), false);
          return;
        }
        listeners.set(nextId, {
          _private_callback: cb,
          ...(share && { _private_frame: frame, _private_share: share, _private_origin: origin }),
        });
        call(cb, event('listenerRegistered', nextId++, true));
        return;
      }
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
        // "<section>.<field>", nothing more; split no further than needed: a frame's name with a
        // million dots must not become a million strings.
        const [name, field, more] = typeof parameter === 'string' ? parameter.split('.', 3) : [];
        data =
          name === section && more === undefined ? (fields().find((f) => hasOwn(f, field!))?.[field!] ?? null) : null;
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
    // A listener removed by an earlier one's callback hears no more.
    for (const [listenerId, l] of [...listeners])
      if (listeners.get(listenerId) === l) call(l._private_callback, event(name, listenerId, data, ping(gppString)));
  };
  const tellStatus = (status: string, gppString?: string): void => {
    signalStatus = status;
    tell('signalStatus', status, gppString);
  };
  // The CMP API's order for a change: signalStatus "not ready" first, then the layer coming or
  // going (cmpDisplayStatus, "called whenever the display status of the CMP changes") and, when
  // the consent state `changed`, sectionChange; "ready" only once all is done and no choice is
  // pending, so a vendor never acts on a section mid-change ("signalStatus [...] shall always be
  // the first (if applicable) and last in a chain of events", CMP API 1.1).
  const update = (state: ConsentState, changed: boolean): void => {
    heard = state;
    // Encoded once for every listener; nobody listening, nothing to encode.
    const gppString = listeners.size ? encodeGppString(spec, fields()) : undefined;
    // A newer change still to be told keeps the signal "not ready" until it is. Asked again at the
    // end: a listener may change the store while the chain is told (an opt-out in its callback),
    // and "ready" with this string would then tell a choice no longer current.
    const waiting = (): boolean => pending(state) || store.get() !== state;
    const outer = chain;
    chain = true;
    try {
      if (signalStatus === 'ready' && (changed || waiting())) tellStatus('not ready', gppString);
      const shown = displayStatus(state);
      if (shown !== displayed) {
        displayed = shown;
        tell('cmpDisplayStatus', shown, gppString);
      }
      if (changed) tell('sectionChange', section, gppString);
      if (!waiting() && signalStatus !== 'ready') tellStatus('ready', gppString);
    } finally {
      chain = outer;
    }
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
  for (const e of read('events') as Array<{ id?: unknown; callback?: unknown }>) {
    // Ids from the stub become ours to count on from: only safe integers (NaN or Infinity would stop
    // nextId, and every later listener would share one id).
    if (e && typeof e.id === 'number' && Number.isSafeInteger(e.id) && typeof e.callback === 'function') {
      listeners.set(e.id, { _private_callback: e.callback as Callback });
      nextId = Math.max(nextId, e.id + 1);
    }
  }
  w.__gpp = gpp;
  // The stub registered them with its own "stub", "not ready" and "hidden": each hears that the
  // CMP has loaded, whether the layer shows, then, last, that the CMP is ready, unless the
  // visitor's choice is pending.
  tell('cmpStatus', 'loaded');
  // The dialog's change is told once every change of the store before it has been.
  const followDialog = (): void => {
    if (wanted === open || store.get() !== heard) return;
    open = wanted;
    update(store.get(), false);
  };
  heard = store.get();
  const stopPreferences = preferences?.((now) => {
    wanted = now === true;
    followDialog();
  });
  update(store.get(), false);
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
  const stopFrames = answerFrameCalls(win, '__gpp', (frame, c, reply, origin) =>
    answer(frame, c.command, reply, c.parameter, origin),
  );
  const stopLocator = addLocatorFrame(win, '__gpp', appliesNow);

  const off = store.subscribe((state) => {
    update(state, true);
    followDialog();
  });
  return () => {
    off();
    stopPreferences?.();
    listeners.clear();
    stopFrames();
    stopLocator();
    if (w.__gpp === gpp) delete w.__gpp;
  };
}
