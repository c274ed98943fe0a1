/** A consent regime: `opt-in` asks before anything non-essential runs; `opt-out` runs by default until the visitor opts out. */
export type Regime = 'opt-in' | 'opt-out';

/** How a decision was made. */
export type DecisionMethod = 'banner' | 'preferences' | 'api' | 'close' | 'opt-out' | 'embed';

/** Ids of the built-in categories. */
export type BuiltInCategoryId = 'necessary' | 'analytics' | 'advertising' | 'social';

/**
 * Per-category grants, keyed by category id. `necessary` is never stored: it is always granted.
 * `Id` is the store's category ids (see `createConsentStore`); any string by default.
 */
export type Grants<Id extends string = string> = Record<Id, boolean>;

/** A category as the store knows it after defaults have been applied. */
export interface Category<Id extends string = string> {
  /** Stable id, e.g. `analytics`. Lower-case letters, digits, `_` and `-`. */
  readonly id: Id;
  /** Human label (the UI translates the built-in ones). */
  readonly label: string;
  /** Human description. */
  readonly description: string;
  /** Cookie names or patterns (`_ga*`) this category owns, cleared on withdrawal. */
  readonly cookies: readonly string[];
  /** True when the category is a sale or sharing of personal information in the CCPA sense. */
  readonly saleShare: boolean;
  /** True only for `necessary`: always granted, never a toggle. */
  readonly required: boolean;
}

/** Input for a category; only `id` is required. */
export interface CategoryInput<Id extends string = string> {
  /** Stable id, e.g. `analytics` or `chat`. */
  id: Id;
  /** @default the id */
  label?: string;
  /** @default '' */
  description?: string;
  /** @default [] */
  cookies?: readonly string[];
  /** @default true for `advertising` and `social`, false otherwise */
  saleShare?: boolean;
}

/** A stored decision record. */
export interface Decision {
  /** Schema version of the record. */
  readonly schema: number;
  /** Policy revision the visitor decided on. */
  readonly revision: number;
  /** Random id, for receipts. */
  readonly id: string;
  /** When the decision was made (ms since epoch). */
  readonly time: number;
  /** When it stops counting (ms since epoch); fixed when made, never extended silently. */
  readonly expires: number;
  /** Grants for every non-necessary category. */
  readonly grants: Readonly<Grants>;
  /** How it was made. */
  readonly method: DecisionMethod;
  /** Whether a Global Privacy Control signal was present when it was made. */
  readonly gpc: boolean;
  /**
   * The regime it was made under. Made under `opt-out`, its grants may be ones the visitor only
   * left on (the Do Not Sell link keeps them), so on a visit under `opt-in` it grants nothing and
   * the visitor is asked; what it refused still holds.
   */
  readonly regime: Regime;
}

/** The consent state, as every listener sees it. `Id` is the store's category ids. */
export interface ConsentState<Id extends string = string> {
  /** The stored decision, or null when the visitor has not decided (or it expired or is invalid). */
  readonly decision: Decision | null;
  /** Effective grants for every category, `necessary` included, after regime, GPC and opt-out. */
  readonly grants: Readonly<Grants<Id>>;
  /** The regime of this visit. */
  readonly regime: Regime;
  /** Whether a Global Privacy Control signal is present on this visit. */
  readonly gpc: boolean;
  /** True when every sale/share category is denied because of GPC or the visitor's choice (an opt-out applies). */
  readonly optedOut: boolean;
  /** True when the visitor should be asked: opt-in with no valid decision. */
  readonly needsDecision: boolean;
}

/**
 * How far a stored copy is believed: `current` is where the storage writes now; `legacy` is where
 * this site wrote before (moved on the next read); `foreign` may have been set by another host,
 * e.g. a sibling subdomain, so it can take consent away but never grant it on its own.
 */
export type CopySource = 'current' | 'legacy' | 'foreign';

/** One stored copy of the decision (a browser may hold several cookies of one name). */
export interface StoredCopy {
  /** The stored value, as `read()` would return it. */
  readonly value: string;
  /** How far this copy is believed. */
  readonly source: CopySource;
}

/** Where a decision is kept. The core only sees strings; the cookie adapter lives outside the core. */
export interface ConsentStorage {
  /** The stored value, or undefined. Must never throw. */
  read(): string | undefined;
  /**
   * Every copy found, when there can be more than one; the store then reads the one that grants
   * least. Storages that keep one value leave it out. Must never throw.
   */
  readCopies?(): readonly StoredCopy[];
  /** Stores a value until `expires` (ms since epoch). Must never throw. */
  write(value: string, expires: number): void;
  /**
   * Stores a value as `write` does, but leaves what can wait (reading it back, clearing copies in
   * the way, falling back) to the function it returns. The store calls that once its listeners
   * have heard the decision, so they act on it (held-back scripts are requested) without waiting
   * for a synchronous read of the browser's cookie jar; after a decision that withdraws nothing,
   * through its `defer` option. A read, a write or a removal in between does it first. Optional.
   * Must never throw.
   */
  writeFirst?(value: string, expires: number): () => void;
  /** Removes the value. Must never throw. */
  remove(): void;
  /** Calls `onChange` when another tab or frame changed the value; returns the cleanup. */
  watch?(onChange: () => void): () => void;
  /** Tells other tabs that this one wrote a new value. */
  notify?(): void;
  /**
   * Deletes the site's cookies whose names match `patterns` (a withdrawn category's `cookies`),
   * never the decision's own; the store calls it whenever a category is withdrawn. Storages
   * without cookies leave it out. Must never throw.
   */
  clearCookies?(patterns: readonly string[]): void;
}
