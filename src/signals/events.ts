import { inBrowser, noop } from '../core/env.js';
import { firstSending } from '../core/once.js';
import type { ConsentStore } from '../core/store.js';
import type { ConsentState, DecisionMethod, Grants, Regime } from '../core/types.js';
import { dispatch } from '../dom/listen.js';
import { pushToDataLayer } from './consent-mode.js';

/** The `consentline` field of the `consentline_change` dataLayer event. */
export interface ConsentChangeData {
  /** Effective grants for every category. */
  grants: Grants;
  /** How the decision was made, or null when there is none (a reset). */
  method: DecisionMethod | null;
  /** Whether a GPC signal is present. */
  gpc: boolean;
  /** Whether an opt-out applies (every sale/share category denied). */
  optedOut: boolean;
  /** The regime of this visit. */
  regime: Regime;
}

/** Options of {@link announceConsent}. */
export interface AnnounceOptions {
  /** Where the `consentline:change` event is dispatched. @default document in a browser; none elsewhere */
  target?: EventTarget;
  /** The window whose `dataLayer` gets the `consentline_change` event. @default globalThis in a browser; none elsewhere */
  win?: { dataLayer?: unknown[] };
}

/**
 * Mirrors every change of `store` for tag managers and page scripts: a `consentline:change`
 * `CustomEvent` on `document` (the state as `detail`) and a
 * `{ event: 'consentline_change', consentline: { grants, method, gpc, optedOut, regime } }` push to
 * `dataLayer`, as the script tag does. Changes only, not the state at the call. Calling it again
 * for the same store (a hot reload, StrictMode) announces each change once. Returns the cleanup.
 * Outside a browser (no `target` or `win`, no document) it does nothing.
 *
 * @example
 * const stop = announceConsent(store);
 * // Tag Manager: a Custom Event trigger on `consentline_change`.
 */
export function announceConsent(store: ConsentStore, options: AnnounceOptions = {}): () => void {
  // A server's globalThis is shared by every request: nothing is written there.
  if (!inBrowser() && !options.target && !options.win) return noop;
  const { target = document, win = globalThis as { dataLayer?: unknown[] } } = options;
  return store.subscribe((state: ConsentState) => {
    const d = state.decision;
    const data: ConsentChangeData = {
      grants: { ...state.grants },
      method: d ? d.method : null,
      gpc: state.gpc,
      optedOut: state.optedOut,
      regime: state.regime,
    };
    // The event target and the window each hear a change once, from however many stores share it.
    if (firstSending('consentline:change', target, state, data)) {
      try {
        dispatch(target, new CustomEvent('consentline:change', { detail: state }));
      } catch {
        // A page that broke CustomEvent still gets the dataLayer event below.
      }
    }
    if (firstSending('consentline_change', win, state, data))
      pushToDataLayer(win, { event: 'consentline_change', consentline: data });
  });
}
