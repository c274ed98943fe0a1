/**
 * The consent UI: the banner, the preferences dialog, the reopen control, held-back scripts and
 * embeds, and the built-in languages.
 *
 * @packageDocumentation
 */
// Named exports only; nothing runs at import. etc/api/consentline-ui.api.md is the reviewed surface.
export { mountConsentUi } from '../ui/mount.js';
export type { ConsentUi, ConsentUiLook, ConsentUiOptions, CookieInfo } from '../ui/mount.js';
export { activateHeldBack } from '../ui/held-back.js';
export type { EmbedProvider, HeldBackOptions } from '../ui/held-back.js';
export { en } from '../ui/i18n/en.js';
export type { Strings } from '../ui/i18n/en.js';
export { es } from '../ui/i18n/es.js';
export { fr } from '../ui/i18n/fr.js';
export { de } from '../ui/i18n/de.js';
export { pt } from '../ui/i18n/pt.js';
