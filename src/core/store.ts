import { resolveCategories } from './categories.js';
import {
  clampDays,
  DAY,
  encodeDecision,
  leastOf,
  MAX_DAYS,
  MAX_LENGTH,
  readRecord,
  refusesAny,
  SCHEMA,
} from './decision.js';
import { grantsFor, withdrawnIn } from './grants.js';
import { noop } from './env.js';
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
  /**
   * Called with an error thrown by a listener (the other listeners still run), or when listeners
   * decided on every change they heard: past 100 changes in a row they are told only the latest,
   * once, and the error says how many decided again as they heard it (those have not heard the
   * current state). It must not throw itself.
   * @default console.error
   */
  onError?: (error: unknown) => void;
  /**
   * Runs what a decision that withdraws nothing leaves until after its listeners: the storage's
   * check of its write (see {@link ConsentStorage.writeFirst}) and the notice to other tabs. Give a
   * queue run in a later task so a click that grants does only the write, the change and its
   * listeners. A decision that withdraws a category finishes both before it returns, so other tabs
   * stop what it withdrew at once. Tasks must run in the order given.
   * @default run at once
   */
  defer?: (task: () => void) => void;
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
  /**
   * Forgets the decision (the visitor is asked again). Every copy the page can see is deleted, one a
   * sibling subdomain keeps on the parent domain too: a refusal left there would still count here.
   */
  reset(): ConsentState<Id>;
  /** Re-reads storage, e.g. after another tab decided. */
  refresh(): ConsentState<Id>;
  /** Calls `listener` on every change, in order; returns the unsubscribe, after which it hears nothing more. */
  subscribe(listener: ConsentListener<Id>): () => void;
  /** Stops watching storage and drops every listener. */
  destroy(): void;
}

// The core has no DOM lib; console exists in every JS runtime we target.
declare const console: { error(...data: unknown[]): void };

// What the stored copies say: the decision in force, if any, and a lapsed record whose refusals
// still hold until the visitor decides again.
interface Reading {
  readonly decision: Decision | null;
  readonly standing: Decision | null;
}

const NOTHING: Reading = { decision: null, standing: null };

// Changes told in one go before a chain of listeners deciding is taken for a loop (see flush).
const CHAIN = 100;

// Two lapsed records as one: what either refused stays refused; the newer one's dates. A grant
// comes only from the newer record: one the older record alone holds would, with the newer one's
// dates, regime and a full set of categories, be kept as a record that reads as a decision in
// force on the next page (an expired grant, or one the opt-out regime only presumed, as consent).
const withRefusals = (a: Decision, b: Decision): Decision => {
  const [older, newer] = b.time > a.time ? [a, b] : [b, a];
  const grants: Record<string, boolean> = { ...newer.grants };
  for (const id of Object.keys(older.grants)) if (older.grants[id] === false) grants[id] = false;
  return Object.freeze({ ...newer, grants: Object.freeze(grants) });
};

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
export function createConsentStore<const Id extends string = never>(
  options: ConsentStoreOptions<Id> = {},
): ConsentStore<BuiltInCategoryId | Id> {
  const {
    categories = [],
    regime = 'opt-in',
    revision = 1,
    consentDays = 395,
    refusalDays = 182,
    storage = createMemoryStorage(),
    gpc = false,
    now = Date.now,
    onError = (error: unknown) => console.error(error),
    defer = (task: () => void) => task(),
  } = options;
  if (regime !== 'opt-in' && regime !== 'opt-out') throw new Error(`regime: expected "opt-in" or "opt-out"`);
  if (!Number.isInteger(revision) || revision < 0 || revision > 999_999_999) {
    throw new Error('revision: expected an integer from 0 to 999999999');
  }
  const store = buildConsentStore({
    categories,
    regime,
    revision,
    consentDays,
    refusalDays,
    storage,
    gpc,
    now,
    onError,
    defer,
  });
  // The ids are checked at run time (`set` throws on an unknown one); the type records which ones
  // the options gave.
  return store as ConsentStore<BuiltInCategoryId | Id>;
}

