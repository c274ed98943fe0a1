// Microsoft Clarity consent API v2 (https://learn.microsoft.com/en-us/clarity/setup-and-installation/clarity-consent-api-v2):
// `clarity('consentv2', { ad_Storage, analytics_Storage })`. Clarity's snippet defines `clarity`
// as a function queueing its arguments in `clarity.q` unless one exists, so a call made before
// the snippet runs is queued the same way and read when the tag loads.
import type { ConsentStore } from '../../core/store.js';
import { pageGlobal } from '../page-global.js';
import { createVendorBridge, type Vendor, type VendorBridgeOptions } from './bridge.js';

/** Clarity's consent types (spelled as Clarity spells them). */
export type ClarityConsentType = 'ad_Storage' | 'analytics_Storage';

type Clarity = ((...args: unknown[]) => void) & { q?: unknown[] };

/** The queueing function Clarity's snippet installs. */
const queueFor = (): Clarity => {
  const clarity: Clarity = function () {
    // eslint-disable-next-line prefer-rest-params
    (clarity.q = clarity.q || []).push(arguments);
  };
  return clarity;
};

/** Microsoft Clarity: `clarity('consentv2', { ad_Storage, analytics_Storage })`, default and updates alike. */
export const CLARITY: Vendor<ClarityConsentType> = {
  name: 'clarity',
  map: { ad_Storage: 'advertising', analytics_Storage: 'analytics' },
  ads: ['ad_Storage'],
  send(win, signal) {
    // An element of that name by named access is no function: our queue takes its place.
    const clarity = pageGlobal(win, 'clarity', (v) => typeof v === 'function', queueFor);
    clarity?.('consentv2', { ...signal.values });
  },
};

/**
 * Microsoft Clarity consent v2: `ad_Storage` (from `advertising`) and `analytics_Storage` (from
 * `analytics`) at once, on load with a stored decision and after every change; `ad_Storage`
 * denied while an opt-out or GPC applies. Returns the cleanup; outside a browser it does nothing.
 *
 * @example
 * const stop = createClarityBridge(store);
 */
export function createClarityBridge(
  store: ConsentStore,
  options: VendorBridgeOptions<ClarityConsentType> = {},
): () => void {
  return createVendorBridge(store, CLARITY, options);
}
