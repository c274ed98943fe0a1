// The script tag's add-on files, beside dist/consentline.min.js. The build writes them before the
// SDK and replaces each `__INTEGRITY__<file>` with that file's sha384 (see rollup.config.ts), so
// a site that pins the SDK with SRI pins its add-ons with it.
import type { AddonFile } from './addon.js';

/** Call tracking: number insertion and its configuration (src/entries/dni-addon.ts). */
export const DNI_ADDON: AddonFile = { file: 'dni.js', integrity: '__INTEGRITY__dni.js' };
/** The session-pool client, fetched with call tracking when `dni.pool.url` is set (src/entries/dni-pool.ts). */
export const POOL_ADDON: AddonFile = { file: 'dni-pool.js', integrity: '__INTEGRITY__dni-pool.js' };
/** Consent receipts, fetched when `signals.receipts.endpoint` is set (src/entries/receipts-addon.ts). */
export const RECEIPTS_ADDON: AddonFile = { file: 'receipts.js', integrity: '__INTEGRITY__receipts.js' };
/** The US frameworks (`__gpp`, `__uspapi`), fetched on a visit they apply to (src/entries/us-addon.ts). */
export const US_ADDON: AddonFile = { file: 'us.js', integrity: '__INTEGRITY__us.js' };
