// Microsoft UET consent mode (https://help.ads.microsoft.com/apex/index/3/en/60119): UET's queue is
// `window.uetq`, an array until bat.js loads (its snippet keeps an existing one and hands it to
// the tag, which reads it in order), then UET's object, whose `push` takes the same arguments.
import type { ConsentStore } from '../../core/store.js';
import { isQueue, pageGlobal } from '../page-global.js';
import { createVendorBridge, type Vendor, type VendorBridgeOptions } from './bridge.js';

/** UET's consent type. */
export type UetConsentType = 'ad_storage';

type Queue = { push(...args: unknown[]): unknown };

/** Microsoft UET: `uetq.push('consent', 'default' | 'update', { ad_storage })`. */
export const UET: Vendor<UetConsentType> = {
  name: 'uet',
  map: { ad_storage: 'advertising' },
  ads: ['ad_storage'],
  send(win, signal, phase) {
    // An element of that name by named access is no queue: ours takes its place.
    pageGlobal<Queue>(win, 'uetq', isQueue, () => [])?.push('consent', phase, { ...signal.values });
  },
};

/**
 * Microsoft UET consent mode: `ad_storage` (from `advertising` by default) as a
 * `consent default` at once, then a `consent update` on load with a stored decision and after
 * every change; denied while an opt-out or GPC applies. Create it before UET's tag runs (the
 * script tag does). Returns the cleanup; outside a browser it does nothing.
 *
 * @example
 * const stop = createUetBridge(store);
 */
export function createUetBridge(store: ConsentStore, options: VendorBridgeOptions<UetConsentType> = {}): () => void {
  return createVendorBridge(store, UET, options);
}
