// What every vendor bridge shares: a default in the vendor's queue before its tag can act, an
// update on load with a stored decision and after every change, each sent once per window, whichever
// build on the page sends it.
import { inBrowser, noop } from '../../core/env.js';
import { firstOf, firstSending, forgetSent } from '../../core/once.js';
import { grantsFor } from '../../core/grants.js';
import type { ConsentStore } from '../../core/store.js';
import { standsApart } from '../../core/standing.js';
import type { Grants } from '../../core/types.js';

/** A vendor's value for one of its consent types. */
export type VendorConsent = 'granted' | 'denied';

/** What a vendor is told at one moment. */
export interface VendorSignal<Type extends string> {
  /** Granted or denied, per consent type of the vendor. */
  values: Record<Type, VendorConsent>;
  /** No decision yet and the visitor will be asked (opt-in): a vendor that can hold, holds. */
  pending: boolean;
}

/** When a signal is sent: the default before any decision is read, or an update. */
export type VendorPhase = 'default' | 'update';

/** A vendor's consent API, as its published snippet defines it. */
export interface Vendor<Type extends string> {
  /**
   * The vendor's name, one per vendor: every build on the page (the script tag and an npm bundle)
   * records what it sent the vendor under it, so the vendor hears its default and each update once.
   * @default none: each copy of the bridge module keeps its own record
   */
  readonly name?: string;
  /** Consent type → the category that decides it. */
  readonly map: Readonly<Record<Type, string>>;
  /** Advertising types: denied while an opt-out or GPC applies, whatever category they map to. */
  readonly ads: readonly Type[];
  /** Sends `signal` through the vendor's queue on `win`. */
  send(win: object, signal: VendorSignal<Type>, phase: VendorPhase): void;
  /**
   * For a vendor whose snippet cannot be queued to before it runs (Meta's returns early when
   * `fbq` exists): waits for the snippet and hands it `current()` first; returns a cleanup that
   * says whether it stopped waiting (false once the snippet came).
   */
  await?(win: object, current: () => VendorSignal<Type>): () => boolean;
}

/** Options of every vendor bridge (`createUetBridge`, `createClarityBridge`, …). */
export interface VendorBridgeOptions<Type extends string> {
  /** Vendor consent type → category id. @default the vendor's (see each bridge) */
  map?: Partial<Record<Type, string>> | undefined;
  /** The window whose vendor queue receives the commands. @default globalThis in a browser; none elsewhere */
  win?: object;
}

// Per vendor, the kinds its default and updates are recorded under on the window (see firstOf): by
// its name, which every build on the page shares, else symbols of its own; never by its consent
// types, which two vendors may share (Meta's and TikTok's `consent`).
const kinds = new WeakMap<object, Record<VendorPhase, string | symbol>>();
const kindsOf = (vendor: Vendor<string>): Record<VendorPhase, string | symbol> => {
  const name = vendor.name;
  const made = kinds.get(vendor) ?? {
    default: name ? `vendor ${name} default` : Symbol('vendor default'),
    update: name ? `vendor ${name}` : Symbol('vendor update'),
  };
  kinds.set(vendor, made);
  return made;
};

/** Runs `fn`; a page whose vendor globals are junk (or page elements, by named access) makes it throw, and that must not reach the page or stop the other bridges. */
function guarded<T>(fn: () => T, otherwise: T): T {
  try {
    return fn();
  } catch {
    return otherwise;
  }
}

/** The vendor's values for `grants`; advertising types are denied while `optedOut`. */
function signalFor<Type extends string>(
  vendor: Vendor<Type>,
  map: Record<Type, string>,
  grants: Readonly<Grants>,
  optedOut: boolean,
  pending: boolean,
): VendorSignal<Type> {
  const values = {} as Record<Type, VendorConsent>;
  for (const type of Object.keys(map) as Type[]) {
    values[type] = grants[map[type]] === true && !(optedOut && vendor.ads.includes(type)) ? 'granted' : 'denied';
  }
  return { values, pending };
}

/**
 * Bridges `store` to `vendor`: the default now (the grants before any decision: the regime and
 * GPC), an update now when a decision is stored, then one after every change. A second bridge to
 * the same vendor on the window (a hot reload, StrictMode, or another build on the page when the
 * vendor has a `name`) sends nothing twice. Returns the cleanup. Outside a browser (no `win`, no
 * document) it does nothing.
 */
export function createVendorBridge<Type extends string>(
  store: ConsentStore,
  vendor: Vendor<Type>,
  options: VendorBridgeOptions<Type> = {},
): () => void {
  if (!inBrowser() && !options.win) return noop;
  const { win = globalThis } = options;
  const map = { ...vendor.map } as Record<Type, string>;
  for (const [type, category] of Object.entries(options.map ?? {}) as Array<[Type, string | undefined]>)
    if (category && type in map) map[type] = category;
  const kind = kindsOf(vendor);
  const current = (): VendorSignal<Type> => {
    const s = store.get();
    return signalFor(vendor, map, s.grants, s.optedOut, s.needsDecision);
  };

  let stopWaiting = (): boolean => false;
  // Once per window, whichever bridge or build comes first (a hot reload, StrictMode, two builds).
  if (firstOf(kind.default, win, 'sent')) {
    const s = store.get();
    const signal = signalFor(vendor, map, grantsFor(store.categories, s.regime, s.gpc), s.gpc, s.regime === 'opt-in');
    guarded(() => vendor.send(win, signal, 'default'), undefined);
    if (vendor.await) stopWaiting = guarded(() => vendor.await!(win, current), stopWaiting);
  }
  const update = (): void => {
    const signal = current();
    if (firstSending(kind.update, win, store.get(), signal))
      guarded(() => vendor.send(win, signal, 'update'), undefined);
  };
  if (standsApart(store)) update();
  const off = store.subscribe(update);
  return () => {
    off();
    // Still waiting for the vendor's snippet: the next bridge on this window waits instead.
    if (guarded(stopWaiting, false)) forgetSent(kind.default, win);
  };
}
