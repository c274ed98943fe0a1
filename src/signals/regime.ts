import type { Regime } from '../core/types.js';

/** Options of {@link resolveRegime}. */
export interface ResolveRegimeOptions {
  /** Region code → regime, e.g. `{ "US-CA": "opt-out", "US": "opt-out" }`. @default {} */
  regions?: Readonly<Record<string, Regime>>;
}

/**
 * Picks the regime of this visit from the site's region hint (`US-CA`, `US`, `FR`…; the SDK never
 * geolocates). The exact code wins, then its country part; an unknown or missing hint is opt-in.
 */
export function resolveRegime(hint: string | undefined, options: ResolveRegimeOptions = {}): Regime {
  const { regions = {} } = options;
  const map = new Map(Object.entries(regions).map(([k, v]) => [k.toUpperCase(), v]));
  const code = (hint || '').toUpperCase();
  return map.get(code) ?? map.get(code.split('-')[0]!) ?? 'opt-in';
}
