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
/** The GPP CMP API (`__gpp`), fetched on a visit US rules apply to (src/entries/gpp-addon.ts). */
export const GPP_ADDON: AddonFile = { file: 'gpp.js', integrity: '__INTEGRITY__gpp.js' };
/** The GPP state sections, fetched with dist/gpp.js when `signals.gpp.states` is set (src/entries/gpp-states.ts). */
export const STATES_ADDON: AddonFile = { file: 'gpp-states.js', integrity: '__INTEGRITY__gpp-states.js' };
