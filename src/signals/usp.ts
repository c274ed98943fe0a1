import { inBrowser, noop } from '../core/env.js';
import type { ConsentStore } from '../core/store.js';
import { call } from './callback.js';
import { isSaleOptedOut } from './sale-opt-out.js';
import { answerUspFrames } from './usp-frames.js';

/** Options of {@link installUspapi}. */
export interface UspOptions {
  /** The site is a signatory of the IAB Limited Service Provider Agreement (4th character). @default false */
  lspa?: boolean;
  /** Whether CCPA applies on this visit; `1---` when not. @default () => true */
  applies?: () => boolean;
  /** The window to install `__uspapi` on. @default globalThis in a browser; none elsewhere */
  win?: Window;
}

/** `__uspapi(command, version, callback)`, as the USP API 1.0 specifies it. */
export type Uspapi = (command: unknown, version: unknown, callback: unknown) => void;

/**
 * The US Privacy string, in agreement with GPP: `1YYN` opted out, `1YNN` not, `1---` not applicable
 * (`1YYY` / `1YNY` with `lspa`). "Opted out" means any sale/share category is not granted.
 */
export function formatUspString(
  store: ConsentStore,
  { lspa = false, applies = () => true }: Omit<UspOptions, 'win'> = {},
): string {
  const saleShare = store.categories.filter((c) => c.saleShare).map((c) => c.id);
  // A site's hint that throws must not throw into the tag asking: CCPA then applies, as for GPP.
  let ccpa = true;
  try {
    ccpa = applies();
  } catch {
    // Left applying: the string then carries the visitor's opt-out.
  }
  return ccpa ? `1Y${isSaleOptedOut(store.get(), saleShare) ? 'Y' : 'N'}${lspa ? 'Y' : 'N'}` : '1---';
}

/**
 * Puts `__uspapi` on `win`, answering from `store` at once: `getUSPData` version 1 calls
 * `cb({ version: 1, uspString }, true)`; anything else gets `cb(null, false)`. Frames are not
 * answered (see usp-frames.ts). Returns the function and the cleanup that removes it.
 */
export function putUspapi(
  win: Window,
  store: ConsentStore,
  options: Omit<UspOptions, 'win'>,
): { api: Uspapi; remove: () => void } {
  const w = win as unknown as { __uspapi?: unknown };
  const api: Uspapi = (command, version, callback) => {
    if (typeof callback !== 'function') return;
    // Only a number or a string is converted: a Symbol, or an object whose valueOf throws, would
    // throw into the caller.
    const ok =
      command === 'getUSPData' && (typeof version === 'number' || typeof version === 'string') && Number(version) === 1;
    call(
      callback as (data: unknown, ok: boolean) => void,
      ok ? { version: 1, uspString: formatUspString(store, options) } : null,
      ok,
    );
  };
  w.__uspapi = api;
  return {
    api,
    remove: () => {
      if (w.__uspapi === api) delete w.__uspapi;
    },
  };
}

/**
 * Installs the (IAB-deprecated, still read by Google) US Privacy API:
 * `__uspapi('getUSPData', 1, cb)` calls `cb({ version: 1, uspString }, true)`; anything else gets
 * `cb(null, false)`. Frames ask it with `__uspapiCall` postMessages and find it by the
 * `__uspapiLocator` frame, added in idle time on a visit CCPA applies to. Returns the cleanup.
 * Outside a browser (no `win`, no document) it installs nothing.
 */
export function installUspapi(store: ConsentStore, options: UspOptions = {}): () => void {
  // A server's globalThis is shared by every request: no __uspapi there unless a `win` is given.
  if (!inBrowser() && !options.win) return noop;
  const { win = globalThis as unknown as Window, ...rest } = options;
  const { api, remove } = putUspapi(win, store, rest);
  const stopFrames = answerUspFrames(win, api, () => rest.applies?.() ?? true);
  return () => {
    stopFrames();
    remove();
  };
}
