import { grantsFor } from './grants.js';
import type { ConsentStore } from './store.js';

/**
 * Whether the store's grants stand apart from the default a bridge pushed before any decision was
 * read (the regime and GPC alone): a stored decision, or a lapsed refusal that still holds. A
 * bridge sends an update on load exactly then, so a refusal kept past its record's end reaches
 * the vendor too.
 */
export function standsApart(store: ConsentStore): boolean {
  const state = store.get();
  if (state.decision) return true;
  const byDefault: Record<string, boolean> = grantsFor(store.categories, state.regime, state.gpc);
  const grants: Record<string, boolean> = state.grants;
  return Object.keys(grants).some((id) => grants[id] !== byDefault[id]);
}
