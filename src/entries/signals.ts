// `consentline/signals`: the privacy-signal bridge. Named exports only; nothing runs at import.
export { readGpc } from '../signals/gpc.js';
export { resolveRegime } from '../signals/regime.js';
export type { ResolveRegimeOptions } from '../signals/regime.js';
export { CONSENT_TYPES, createConsentModeBridge, mapConsentMode, pushConsentDefault } from '../signals/consent-mode.js';
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
export { buildGppSection, encodeGppString, GPP_SECTIONS } from '../signals/gpp-encode.js';
export type { GppFields, GppSectionName, GppSignal, MspaOptions } from '../signals/gpp-encode.js';
export { formatUspString, installUspapi } from '../signals/usp.js';
export type { UspOptions } from '../signals/usp.js';
export { createReceiptSender } from '../signals/receipts.js';
export type { ConsentReceipt, ReceiptOptions } from '../signals/receipts.js';
export { bindOptOutLinks, showGpcStatus } from '../signals/opt-out.js';
export type { GpcStatusOptions, OptOutLinksOptions } from '../signals/opt-out.js';
export { validateSignalsConfig } from '../signals/config.js';
export type { SignalsConfig } from '../signals/config.js';
export type { GppSection } from '../signals/gpp-encode.js';
export { pickGppSection, US_STATE_SECTIONS } from '../signals/gpp-states.js';
export type { PickGppSectionOptions } from '../signals/gpp-states.js';
export { createVendorBridge } from '../signals/vendors/bridge.js';
export type { Vendor, VendorBridgeOptions, VendorConsent, VendorPhase, VendorSignal } from '../signals/vendors/bridge.js';
export { createUetBridge } from '../signals/vendors/uet.js';
export type { UetConsentType } from '../signals/vendors/uet.js';
export { createClarityBridge } from '../signals/vendors/clarity.js';
export type { ClarityConsentType } from '../signals/vendors/clarity.js';
export { createMetaPixelBridge } from '../signals/vendors/meta-pixel.js';
export type { MetaPixelConsentType } from '../signals/vendors/meta-pixel.js';
export { createTikTokPixelBridge } from '../signals/vendors/tiktok-pixel.js';
export type { TikTokPixelConsentType } from '../signals/vendors/tiktok-pixel.js';
