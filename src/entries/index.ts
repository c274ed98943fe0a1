export { createConsentStore } from '../core/store.js';
export type { CategoryIdOf, ConsentStore, ConsentStoreOptions, ConsentListener } from '../core/store.js';
export { readConsentCookie } from '../core/read-cookie.js';
export type { ReadConsentCookieOptions } from '../core/read-cookie.js';
export { resolveCategories, BUILT_IN_CATEGORIES } from '../core/categories.js';
export { createMemoryStorage } from '../core/memory-storage.js';
export { createCookieStorage } from '../storage/cookie-storage.js';
export type { CookieStorageOptions } from '../storage/cookie-storage.js';
export { clearCookies } from '../storage/clear-cookies.js';
export type { ClearCookiesOptions } from '../storage/clear-cookies.js';
export { validateConfig } from '../core/config.js';
export type { ScriptConfig } from '../core/config.js';
export { VERSION } from '../core/version.js';
export type { ConsentlineGlobal } from '../core/global-api.js';
export type {
  BuiltInCategoryId,
  Category,
  CategoryInput,
  ConsentState,
  ConsentStorage,
  Decision,
  DecisionMethod,
  Grants,
  Regime,
} from '../core/types.js';
