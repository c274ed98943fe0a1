/**
 * The privacy-signal bridge: Global Privacy Control, Do Not Sell or Share, Google Consent Mode v2,
 * IAB GPP (`__gpp`), US Privacy (`__uspapi`), change events for tag managers and consent receipts.
 *
 * @packageDocumentation
 */
// Named exports only; nothing runs at import. etc/api/consentline-signals.api.md is the reviewed
// surface.
export { readGpc } from '../signals/gpc.js';
export { resolveRegime } from '../signals/regime.js';
export type { ResolveRegimeOptions } from '../signals/regime.js';
export { CONSENT_TYPES, createConsentModeBridge, pushConsentDefault } from '../signals/consent-mode.js';
export type {
  ConsentDefaultOptions,
  ConsentModeBridgeOptions,
  ConsentModeMap,
  ConsentModeValues,
  ConsentType,
} from '../signals/consent-mode.js';
export { announceConsent } from '../signals/events.js';
export type { AnnounceOptions, ConsentChangeData } from '../signals/events.js';
export { installGpp } from '../signals/gpp.js';
export type { GppOptions } from '../signals/gpp.js';
export type { GppSectionName, MspaOptions } from '../signals/gpp-encode.js';
export { installUspapi } from '../signals/usp.js';
export type { UspOptions } from '../signals/usp.js';
export { createReceiptSender } from '../signals/receipts.js';
export type { ConsentReceipt, ReceiptOptions } from '../signals/receipts.js';
export { bindOptOutLinks, showGpcStatus } from '../signals/opt-out.js';
export type { GpcStatusOptions, OptOutLinksOptions } from '../signals/opt-out.js';
export type { GppFields, GppSection, GppSignal } from '../signals/gpp-encode.js';
export { pickGppSection, US_STATE_SECTIONS } from '../signals/gpp-states.js';
export type { PickGppSectionOptions } from '../signals/gpp-states.js';
export { createVendorBridge } from '../signals/vendors/bridge.js';
export type {
  Vendor,
  VendorBridgeOptions,
  VendorConsent,
  VendorPhase,
  VendorSignal,
} from '../signals/vendors/bridge.js';
export { createUetBridge } from '../signals/vendors/uet.js';
export type { UetConsentType } from '../signals/vendors/uet.js';
export { createClarityBridge } from '../signals/vendors/clarity.js';
export type { ClarityConsentType } from '../signals/vendors/clarity.js';
export { createMetaPixelBridge } from '../signals/vendors/meta-pixel.js';
export type { MetaPixelConsentType } from '../signals/vendors/meta-pixel.js';
export { createTikTokPixelBridge } from '../signals/vendors/tiktok-pixel.js';
export type { TikTokPixelConsentType } from '../signals/vendors/tiktok-pixel.js';
