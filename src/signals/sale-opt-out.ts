import type { ConsentState } from '../core/types.js';

/** True when any sale/share category is not granted: GPP and US Privacy say "opted out" whenever selling is not allowed. */
export const isSaleOptedOut = (state: ConsentState, saleShare: readonly string[]): boolean =>
  state.optedOut || saleShare.some((id) => !state.grants[id]);
