// Meta Pixel consent (https://developers.facebook.com/docs/meta-pixel/implementation/gdpr):
// `fbq('consent', 'revoke' | 'grant')`, and the revoke must come before the first `init`. The
// pixel's snippet returns at once when `fbq` exists, so unlike the other vendors its queue cannot
// be created ahead of it: a bridge made before the snippet waits for it and puts its call first
// in the queue the snippet creates; one made after a snippet whose fbevents.js has not loaded
// yet puts its default at the head of that queue, before the queued `init`.
import type { ConsentStore } from '../../core/store.js';
import { ownGlobal } from '../page-global.js';
import { createVendorBridge, type Vendor, type VendorBridgeOptions, type VendorSignal } from './bridge.js';

/** Meta's pixel has one switch; `consent` names it in the map. */
export type MetaPixelConsentType = 'consent';

type Fbq = ((...args: unknown[]) => void) & { callMethod?: unknown; queue?: unknown };

/** A real `arguments` object, as the pixel's snippet queues them. */
function argumentsOf(..._args: unknown[]): IArguments {
  // eslint-disable-next-line prefer-rest-params
  return arguments;
}

const verb = (signal: VendorSignal<MetaPixelConsentType>): string =>
  signal.values.consent === 'granted' ? 'grant' : 'revoke';

/** Adds the consent call to a pixel function: at the head of its queue while fbevents.js has not loaded and this is the default, else as a call. */
function tell(fbq: Fbq, signal: VendorSignal<MetaPixelConsentType>, first: boolean): void {
  if (first && !fbq.callMethod && Array.isArray(fbq.queue)) fbq.queue.unshift(argumentsOf('consent', verb(signal)));
  else fbq('consent', verb(signal));
}

/** Meta Pixel: `fbq('consent', 'revoke' | 'grant')`, ahead of `init` whatever the load order. */
export const META_PIXEL: Vendor<MetaPixelConsentType> = {
  name: 'meta',
  map: { consent: 'advertising' },
  ads: ['consent'],
  send(win, signal, phase) {
    // Only a pixel the page set: an element of that name by named access is none.
    const fbq = ownGlobal(win, 'fbq');
    if (typeof fbq === 'function') tell(fbq as Fbq, signal, phase === 'default');
  },
  await(win, current) {
    const w = win as { fbq?: unknown };
    // An element of that name (named access) is not the pixel: the accessor below shadows it, so
    // the snippet, which returns early when `fbq` exists, loads the pixel after our call.
    if (ownGlobal(w, 'fbq') !== undefined) return () => false;
    let arrived = false;
    const settle = (target: object, key: string, value: unknown): void => {
      Object.defineProperty(target, key, { value, writable: true, configurable: true, enumerable: true });
    };
    Object.defineProperty(w, 'fbq', {
      configurable: true,
      enumerable: true,
      get: () => undefined,
      set(fbq: unknown) {
        arrived = true;
        settle(w, 'fbq', fbq);
        if (typeof fbq !== 'function') return;
        const pixel = fbq as Fbq;
        // This runs inside the page's own script: nothing may escape into it.
        try {
          if (pixel.callMethod || Array.isArray(pixel.queue)) return tell(pixel, current(), true);
          // The snippet sets `queue` right after `fbq` and queues `init` into it: our call goes first.
          Object.defineProperty(pixel, 'queue', {
            configurable: true,
            enumerable: true,
            get: () => undefined,
            set(queue: unknown) {
              settle(pixel, 'queue', queue);
              if (Array.isArray(queue)) queue.push(argumentsOf('consent', verb(current())));
            },
          });
        } catch {
          // A frozen or hostile function is not the pixel's snippet: nothing to wait for.
        }
      },
    });
    return () => {
      if (arrived) return false;
      delete w.fbq;
      return true;
    };
  },
};

/**
 * Meta Pixel consent: `revoke` unless `advertising` (by default) is granted, then `grant` or
 * `revoke` on load with a stored decision and after every change; revoked while an opt-out or GPC
 * applies. Made before the pixel's snippet, it waits for it and goes first in its queue (the
 * snippet itself is not changed); made after, its default goes ahead of the queued `init`.
 * Returns the cleanup; outside a browser it does nothing.
 *
 * @example
 * const stop = createMetaPixelBridge(store);
 */
export function createMetaPixelBridge(
  store: ConsentStore,
  options: VendorBridgeOptions<MetaPixelConsentType> = {},
): () => void {
  return createVendorBridge(store, META_PIXEL, options);
}
