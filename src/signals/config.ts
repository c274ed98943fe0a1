import { CATEGORY_ID } from '../core/categories.js';
import type { Regime } from '../core/types.js';
import { bool, entries, int, list, oneOf, section, shape, str, url, type Check, type Warn } from '../core/validate.js';
import { CONSENT_TYPES, type ConsentModeValues, type ConsentType } from './consent-mode.js';
import type { GppSectionName } from './gpp-encode.js';

/** A region code: ISO 3166-1 country, optionally with a subdivision (`US`, `US-CA`). */
export const REGION = /^[A-Za-z]{2}(-[A-Za-z0-9]{1,3})?$/;

/** `false` turns a feature off, `true` turns it on with its defaults, an object configures it. */
export const offOr =
  <T>(check: Check<T>): Check<T | false> =>
  (v, path, warn) =>
    v === false ? false : check(v === true ? {} : v, path, warn);

const grantedOrDenied = oneOf('granted', 'denied');
const regionDefault = shape({
  region: list(str(10, REGION), 50),
  ...(Object.fromEntries(CONSENT_TYPES.map((t) => [t, grantedOrDenied])) as Record<
    ConsentType,
    typeof grantedOrDenied
  >),
});

const schema = shape({
  region: str(10, REGION),
  regions: entries(REGION, oneOf<Regime>('opt-in', 'opt-out'), 100),
  gpcText: str(200),
  consentMode: offOr(
    shape({
      waitForUpdate: int(0, 60_000),
      adsDataRedaction: bool,
      urlPassthrough: bool,
      map: entries(new RegExp(`^(${CONSENT_TYPES.join('|')})$`), str(32, CATEGORY_ID), 7),
      regions: list(regionDefault, 20),
    }),
  ),
  gpp: offOr(
    shape({
      // With the state sections (dist/gpp-states.js): the section for states that have none of their own.
      section: oneOf<GppSectionName>('usnat', 'usca'),
      // The script tag fetches dist/gpp-states.js with dist/gpp.js: the visitor's state section.
      states: bool,
      cmpId: int(0, 4095),
      mspa: shape({ covered: bool, optOutMode: bool, serviceProviderMode: bool }),
    }),
  ),
  usp: offOr(shape({ lspa: bool })),
  // Validated by the dist/vendors.js add-on, whose bridges it configures.
  vendors: section,
  receipts: shape({ endpoint: url }),
});

/** The `signals` section of the script-tag configuration, validated. */
export type SignalsConfig = NonNullable<ReturnType<typeof schema>>;
export type { ConsentModeValues };

/** Validates the raw `signals` section: bad values warn naming the key and fall back to the default. */
export function validateSignalsConfig(raw: unknown, warn: Warn): SignalsConfig {
  return schema(raw ?? {}, 'signals', warn) ?? {};
}
