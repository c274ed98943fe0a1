// The `signals.vendors` section of the script-tag configuration: which vendor bridges run and how
// their consent types map to categories. Lives with the bridges (the dist/vendors.js add-on), so a
// site without vendor bridges downloads neither.
import { CATEGORY_ID } from '../../core/categories.js';
import { noop } from '../../core/env.js';
import type { ConsentStore } from '../../core/store.js';
import { entries, shape, str, type Check, type Warn } from '../../core/validate.js';
import { offOr } from '../config.js';
import { createVendorBridge, type Vendor } from './bridge.js';
import { CLARITY } from './clarity.js';
import { META_PIXEL } from './meta-pixel.js';
import { TIKTOK_PIXEL } from './tiktok-pixel.js';
import { UET } from './uet.js';

/** The vendors by their configuration key. */
export const VENDORS: Record<string, Vendor<string>> = {
  uet: UET,
  clarity: CLARITY,
  metaPixel: META_PIXEL,
  tiktokPixel: TIKTOK_PIXEL,
};

const bridgeSchema = (vendor: Vendor<string>) =>
  offOr(shape({ map: entries(new RegExp(`^(${Object.keys(vendor.map).join('|')})$`), str(32, CATEGORY_ID), 5) }));

const schema = shape(
  Object.fromEntries(Object.entries(VENDORS).map(([key, vendor]) => [key, bridgeSchema(vendor)])) as Record<
    string,
    ReturnType<typeof bridgeSchema>
  >,
);

/** `signals.vendors`, validated: per vendor key, false (off, the default) or its options. */
export type VendorsConfig = Record<string, false | { map?: Array<[string, string]> }>;

/** Validates the raw `signals.vendors` section: bad values warn naming the key and are left off. */
export function validateVendorsConfig(raw: unknown, warn: Warn): VendorsConfig {
  return ((schema as Check<VendorsConfig>)(raw ?? {}, 'signals.vendors', warn) ?? {}) as VendorsConfig;
}

/**
 * Starts a bridge for every vendor `signals.vendors` turns on (`true` or an object with a `map`),
 * each sending its default now. Returns the cleanup of all of them.
 */
export function startVendorBridges(store: ConsentStore, raw: unknown, warn: Warn): () => void {
  const config = validateVendorsConfig(raw, warn);
  const offs = Object.entries(config).map(([key, options]) =>
    options ? createVendorBridge(store, VENDORS[key]!, { map: options.map && Object.fromEntries(options.map) }) : noop,
  );
  return () => offs.forEach((off) => off());
}
