import { CATEGORY_ID, isCategoryId } from './categories.js';
import { consentCookieNames, covers } from './cookie-jar.js';
import type { CategoryInput, Regime } from './types.js';
import { bool, entries, int, list, oneOf, section, shape, str, url, type Warn } from './validate.js';

const COOKIE_NAME = /^[A-Za-z0-9_-]{1,64}$/;
// A host name (optionally with a leading dot); the cookie adapter still verifies the browser accepts it.
const DOMAIN = /^\.?([a-z0-9-]{1,63}\.)*[a-z0-9-]{1,63}$/i;

const categorySchema = shape({
  label: str(100),
  description: str(1000),
  cookies: list(str(100, /^[^\s;,=]+$/), 50),
  saleShare: bool,
});

const configSchema = shape({
  regime: oneOf<Regime>('opt-in', 'opt-out'),
  revision: int(0, 999_999_999),
  consentDays: int(1, 395),
  refusalDays: int(1, 395),
  cookieName: str(64, COOKIE_NAME),
  cookieDomain: str(253, DOMAIN),
  privacyPolicyUrl: url,
  categories: entries(CATEGORY_ID, categorySchema, 20),
  debug: bool,
  ui: section,
  signals: section,
  dni: section,
});

/** Script-tag configuration after validation: every field optional, every value safe. */
export interface ScriptConfig {
  regime?: Regime;
  revision?: number;
  consentDays?: number;
  refusalDays?: number;
  cookieName?: string;
  cookieDomain?: string;
  privacyPolicyUrl?: string;
  categories?: CategoryInput[];
  debug?: boolean;
  /** Raw section for the UI; validated by the UI part. */
  ui?: Record<string, unknown>;
  /** Raw section for the signal bridge; validated there. */
  signals?: Record<string, unknown>;
  /** Raw section for DNI; validated there. */
  dni?: Record<string, unknown>;
}

/**
 * Validates untrusted configuration. Unknown keys and bad values warn naming the key and fall back
 * to the safe default (opt-in, nothing granted). Never throws; never copies an inherited key.
 */
export function validateConfig(raw: unknown, warn: Warn): ScriptConfig {
  const config: ScriptConfig = configSchema(raw ?? {}, '', warn) ?? Object.create(null);
  const categories = config.categories as unknown as Array<[string, Omit<CategoryInput, 'id'>]> | undefined;
  if (categories) {
    config.categories = categories
      .filter(([id]) => isCategoryId(id) && id !== 'necessary')
      .map(([id, c]) => Object.assign(Object.create(null), c, { id }));
  }
  // Withdrawal clears a category's cookies but never the consent cookie, under any of the names
  // the cookie storage gives it: a pattern that covers it does not do what it says.
  const name = config.cookieName ?? 'consentline';
  for (const category of config.categories ?? []) {
    for (const pattern of category.cookies ?? []) {
      const covered = consentCookieNames(name).find((n) => covers(pattern, n));
      if (covered)
        warn(
          `categories.${category.id}.cookies: "${pattern}" covers the consent cookie "${covered}", which is never cleared`,
        );
    }
  }
  return config;
}
