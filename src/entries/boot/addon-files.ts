// The script tag's add-on files, beside dist/consentline.min.js. The build writes them before the
// SDK and replaces each integrity placeholder below with that file's sha256 (see
// rollup.config.ts), so a site that pins the SDK with SRI pins its add-ons with it.

/** An add-on file: its name beside the SDK's file, and its integrity (baked in at build time). */
export interface AddonFile {
  file: string;
  /** `sha256-…` of the file as built. */
  integrity: string;
}

/** The GPP CMP API and US Privacy's frame path, fetched on a visit US rules apply to (src/entries/gpp-addon.ts). */
const GPP: AddonFile = { file: 'gpp.js', integrity: '__INTEGRITY__gpp.js' };

/** Each add-on by the name its file provides it under (see addon.ts). */
export const ADDONS = {
  /** Call tracking: number insertion and its configuration (src/entries/dni-addon.ts). */
  dni: { file: 'dni.js', integrity: '__INTEGRITY__dni.js' },
  /** The session-pool client, fetched with call tracking when `dni.pool.url` is set (src/entries/dni-pool.ts). */
  'dni-pool': { file: 'dni-pool.js', integrity: '__INTEGRITY__dni-pool.js' },
  /** Consent receipts, fetched when `signals.receipts.endpoint` is set (src/entries/receipts-addon.ts). */
  receipts: { file: 'receipts.js', integrity: '__INTEGRITY__receipts.js' },
  gpp: GPP,
  // One file for both: a visit that needs US Privacy's frames fetches dist/gpp.js anyway unless
  // GPP is turned off, and the frame code is shared.
  usp: GPP,
  /** Placeholders of held-back embeds, fetched when the page has an embed (src/entries/embeds-addon.ts). */
  embeds: { file: 'embeds.js', integrity: '__INTEGRITY__embeds.js' },
  /** The GPP state sections, fetched with dist/gpp.js when `signals.gpp.states` is set (src/entries/gpp-states.ts). */
  'gpp-states': { file: 'gpp-states.js', integrity: '__INTEGRITY__gpp-states.js' },
} satisfies Record<string, AddonFile>;

/** The name an add-on provides itself under. */
export type AddonName = keyof typeof ADDONS;
