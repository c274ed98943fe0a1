import type { ConsentStore } from '../core/store.js';
import { inBrowser, noop } from '../core/env.js';
import { firstSending } from '../core/once.js';
import { standsApart } from '../core/standing.js';
import type { Grants } from '../core/types.js';
import { isQueue, pageGlobal } from './page-global.js';

/** The seven Google Consent Mode v2 types. */
export const CONSENT_TYPES = [
  'ad_storage',
  'ad_user_data',
  'ad_personalization',
  'analytics_storage',
  'functionality_storage',
  'personalization_storage',
  'security_storage',
] as const;

/** One Consent Mode type. */
export type ConsentType = (typeof CONSENT_TYPES)[number];
/** `granted` or `denied` per type. */
export type ConsentModeValues = Record<ConsentType, 'granted' | 'denied'>;
/** Consent Mode type → category id whose grant decides it. */
export type ConsentModeMap = Partial<Record<ConsentType, string>>;

// In CONSENT_TYPES order. No built-in "preferences" category: personalization_storage follows
// advertising, so GPC and an opt-out deny it too.
const DEFAULT_MAP = 'advertising advertising advertising analytics necessary advertising necessary'.split(' ');

type Win = { dataLayer?: unknown[] };
const root = (): Win => globalThis as Win;
// Outside a browser the default window is a server's globalThis, shared by every request: no
// dataLayer is written there unless a `win` is given.
const noWindow = (win: unknown): boolean => !inBrowser() && !win;

/**
 * A gtag function for `win`, true when it pushed. Google's tags read only real `arguments` objects
 * from dataLayer; arrays are silently ignored.
 */
const gtagFor = (win: Win) =>
  function (..._args: unknown[]): boolean {
    // eslint-disable-next-line prefer-rest-params
    return pushToDataLayer(win, arguments);
  };

/**
 * The page's dataLayer: created when the page has none yet, and put in place of one that is no
 * queue (an element by named access, see page-global.ts), so a refusal always lands where tags read.
 */
const dataLayerOf = (win: Win): { push(entry: unknown): unknown } | undefined =>
  pageGlobal(win, 'dataLayer', isQueue, (): unknown[] => []);

/**
 * Pushes `entry` to `win.dataLayer`, creating it when the page has none (or a clobbered one); false
 * when it cannot: a page's dataLayer whose push throws (a frozen array) must not take the SDK down.
 */
export const pushToDataLayer = (win: Win, entry: unknown): boolean => {
  try {
    const dl = dataLayerOf(win);
    dl?.push(entry);
    return !!dl;
  } catch {
    return false;
  }
};

const categoryOf = (map: ConsentModeMap, type: ConsentType): string =>
  map[type] ?? DEFAULT_MAP[CONSENT_TYPES.indexOf(type)]!;

// ad_storage, ad_user_data and ad_personalization are advertising whatever category a site maps
// them to: denied while GPC or an opt-out applies, as the vendor bridges' advertising types are.
const isAdType = (type: ConsentType): boolean => type.startsWith('ad_');

/**
 * Maps effective grants to Consent Mode values. A type mapped to an unknown category is denied, and
 * so is every advertising type (`ad_*`) while `optedOut` (GPC or a Do Not Sell opt-out applies).
 */
export function mapConsentMode(
  grants: Readonly<Grants>,
  map: ConsentModeMap = {},
  optedOut = false,
): ConsentModeValues {
  return Object.fromEntries(
    CONSENT_TYPES.map((t) => [
      t,
      grants[categoryOf(map, t)] === true && !(optedOut && isAdType(t)) ? 'granted' : 'denied',
    ]),
  ) as ConsentModeValues;
}

const isGlobalDefault = (x: unknown): boolean => {
  const a = x as ArrayLike<unknown> | null;
  return (
    Object.prototype.toString.call(a) === '[object Arguments]' &&
    a![0] === 'consent' &&
    a![1] === 'default' &&
    !(a![2] as { region?: unknown } | undefined)?.region
  );
};

