import { isCategoryId } from './categories.js';
import type { Decision, DecisionMethod, Regime } from './types.js';
import { hasOwn } from './has-own.js';

/** Schema version of the stored record; a different one reads as no decision. */
export const SCHEMA = 1;

const DAY = 86_400_000;
/** No decision is ever kept longer than this (13 months, the CNIL ceiling). */
export const MAX_DAYS = 395;
/** Longest stored value read; the store refuses categories whose record would not fit. */
export const MAX_LENGTH = 1024;
// Clocks drift; a record from further in the future than this was not written by us.
const FUTURE_SKEW = DAY;

// The regime a decision was made under, stored as a letter.
const REGIMES: Readonly<Record<string, Regime>> = { i: 'opt-in', o: 'opt-out' };
// Stored as the method's first letter, unique among them.
const METHODS: readonly DecisionMethod[] = ['banner', 'preferences', 'api', 'close', 'opt-out', 'embed'];

/**
 * Compact cookie form, every character allowed in a cookie value unescaped by js-cookie:
 * `schema~revision~id~time36~expires36~method~gpc~regime~cat:1|cat:0`, the regime as `i` or `o`.
 */
export function encodeDecision(d: Decision): string {
  const grants = Object.keys(d.grants)
    .map((id) => `${id}:${d.grants[id] ? 1 : 0}`)
    .join('|');
  return [
    d.schema,
    d.revision,
    d.id,
    d.time.toString(36),
    d.expires.toString(36),
    d.method[0],
    d.gpc ? 1 : 0,
    d.regime === 'opt-out' ? 'o' : 'i',
    grants,
  ].join('~');
}

/** What a stored value must agree with to count. */
export interface DecodeContext {
  /** Current policy revision. */
  revision: number;
  /** Ids of the non-necessary categories configured now. */
  categories: readonly string[];
  /** The regime of this visit: under `opt-in`, a record made under `opt-out` grants nothing. */
  regime: Regime;
  /** Now, ms since epoch. */
  now: number;
  /** Longest lifetime allowed for a record that grants something, in days. */
  consentDays: number;
  /** Longest lifetime allowed for a record that grants nothing, in days. */
  refusalDays: number;
}

const INT = /^(0|[1-9][0-9]{0,8})$/;
const B36 = /^[0-9a-z]{1,11}$/;
const DECISION_ID = /^[0-9a-z]{8,32}$/;

/**
 * What a stored value is: a decision in force (`current`); a well-formed record that no longer
 * counts as one (`lapsed`: expired, from another policy revision, for other categories, made for a
 * longer lifetime than is configured now, or made later than now by more than clocks drift), whose
 * refusals still hold until the visitor decides again; or anything else (`invalid`: malformed,
 * truncated, from another schema, or one that could never have been written).
 */
export type StoredRecord =
  | { readonly kind: 'current'; readonly decision: Decision }
  | { readonly kind: 'lapsed'; readonly decision: Decision }
  | { readonly kind: 'invalid' };

const INVALID: StoredRecord = Object.freeze({ kind: 'invalid' });

/** Reads a stored value (see {@link StoredRecord}). Never throws. */
export function readRecord(raw: unknown, ctx: DecodeContext): StoredRecord {
  if (typeof raw !== 'string' || raw.length > MAX_LENGTH) return INVALID;
  const parts = raw.split('~');
  // A record without the regime field reads as made under opt-out: what it refused holds in every
  // regime, what it granted only where consent may be presumed.
  if (parts.length === 8) parts.splice(7, 0, 'o');
  if (parts.length !== 9) return INVALID;
  const [schema, revision, id, time36, expires36, methodCode, gpc, regimeCode, grantList] = parts as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  if (!INT.test(schema) || Number(schema) !== SCHEMA || !INT.test(revision)) return INVALID;
  if (!DECISION_ID.test(id) || !B36.test(time36) || !B36.test(expires36)) return INVALID;
  const method = methodCode.length === 1 ? METHODS.find((m) => m[0] === methodCode) : undefined;
  if (!method || (gpc !== '0' && gpc !== '1')) return INVALID;
  if (!hasOwn(REGIMES, regimeCode)) return INVALID;
  const regime = REGIMES[regimeCode]!;

  const grants: Record<string, boolean> = {};
  for (const entry of grantList === '' ? [] : grantList.split('|')) {
    const [cat, value, extra] = entry.split(':');
    if (extra !== undefined || !isCategoryId(cat) || cat === 'necessary' || hasOwn(grants, cat)) return INVALID;
    if (value !== '0' && value !== '1') return INVALID;
    grants[cat] = value === '1';
  }

  const time = parseInt(time36, 36);
  const expires = parseInt(expires36, 36);
  if (expires <= time || expires - time > MAX_DAYS * DAY) return INVALID;

  const decision: Decision = Object.freeze({
    schema: SCHEMA,
    revision: Number(revision),
    id,
    time,
    expires,
    grants: Object.freeze(grants),
    method,
    gpc: gpc === '1',
    regime,
  });
  const wanted = ctx.categories;
  const ids = Object.keys(grants);
  const grantsAny = Object.values(grants).some(Boolean);
  const days = grantsAny ? ctx.consentDays : ctx.refusalDays;
  // A record from the future was written by a clock that ran ahead: it decides nothing, but
  // what it refused (an opt-out) is not lost to the clock being put right.
  const current =
    time <= ctx.now + FUTURE_SKEW &&
    decision.revision === ctx.revision &&
    expires > ctx.now &&
    expires - time <= days * DAY &&
    ids.length === wanted.length &&
    wanted.every((cat) => hasOwn(grants, cat)) &&
    !(grantsAny && regime === 'opt-out' && ctx.regime === 'opt-in');
  return { kind: current ? 'current' : 'lapsed', decision };
}

/**
 * Reads a stored value as a decision in force; anything else (see {@link readRecord}) is
 * `null`: no decision. Never throws.
 */
export function decodeDecision(raw: unknown, ctx: DecodeContext): Decision | null {
  const record = readRecord(raw, ctx);
  return record.kind === 'current' ? record.decision : null;
}

/** True when `decision` refuses one of `categories`: a refusal that must hold until the visitor decides again. */
export const refusesAny = (decision: Decision, categories: readonly string[]): boolean =>
  categories.some((id) => decision.grants[id] === false);

/**
 * The reading of two decisions that grants least: a category only where both grant it. When that
 * is one of them, that one is returned as is; otherwise a new record with those grants, made now
 * and ending no later than either (within a refusal's lifetime when it grants nothing).
 */
export function leastOf(a: Decision, b: Decision, ctx: DecodeContext): Decision {
  const grants: Record<string, boolean> = {};
  for (const id of Object.keys(a.grants)) grants[id] = a.grants[id] === true && b.grants[id] === true;
  const same = (d: Decision) => Object.keys(grants).every((id) => grants[id] === d.grants[id]);
  if (same(a)) return a;
  if (same(b)) return b;
  const days = Object.values(grants).some(Boolean) ? ctx.consentDays : ctx.refusalDays;
  return Object.freeze({
    ...a,
    time: ctx.now,
    expires: Math.min(a.expires, b.expires, ctx.now + days * DAY),
    grants: Object.freeze(grants),
    gpc: a.gpc || b.gpc,
  });
}

/** Clamps a configured lifetime in days to 1…395. */
export const clampDays = (days: number): number =>
  Number.isFinite(days) ? Math.min(MAX_DAYS, Math.max(1, Math.floor(days))) : MAX_DAYS;

export { DAY };
