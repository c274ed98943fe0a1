import { resolveCategories } from './categories.js';
import { clampDays, DAY, decodeDecision, encodeDecision, leastOf, SCHEMA } from './decision.js';
import { grantsFor } from './grants.js';
import { createMemoryStorage } from './memory-storage.js';
import { randomId } from './random-id.js';
import type {
  BuiltInCategoryId,
  Category,
  CategoryInput,
  ConsentState,
  ConsentStorage,
  Decision,
  DecisionMethod,
  Grants,
  Regime,
  StoredCopy,
} from './types.js';

/**
 * Options of {@link createConsentStore}. `Id` is the ids of the categories given, inferred from
 * `categories` (literal ids, or an array `as const`).
 */
export interface ConsentStoreOptions<Id extends string = string> {
  /** Categories to add or override; the built-ins (`necessary`, `analytics`, `advertising`, `social`) are always there. @default [] */
  categories?: readonly CategoryInput<Id>[];
  /** Regime of this visit. @default 'opt-in' */
  regime?: Regime;
  /** Policy revision; a stored decision from another revision counts as no decision, so bumping it asks again. @default 1 */
  revision?: number;
  /** How long a decision that grants something is kept, in days (at most 395). @default 395 */
  consentDays?: number;
  /** How long a refusal is kept, in days (at most 395). @default 182 */
  refusalDays?: number;
  /** Where the decision is kept. @default memory (this page only) */
  storage?: ConsentStorage;
  /** Whether a Global Privacy Control signal is present (see `readGpc` in `consentline/signals`). @default false */
  gpc?: boolean;
  /** Clock, ms since epoch. @default Date.now */
  now?: () => number;
  /** Called with an error thrown by a listener; the other listeners still run. @default console.error */
  onError?: (error: unknown) => void;
}

/** Listener of {@link ConsentStore.subscribe}. */
export type ConsentListener<Id extends string = string> = (state: ConsentState<Id>, previous: ConsentState<Id>) => void;

/**
 * A consent store: the one source of truth that the UI, DNI and signals share. `Id` is its
 * category ids: the built-ins and those given to {@link createConsentStore}, so a misspelt id is a
 * compile error; any string for a store typed without them.
 */
export interface ConsentStore<Id extends string = string> {
  /** Every category, `necessary` first. */
  readonly categories: readonly Category<Id>[];
  /** The current state. */
  get(): ConsentState<Id>;
  /** Records a decision: the given grants over the current ones. Unknown category ids throw. */
  set(grants: Readonly<Partial<Grants<Id>>>, method?: DecisionMethod): ConsentState<Id>;
  /** Grants every category (sale/share ones stay denied while GPC applies). */
  acceptAll(method?: DecisionMethod): ConsentState<Id>;
  /** Denies every non-necessary category. */
  rejectAll(method?: DecisionMethod): ConsentState<Id>;
  /** Denies every sale/share category, keeping the others as they are ("Do Not Sell or Share"). */
  optOut(method?: DecisionMethod): ConsentState<Id>;
  /** Forgets the decision (the visitor is asked again). */
  reset(): ConsentState<Id>;
  /** Re-reads storage, e.g. after another tab decided. */
  refresh(): ConsentState<Id>;
  /** Calls `listener` on every change; returns the unsubscribe. */
  subscribe(listener: ConsentListener<Id>): () => void;
  /** Stops watching storage and drops every listener. */
  destroy(): void;
}

// The core has no DOM lib; console exists in every JS runtime we target.
declare const console: { error(...data: unknown[]): void };

/** The category ids of a store: `CategoryIdOf<typeof store>`. */
export type CategoryIdOf<S> = S extends ConsentStore<infer Id> ? Id : never;

/**
 * Creates a consent store. Pure: it touches no DOM; the browser comes in through `storage`.
 * Its type knows the category ids (the built-ins and the literal ids in `categories`), so
 * `store.set({ analytcs: true })` does not compile.
 *
 * @example
 * const store = createConsentStore({ storage: createCookieStorage(), gpc: readGpc(), categories: [{ id: 'chat' }] });
 * const off = store.subscribe((s) => s.grants.chat && startChat());
 */
