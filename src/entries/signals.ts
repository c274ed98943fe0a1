// `consentline/signals`: the privacy-signal bridge. Named exports only; nothing runs at import.
export { readGpc } from '../signals/gpc';
export { resolveRegime } from '../signals/regime';
export type { ResolveRegimeOptions } from '../signals/regime';
export { CONSENT_TYPES, createConsentModeBridge, mapConsentMode, pushConsentDefault } from '../signals/consent-mode';
export type {
  ConsentDefaultOptions,
  ConsentModeBridgeOptions,
  ConsentModeMap,
  ConsentModeValues,
  ConsentType,
} from '../signals/consent-mode';
export { announceConsent } from '../signals/events';
export type { AnnounceOptions, ConsentChangeData } from '../signals/events';
export { installGpp } from '../signals/gpp';
export type { GppOptions } from '../signals/gpp';
export { buildGppSection, encodeGppString, GPP_SECTIONS } from '../signals/gpp-encode';
export type { GppFields, GppSectionName, GppSignal, MspaOptions } from '../signals/gpp-encode';
export { formatUspString, installUspapi } from '../signals/usp';
export type { UspOptions } from '../signals/usp';
export { createReceiptSender } from '../signals/receipts';
export type { ConsentReceipt, ReceiptOptions } from '../signals/receipts';
export { bindOptOutLinks, showGpcStatus } from '../signals/opt-out';
export type { GpcStatusOptions, OptOutLinksOptions } from '../signals/opt-out';
export { validateSignalsConfig } from '../signals/config';
export type { SignalsConfig } from '../signals/config';
