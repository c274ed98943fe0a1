import type { ConsentState } from './types.js';

/**
 * Whether a one-click grant (an embed placeholder, a gate's allow button) must leave sale/share
 * categories alone: under GPC, in the opt-out regime, or after a Do Not Sell (a decision made by
 * the opt-out link or API). A plain "Reject all" in opt-in does not lock: a click on an embed is
 * then a new, explicit consent for it.
 */
export const saleShareLocked = (state: ConsentState): boolean =>
  state.gpc || state.regime === 'opt-out' || state.decision?.method === 'opt-out';