/** Options of {@link pushConsentDefault}. */
export interface ConsentDefaultOptions {
  /** Grants the default reflects (before any decision). @default { necessary: true } */
  grants?: Readonly<Grants>;
  /** Type → category. @default ad_* and personalization_storage → advertising, analytics_storage → analytics, functionality/security → necessary */
  map?: ConsentModeMap | undefined;
  /** Milliseconds Google's tags wait for an `update`. @default none */
  waitForUpdate?: number;
  /** Region-specific defaults pushed before the global one, e.g. `[{ region: ['ES'], ad_storage: 'denied' }]`. @default [] */
  regions?: ReadonlyArray<{ region: readonly string[] } & Partial<ConsentModeValues>>;
  /**
   * A GPC signal is present: the advertising types, and the types that follow a `saleShare`
   * category, are denied in every default, the region ones included. @default false
   */
  gpc?: boolean;
  /** The sale/share categories (see `gpc`). @default ['advertising', 'social'] */
  saleShare?: readonly string[];
  /** `gtag('set', 'ads_data_redaction', true)`. @default false */
  adsDataRedaction?: boolean;
  /** `gtag('set', 'url_passthrough', true)`. @default false */
  urlPassthrough?: boolean;
  /** The window whose `dataLayer` receives the commands. @default globalThis in a browser; none elsewhere */
  win?: { dataLayer?: unknown[] };
}

/**
 * Pushes `gtag('consent', 'default', …)` synchronously; call it before any tag loads. Pushes no
 * default and returns false when the page's dataLayer already holds a global one (the script loaded
 * twice, or the page set its own), so a page never gets two; under `gpc` it then pushes a
 * `consent update` denying what GPC denies, since that default may grant it. Outside a browser
 * (no `win`, no document) it pushes nothing and returns false. A `dataLayer` that is no queue (an
 * element of that id or name, by named access) is replaced by an array of the window's own; false
 * when even that is impossible, or when the page's dataLayer refuses the push (a frozen array):
 * nothing throws.
 */
export function pushConsentDefault(options: ConsentDefaultOptions = {}): boolean {
  if (noWindow(options.win)) return false;
  const {
    grants = { necessary: true },
    map,
    waitForUpdate,
    regions = [],
    gpc = false,
    saleShare = ['advertising', 'social'],
    adsDataRedaction,
    urlPassthrough,
    win = root(),
  } = options;
  const dl = dataLayerOf(win);
  if (!dl) return false;
  const gtag = gtagFor(win);
  // Google's tags apply a region's default over the global one in that region, and no update
  // follows GPC alone: a region default granting what GPC denies would outrank GPC.
  const gpcDenies = (t: ConsentType): boolean => gpc && (isAdType(t) || saleShare.includes(categoryOf(map ?? {}, t)));
  if (Array.isArray(dl) && dl.some(isGlobalDefault)) {
    // The default already there stands (a page's own may grant): GPC still reaches the tags.
    const denied = CONSENT_TYPES.filter(gpcDenies).map((t) => [t, 'denied']);
    if (denied.length) gtag('consent', 'update', Object.fromEntries(denied));
    return false;
  }
  for (const r of regions) {
    const entry: Record<string, unknown> = { ...r, region: [...r.region] };
    for (const t of CONSENT_TYPES) if (entry[t] && gpcDenies(t)) entry[t] = 'denied';
    gtag('consent', 'default', entry);
  }
  const values: Record<string, unknown> = mapConsentMode(grants, map, gpc);
  if (waitForUpdate !== undefined) values['wait_for_update'] = waitForUpdate;
  if (!gtag('consent', 'default', values)) return false;
  if (adsDataRedaction) gtag('set', 'ads_data_redaction', true);
  if (urlPassthrough) gtag('set', 'url_passthrough', true);
  return true;
}

/** Options of {@link createConsentModeBridge}. */
export interface ConsentModeBridgeOptions {
  /** Type → category. @default see {@link ConsentDefaultOptions.map} */
  map?: ConsentModeMap | undefined;
  /** The window whose `dataLayer` receives the commands. @default globalThis in a browser; none elsewhere */
  win?: { dataLayer?: unknown[] };
}

/**
 * Pushes `gtag('consent', 'update', …)` now when a decision is stored (or a lapsed refusal still
 * holds), then after every change.
 * A second bridge on the same store and window (a hot module reload, React StrictMode), or on
 * another store that shares the consent cookie (the script tag's beside an app's), pushes nothing
 * twice: each decision's values are pushed to a window once. Returns the cleanup. Outside a browser
 * (no `win`, no document) it does nothing.
 */
export function createConsentModeBridge(store: ConsentStore, options: ConsentModeBridgeOptions = {}): () => void {
  if (noWindow(options.win)) return noop;
  const { map, win = root() } = options;
  const gtag = gtagFor(win);
  const update = (): void => {
    const state = store.get();
    const values = mapConsentMode(state.grants, map, state.optedOut);
    if (firstSending('consent update', win, state, values)) gtag('consent', 'update', values);
  };
  if (standsApart(store)) update();
  return store.subscribe(update);
}