/**
 * Every option of a store, given and checked: what {@link createConsentStore} makes of a
 * developer's options, and what the script tag builds from its configuration, which its own
 * validator has already checked (so its bundle carries neither the defaults nor the checks twice).
 */
export type StoreSettings = Required<ConsentStoreOptions<string>>;

/** A store from settings that are complete and already checked (see {@link StoreSettings}). */
export function buildConsentStore(settings: StoreSettings): ConsentStore {
  const {
    categories: inputs,
    regime,
    revision,
    consentDays,
    refusalDays,
    storage,
    gpc,
    now,
    onError,
    defer,
  } = settings;
  const categories = resolveCategories(inputs);
  const optional = categories.filter((c) => !c.required);
  const optionalIds = optional.map((c) => c.id);
  const known = new Set(optionalIds);
  // A record longer than the reader takes would be no decision on the next page, an opt-out
  // included; the longest these categories can give (widest dates and id) must fit.
  const widest = encodeDecision({
    schema: SCHEMA,
    revision,
    id: 'z'.repeat(32),
    time: 8.64e15,
    expires: 8.64e15,
    grants: Object.fromEntries(optionalIds.map((id) => [id, true])),
    method: 'preferences',
    gpc: true,
    regime,
  });
  if (widest.length > MAX_LENGTH) {
    throw new Error(
      `categories: too many or too long ids for the consent cookie (${widest.length} of ${MAX_LENGTH} characters)`,
    );
  }
  const ctx = {
    regime,
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

  // How long a record's stored copy is kept. One that refuses something outlives itself by a
  // refusal's lifetime (at most 13 months ahead), so its refusals still hold, as a lapsed record,
  // when the visitor comes back after it ended; the record itself, and when it ends, never change.
  const keepUntil = (decision: Decision, at: number): number =>
    refusesAny(decision, optionalIds)
      ? Math.min(Math.max(decision.expires, at) + ctx.refusalDays * DAY, at + MAX_DAYS * DAY)
      : decision.expires;

  const keep = (decision: Decision, at: number): void => {
    try {
      storage.write(encodeDecision(decision), keepUntil(decision, at));
    } catch {
      // Read as it is for this page; the next read tries again.
    }
  };

  // Several copies (cookies of one name on other domains or paths, an older cookie name) read as
  // the one that grants least, so a refusal or opt-out is never lost to another copy. No decision
  // is the least there is in opt-in and the most in opt-out, so a bad copy counts only in opt-in.
  const read = (): Reading => {
    const at = { ...ctx, now: now() };
    const copies = readCopies();
    const records = copies.map((copy) => ({ copy, record: readRecord(copy.value, at) }));
    // Only beside a decision of this site's own in force can a copy another host may have set
    // grant anything or replace what a lapsed record refused; an own copy that lapsed or is bad
    // vouches for nothing.
    const trusted = records.some(({ copy, record }) => copy.source !== 'foreign' && record.kind === 'current');
    // A copy another host may have set (which this site must not delete) is older news than a
    // newer record of this site's own: the visitor decided here since.
    let newestOwn = -Infinity;
    for (const { copy, record } of records) {
      if (copy.source !== 'foreign' && record.kind !== 'invalid') newestOwn = Math.max(newestOwn, record.decision.time);
    }
    let least: Decision | null = null;
    let standing: Decision | null = null;
    let ownStanding: Decision | null = null;
    for (const { copy, record } of records) {
      const foreign = copy.source === 'foreign';
      // A bad copy of our own is no decision in opt-in (the least there is). One another host may
      // have set is ignored: it can neither grant nor keep asking the visitor.
      if (record.kind === 'invalid') {
        if (regime === 'opt-in' && !foreign) return NOTHING;
        continue;
      }
      const decision = record.decision;
      if (foreign && decision.time < newestOwn) continue;
      // A lapsed record (expired, another revision, other categories) decides nothing, but what it
      // refused stays refused until the visitor decides again.
      if (record.kind === 'lapsed') {
        // One from the future that another host may have set is ignored: it would outrank every
        // decision made here until its date.
        if (!refusesAny(decision, optionalIds) || (foreign && decision.time > at.now)) continue;
        standing = standing ? withRefusals(standing, decision) : decision;
        if (!foreign) ownStanding = ownStanding ? withRefusals(ownStanding, decision) : decision;
        continue;
      }
      // A copy another host may have set can take consent away, never grant it on its own.
      if (!trusted && regime === 'opt-in' && Object.values(decision.grants).some(Boolean)) continue;
      least = least ? leastOf(least, decision, at) : decision;
    }
    // A decision made here since the lapsed record replaces its refusals; one only another host
    // may have set does not.
    if (least && trusted && standing && least.time >= standing.time) {
      standing = null;
      ownStanding = null;
    }
    // Leave one copy where the storage writes now (old ones moved, stray ones gone), its record
    // unchanged; from halfway through the life of one that refuses something, or once it lapsed,
    // keep it longer (see keepUntil). Never adopt a reading that came only from another host's
    // copies: written as our own, a sibling's record would later read as this visitor's consent.
    const settled = copies.length === 1 && copies[0]!.source === 'current';
    if (
      least &&
      trusted &&
      (!settled || (refusesAny(least, optionalIds) && at.now >= (least.time + least.expires) / 2))
    )
      keep(least, at.now);
    if ((!least || !trusted) && ownStanding) keep(ownStanding, at.now);
    return { decision: least, standing };
  };

  const saleShare = optional.filter((c) => c.saleShare);
  // Every sale/share category refused: by the decision, or by a lapsed record still holding.
  const refusesSaleShare = ({ decision, standing }: Reading): boolean =>
    saleShare.length > 0 &&
    saleShare.every((c) => (decision !== null && decision.grants[c.id] !== true) || standing?.grants[c.id] === false);

  const compute = (reading: Reading): ConsentState => {
    const { decision, standing } = reading;
    const grants = grantsFor(categories, regime, gpc, decision);
    if (standing) for (const id of optionalIds) if (standing.grants[id] === false) grants[id] = false;
    return Object.freeze({
      decision,
      grants: Object.freeze(grants),
      regime,
      gpc,
      optedOut: gpc || refusesSaleShare(reading),
      needsDecision: regime === 'opt-in' && decision === null,
    });
  };

  const keyOf = ({ decision, standing }: Reading): string =>
    (decision ? encodeDecision(decision) : '') + ' ' + (standing ? encodeDecision(standing) : '');

  // Withdrawal deletes what the withdrawn categories set (through the storage, which knows which
  // cookies are its own), before any listener runs: a listener may reload the page.
  const clearWithdrawn = (previous: ConsentState, next: ConsentState): void => {
    const patterns = withdrawnIn(categories, previous, next).flatMap((c) => c.cookies);
    if (!patterns.length || !storage.clearCookies) return;
    try {
      storage.clearCookies(patterns);
    } catch (error) {
      onError(error);
    }
  };

  let reading = read();
  let state = compute(reading);
  let key = keyOf(reading);

  // One that another listener unsubscribed (or a destroy) meanwhile hears nothing more: its
  // cleanup has run.
  const hear = (listener: ConsentListener, next: ConsentState, previous: ConsentState): void => {
    try {
      listener(next, previous);
    } catch (error) {
      onError(error);
    }
  };
  const tell = (next: ConsentState, previous: ConsentState): void => {
    for (const listener of [...listeners]) if (listeners.has(listener)) hear(listener, next, previous);
  };

  // Past CHAIN changes, what is left is told as one change, to the current state. A listener that
  // decides again as it hears it is told no more this time (it is what kept the chain going) and
  // is counted in the report; the others hear the newest state, so every listener that stopped
  // deciding ends having heard the current one. Each pass that changes the state stops a listener,
  // so this ends.
  const catchUp = (heard: ConsentState): void => {
    const last = new Map<ConsentListener, ConsentState>();
    const stopped = new Set<ConsentListener>();
    for (let again = true; again; ) {
      again = false;
      for (const listener of [...listeners]) {
        const previous = last.get(listener) ?? heard;
        if (!listeners.has(listener) || stopped.has(listener) || previous === state) continue;
        const next = state;
        last.set(listener, next);
        hear(listener, next, previous);
        if (state !== next) {
          stopped.add(listener);
          again = true;
        }
      }
    }
    untold.length = 0;
    onError(
      new Error(
        `subscribe: listeners decided on every change they heard; past ${CHAIN} changes they were told only the latest` +
          (stopped.size ? `; ${stopped.size} listener(s) that decided again have not heard the current state` : ''),
      ),
    );
  };

  // Changes not yet told, oldest first. One a read found (`get`, which a framework may call while
  // rendering) waits a microtask, or until the next change comes; one made while listeners are
  // hearing another (a listener that decides) waits until they all have. So every listener hears
  // each change once, in order, and the last it hears is the current state.
  // A listener that decides on every change it hears (each `set` is a new decision) would keep
  // the store telling forever and hang the page: past CHAIN changes in one telling, the rest are
  // told as one (see catchUp; each is in force, and withdrawn cookies cleared) and the loop is
  // reported.
  const untold: Array<{ next: ConsentState; previous: ConsentState }> = [];
  let telling = false;
  const flush = (): void => {
    if (telling) return;
    telling = true;
    try {
      for (let told = 0; untold.length; told++) {
        const { next, previous } = untold.shift()!;
        if (told === CHAIN) {
          catchUp(previous);
          break;
        }
        tell(next, previous);
      }
    } finally {
      telling = false;
    }
  };

  const update = (next: Reading, found = false): ConsentState => {
    const nextKey = keyOf(next);
    if (nextKey === key) return state;
    const previous = state;
    key = nextKey;
    reading = next;
    state = compute(next);
    clearWithdrawn(previous, state);
    untold.push({ next: state, previous });
    if (found) void Promise.resolve().then(flush);
    else flush();
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
      regime,
    });
    // The listeners hear the decision before the storage finishes its write, then other tabs are
    // told (see ConsentStorage.writeFirst); after a grant both can wait for `defer`.
    let finish: (() => void) | undefined;
    try {
      const value = encodeDecision(decision);
      const until = keepUntil(decision, time);
      if (storage.writeFirst) finish = storage.writeFirst(value, until);
      else {
        storage.write(value, until);
        finish = noop;
      }
    } catch {
      // A storage that throws still leaves the decision in force for this page.
    }
    const previous = state;
    const next = update({ decision, standing: null });
    const done = () => {
      try {
        if (finish) {
          finish();
          storage.notify?.();
        }
      } catch {
        // As above.
      }
    };
    if (withdrawnIn(categories, previous, next).length) done();
    else defer(done);
    return next;
  };

  // The grants a partial decision starts from: the decision's, or with none the regime's default,
  // less what a lapsed record still refuses.
  const current = (): Grants => {
    const { decision, standing } = reading;
    const base: Grants = {};
    for (const id of optionalIds)
      base[id] = (decision ? decision.grants[id] === true : regime === 'opt-out') && standing?.grants[id] !== false;
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
      const { decision } = reading;
      const at = now();
      if (decision && decision.expires <= at) {
        // It lapsed during the page: what it refused still holds, and is kept so (see keepUntil).
        const standing = refusesAny(decision, optionalIds) ? decision : null;
        if (standing) keep(standing, at);
        update({ decision: null, standing }, true);
      }
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
      return update(NOTHING);
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
  return store;
}
