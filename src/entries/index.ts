export { createConsentStore } from '../core/store';
export type { ConsentStore, ConsentStoreOptions, ConsentListener } from '../core/store';
export { readConsentCookie } from '../core/read-cookie';
export type { ReadConsentCookieOptions } from '../core/read-cookie';
export { resolveCategories, BUILT_IN_CATEGORIES } from '../core/categories';
export { createMemoryStorage } from '../core/memory-storage';
export { createCookieStorage } from '../storage/cookie-storage';
export type { CookieStorageOptions } from '../storage/cookie-storage';
export { validateConfig } from '../core/config';
export type { ScriptConfig } from '../core/config';
export { VERSION } from '../core/version';
export type {
  Category,
  CategoryInput,
  ConsentState,
  ConsentStorage,
  Decision,
  DecisionMethod,
  Grants,
  Regime,
} from '../core/types';
