// TikTok Pixel consent: `ttq.holdConsent()`, then `ttq.grantConsent()` or `ttq.revokeConsent()`.
// TikTok's snippet keeps an existing `window.ttq` array (`w[t] = w[t] || []`) and defines its
// methods as pushes of `[method, ...args]` onto it; events.js reads that queue in order. So a call
// before the snippet is queued the same way, and a default made after the snippet (events.js not
// yet loaded, `ttq` still the array) goes to the head of the queue, before its `page`.
import type { ConsentStore } from '../../core/store.js';
import { pageGlobal } from '../page-global.js';
import { createVendorBridge, type Vendor, type VendorBridgeOptions } from './bridge.js';

/** TikTok's pixel has one switch; `consent` names it in the map. */
export type TikTokPixelConsentType = 'consent';

type Ttq = { [method: string]: unknown };

/** The snippet's queue (an array), or events.js's object once it loaded. */
const isTtq = (v: unknown): boolean =>
  Array.isArray(v) || typeof (v as Ttq | null | undefined)?.revokeConsent === 'function';

/** TikTok Pixel: hold before a decision in opt-in, then grant or revoke. */
export const TIKTOK_PIXEL: Vendor<TikTokPixelConsentType> = {
  name: 'tiktok',
  map: { consent: 'advertising' },
  ads: ['consent'],
  send(win, signal, phase) {
    const granted = signal.values.consent === 'granted';
    const method = granted ? 'grantConsent' : phase === 'default' && signal.pending ? 'holdConsent' : 'revokeConsent';
    // An element of that name by named access is no queue: ours takes its place.
    const ttq = pageGlobal<Ttq | unknown[]>(win, 'ttq', isTtq, () => []);
    if (!ttq) return;
    const queued = Array.isArray(ttq) ? ttq.length : -1;
    if (typeof (ttq as Ttq)[method] === 'function') ((ttq as Ttq)[method] as () => void)();
    else if (Array.isArray(ttq)) ttq.push([method]);
    // Only queued (events.js has not read the queue yet): the default goes to the head of the
    // queue, before the snippet's own `page`.
    if (phase === 'default' && Array.isArray(ttq) && ttq.length === queued + 1) ttq.unshift(ttq.pop());
  },
};

/**
 * TikTok Pixel consent: `holdConsent` before a decision in opt-in (`grantConsent` or
 * `revokeConsent` at once where the regime decides), then `grantConsent` or `revokeConsent` on
 * load with a stored decision and after every change, from `advertising` by default; revoked
 * while an opt-out or GPC applies. Returns the cleanup; outside a browser it does nothing.
 *
 * @example
 * const stop = createTikTokPixelBridge(store);
 */
export function createTikTokPixelBridge(
  store: ConsentStore,
  options: VendorBridgeOptions<TikTokPixelConsentType> = {},
): () => void {
  return createVendorBridge(store, TIKTOK_PIXEL, options);
}
