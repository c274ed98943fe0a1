/**
 * The consent store, where it keeps the decision (a first-party cookie, or memory), and the
 * server's reading of the consent cookie, so a server render matches the browser.
 *
 * @packageDocumentation
 */
// Named exports only; nothing runs at import. etc/api/consentline.api.md is the reviewed surface.
export { createConsentStore } from '../core/store.js';
export type { CategoryIdOf, ConsentStore, ConsentStoreOptions, ConsentListener } from '../core/store.js';
export { readConsentCookie } from '../core/read-cookie.js';
export type { ReadConsentCookieOptions } from '../core/read-cookie.js';
export { createMemoryStorage } from '../core/memory-storage.js';
export { createCookieStorage } from '../storage/cookie-storage.js';
export type { CookieStorageOptions } from '../storage/cookie-storage.js';
export { clearCookies } from '../storage/clear-cookies.js';
export type { ClearCookiesOptions } from '../storage/clear-cookies.js';
export type { ConsentlineGlobal } from '../core/global-api.js';
export type {
  BuiltInCategoryId,
  Category,
  CategoryInput,
  ConsentState,
  ConsentStorage,
  CopySource,
  Decision,
  DecisionMethod,
  Grants,
  Regime,
  StoredCopy,
} from '../core/types.js';
