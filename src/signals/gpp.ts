import type { ConsentStore } from '../core/store';
import type { ConsentState } from '../core/types';
import { buildGppSection, encodeGppString, GPP_SECTIONS, type GppFields, type GppSectionName, type MspaOptions } from './gpp-encode';

/** Options of {@link installGpp}. */
export interface GppOptions {
  /** The section this site emits: `usnat` (US National) or `usca` (California). @default 'usnat' */
  section?: GppSectionName;
  /** MSPA participation. @default not covered */
  mspa?: MspaOptions;
  /** IAB-assigned CMP id. @default 0 */
  cmpId?: number;
  /** Whether the US section applies on this visit; `applicableSections` is `[-1]` when not. @default () => true */
  applies?: () => boolean;
  /** The window to install `__gpp` and the `__gppLocator` frame on. @default globalThis */
  win?: Window;
}

type Callback = (data: unknown, success: boolean) => void;
type Gpp = ((command?: unknown, callback?: unknown, parameter?: unknown, version?: unknown) => unknown) & {
  queue?: unknown;
  events?: unknown;
};

const LOCATOR = '__gppLocator';

/** Calls a page's callback for `__gpp` and `__uspapi`. */
export const call = (cb: Callback, data: unknown, ok = true): void => {
  try {
    cb(data, ok);
  } catch {
    // The caller's own callback failing is not ours to surface.
  }
};

/** True when any sale/share category is not granted: GPP says "opted out" whenever selling is not allowed. */
export const isSaleOptedOut = (state: ConsentState, saleShare: readonly string[]): boolean =>
  state.optedOut || saleShare.some((id) => !state.grants[id]);

/**
 * Installs the IAB GPP CMP API 1.1 (`window.__gpp`): `ping`, `addEventListener`,
 * `removeEventListener`, `hasSection`, `getSection`, `getField`; drains a stub's queue in order,
 * adopts its listeners, answers `__gppCall` postMessages from frames, and adds the `__gppLocator`
 * frame. Any other command gets `callback(null, false)`; nothing is evaluated, nothing throws.
 * Returns the cleanup.
 */
export function installGpp(store: ConsentStore, options: GppOptions = {}): () => void {
  const { section = 'usnat', mspa, cmpId = 0, applies = () => true, win = globalThis as unknown as Window } = options;
  const w = win as unknown as { __gpp?: Gpp };
  const id = GPP_SECTIONS[section][0];
  const saleShare = store.categories.filter((c) => c.saleShare).map((c) => c.id);
  const listeners = new Map<number, Callback>();
  let nextId = 1;

  const fields = (): GppFields[] => {
    const s = store.get();
    return buildGppSection(section, { optedOut: isSaleOptedOut(s, saleShare), gpc: s.gpc, mspa });
  };
  // The string is encoded once per change for every listener; each gets fields of its own, so one
  // listener cannot change what another reads.
  const ping = (gppString?: string) => {
    const f = fields();
    return {
      gppVersion: '1.1',
      cmpStatus: 'loaded',
      cmpDisplayStatus: store.get().needsDecision ? 'visible' : 'hidden',
      signalStatus: 'ready',
      supportedAPIs: [`${id}:${section}`],
      cmpId,
      sectionList: [id],
      applicableSections: [applies() ? id : -1],
      gppString: gppString ?? encodeGppString(section, f),
      parsedSections: { [section]: f },
    };
  };
  const event = (eventName: string, listenerId: number, data: unknown, pingData = ping()) => ({ eventName, listenerId, data, pingData });

  const gpp: Gpp = (command, callback, parameter) => {
    if (typeof callback !== 'function') return;
    const cb = callback as Callback;
    let data: unknown = null;
    const own = parameter === section;
    switch (command) {
      case 'ping':
        data = ping();
        break;
      case 'addEventListener':
        listeners.set(nextId, cb);
        return call(cb, event('listenerRegistered', nextId++, true));
      case 'removeEventListener':
        data = listeners.delete(parameter as number);
        break;
      case 'hasSection':
        data = own;
        break;
      case 'getSection':
        data = own ? fields() : null;
        break;
      case 'getField': {
        const [name, field] = typeof parameter === 'string' ? parameter.split('.') : [];
        data = name === section ? fields().find((f) => Object.prototype.hasOwnProperty.call(f, field!))?.[field!] ?? null : null;
        break;
      }
      default:
        return call(cb, null, false);
    }
    call(cb, data);
  };

  const fire = (...events: Array<[string, unknown]>): void => {
    const gppString = encodeGppString(section, fields());
    for (const [name, data] of events) for (const [listenerId, cb] of [...listeners]) call(cb, event(name, listenerId, data, ping(gppString)));
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
    if (e && typeof e.id === 'number' && typeof e.callback === 'function') {
      listeners.set(e.id, e.callback as Callback);
      nextId = Math.max(nextId, e.id + 1);
    }
  }
  w.__gpp = gpp;
  for (const args of queue) {
    try {
      gpp(...(args as unknown[]));
    } catch {
      // A malformed queued call is skipped; the rest still run in order.
    }
  }

  // Frames find the CMP through a frame named __gppLocator and talk to it with postMessage.
  const onMessage = (e: MessageEvent): void => {
    try {
      let msg: unknown = e.data;
      const asString = typeof msg === 'string';
      if (asString) msg = JSON.parse(msg as string);
      const c = (msg as { __gppCall?: { command?: unknown; parameter?: unknown; callId?: unknown } } | null)?.__gppCall;
      const source = e.source as WindowProxy | null;
      if (!c || typeof c !== 'object' || !source) return;
      const callId = c.callId;
      gpp(c.command, (returnValue: unknown, success: boolean) => {
        const reply = { __gppReturn: { returnValue, success, callId } };
        source.postMessage(asString ? JSON.stringify(reply) : reply, '*');
      }, c.parameter);
    } catch {
      // Junk over postMessage is ignored.
    }
  };
  // The IAB stub answers postMessages through window.__gpp_msghandler; ours replaces it, so frames get one reply.
  const stubHandler = (win as unknown as { __gpp_msghandler?: unknown }).__gpp_msghandler;
  if (typeof stubHandler === 'function') win.removeEventListener('message', stubHandler as EventListener);
  win.addEventListener('message', onMessage);

  // Creating an iframe costs tens of milliseconds (23–180 ms measured in headless Chromium 156),
  // so the locator frame waits for idle time instead of delaying the banner; `__gpp` itself is
  // ready now, and frames that look before then retry as the IAB stub's frames do.
  const doc = win.document;
  let frame: HTMLIFrameElement | undefined;
  const addFrame = (): void => {
    if ((win.frames as unknown as Record<string, unknown>)[LOCATOR]) return;
    frame = doc.createElement('iframe');
    frame.name = LOCATOR;
    frame.hidden = true;
    (doc.body || doc.documentElement).appendChild(frame);
  };
  const ric = (win as { requestIdleCallback?: (cb: () => void, o: { timeout: number }) => number }).requestIdleCallback;
  const idle = ric ? ric(addFrame, { timeout: 2000 }) : win.setTimeout(addFrame, 200);

  const off = store.subscribe(() => fire(['sectionChange', section], ['signalStatus', 'ready']));
  return () => {
    off();
    listeners.clear();
    win.removeEventListener('message', onMessage);
    if (ric) (win as unknown as { cancelIdleCallback(id: number): void }).cancelIdleCallback(idle);
    else win.clearTimeout(idle);
    frame?.remove();
    if (w.__gpp === gpp) delete w.__gpp;
  };
}