export function createConsentStore<const Id extends string = never>(options: ConsentStoreOptions<Id> = {}): ConsentStore<BuiltInCategoryId | Id> {
  const {
    categories: inputs = [],
    regime = 'opt-in',
    revision = 1,
    consentDays = 395,
    refusalDays = 182,
    storage = createMemoryStorage(),
    gpc = false,
    now = Date.now,
    onError = (error: unknown) => console.error(error),
  } = options;
  if (regime !== 'opt-in' && regime !== 'opt-out') throw new Error(`regime: expected "opt-in" or "opt-out"`);
  if (!Number.isInteger(revision) || revision < 0 || revision > 999_999_999) {
    throw new Error('revision: expected an integer from 0 to 999999999');
  }
  const categories = resolveCategories(inputs);
  const optional = categories.filter((c) => !c.required);
  const optionalIds = optional.map((c) => c.id);
  const known = new Set(optionalIds);
  const ctx = {
    revision,
    categories: optionalIds,
    consentDays: clampDays(consentDays),
    refusalDays: clampDays(refusalDays),
    now: 0,
  };
  const listeners = new Set<ConsentListener>();

  const readCopies = (): readonly StoredCopy[] => {
    try {
      if (storage.readCopies) return storage.readCopies();
      const value = storage.read();
      return value === undefined ? [] : [{ value, source: 'current' }];
    } catch {
      return [];
    }
  };

  // Several copies (cookies of one name on other domains or paths, an older cookie name) read as
  // the one that grants least, so a refusal or opt-out is never lost to another copy. No decision
  // is the least there is in opt-in and the most in opt-out, so a bad copy counts only in opt-in.
  const read = (): Decision | null => {
    const at = { ...ctx, now: now() };
    const copies = readCopies();
    const trusted = copies.some((copy) => copy.source !== 'foreign');
    let least: Decision | null = null;
    for (const copy of copies) {
      const decision = decodeDecision(copy.value, at);
      // A bad copy of our own is no decision in opt-in (the least there is). One another host may
      // have set is ignored: it can neither grant nor keep asking the visitor.
      if (!decision) {
        if (regime === 'opt-in' && copy.source !== 'foreign') return null;
        continue;
      }
      // A copy another host may have set can take consent away, never grant it on its own.
      if (!trusted && regime === 'opt-in' && Object.values(decision.grants).some(Boolean)) continue;
      least = least ? leastOf(least, decision, at) : decision;
    }
    // Leave one copy where the storage writes now (old ones moved, stray ones gone), without
    // extending its lifetime. Never adopt a reading that came only from another host's copies:
    // written as our own, a sibling's record would later read as this visitor's consent.
    const settled = copies.length === 1 && copies[0]!.source === 'current';
    if (least && !settled && trusted) {
      try {
        storage.write(encodeDecision(least), least.expires);
      } catch {
        // Read as above for this page; the next read tries again.
      }
    }
    return least;
  };

  const compute = (decision: Decision | null): ConsentState => {
    const grants = grantsFor(categories, regime, gpc, decision);
    const saleShare = optional.filter((c) => c.saleShare);
    const optedOut =
      gpc || (decision !== null && saleShare.length > 0 && saleShare.every((c) => decision.grants[c.id] !== true));
    return Object.freeze({
      decision,
      grants: Object.freeze(grants),
      regime,
      gpc,
      optedOut,
      needsDecision: regime === 'opt-in' && decision === null,
    });
  };

  let state = compute(read());
  let key = state.decision ? encodeDecision(state.decision) : '';

  const update = (decision: Decision | null): ConsentState => {
    const nextKey = decision ? encodeDecision(decision) : '';
    if (nextKey === key) return state;
    const previous = state;
    key = nextKey;
    state = compute(decision);
    for (const listener of [...listeners]) {
      try {
        listener(state, previous);
      } catch (error) {
        onError(error);
      }
    }
    return state;
  };

  const decide = (grants: Grants, method: DecisionMethod): ConsentState => {
    const time = now();
    for (const c of optional) if (c.saleShare && gpc) grants[c.id] = false;
    const days = Object.values(grants).some(Boolean) ? ctx.consentDays : ctx.refusalDays;
    const decision: Decision = Object.freeze({
      schema: SCHEMA,
      revision,
      id: randomId(),
      time,
      expires: time + days * DAY,
      grants: Object.freeze(grants),
      method,
      gpc,
    });
    try {
      storage.write(encodeDecision(decision), decision.expires);
      storage.notify?.();
    } catch {
      // A storage that throws still leaves the decision in force for this page.
    }
    return update(decision);
  };

  const current = (): Grants => {
    const base: Grants = {};
    for (const id of optionalIds) base[id] = state.decision ? state.decision.grants[id] === true : regime === 'opt-out';
    return base;
  };

  const all = (value: boolean | ((c: Category) => boolean)): Grants =>
    Object.fromEntries(optional.map((c) => [c.id, typeof value === 'function' ? value(c) : value]));

  const stopWatching = storage.watch?.(() => {
    store.refresh();
  });

  const store: ConsentStore = {
    categories,
    get() {
      if (state.decision && state.decision.expires <= now()) update(null);
      return state;
    },
    set(grants, method = 'api') {
      const next = current();
      for (const id of Object.keys(grants)) {
        if (id === 'necessary') continue;
        if (!known.has(id)) throw new Error(`set: unknown category "${id}"`);
        const value = grants[id];
        if (typeof value !== 'boolean') throw new Error(`set: grant for "${id}" must be a boolean`);
        next[id] = value;
      }
      return decide(next, method);
    },
    acceptAll: (method = 'api') => decide(all(true), method),
    rejectAll: (method = 'api') => decide(all(false), method),
    optOut(method = 'opt-out') {
      const next = current();
      for (const c of optional) if (c.saleShare) next[c.id] = false;
      return decide(next, method);
    },
    reset() {
      try {
        storage.remove();
        storage.notify?.();
      } catch {
        // Nothing to undo: the state below is what counts for this page.
      }
      return update(null);
    },
    refresh: () => update(read()),
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    destroy() {
      stopWatching?.();
      listeners.clear();
    },
  };
  // The ids are checked at run time (`set` throws on an unknown one); the type records which ones
  // the options gave.
  return store as ConsentStore<string> as ConsentStore<BuiltInCategoryId | Id>;
}
