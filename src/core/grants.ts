import type { Category, ConsentState, Decision, Grants, Regime } from './types.js';

/**
 * What each category is granted: the required ones always; the others as decided, or with no
 * decision only in an opt-out regime; never one that sells or shares under GPC. The store computes
 * its state with it; the script-tag build also uses it for Consent Mode's default, before the
 * store exists, and the bindings for the state a server renders.
 */
export const grantsFor = (
  categories: readonly Category[],
  regime: Regime,
  gpc: boolean,
  decision: Decision | null = null,
): Grants =>
  Object.fromEntries(
    categories.map((c) => [
      c.id,
      (c.required || (decision ? decision.grants[c.id] === true : regime === 'opt-out')) && !(c.saleShare && gpc),
    ]),
  );

/** The categories `previous` granted and `next` does not: those a change withdraws. */
export const withdrawnIn = (categories: readonly Category[], previous: ConsentState, next: ConsentState): Category[] =>
  categories.filter((c) => previous.grants[c.id] && !next.grants[c.id]);
