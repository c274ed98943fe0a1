import { isCategoryId } from './categories.js';
import type { Decision, DecisionMethod } from './types.js';

/** Schema version of the stored record; a different one reads as no decision. */
export const SCHEMA = 1;

const DAY = 86_400_000;
/** No decision is ever kept longer than this (13 months, the CNIL ceiling). */
export const MAX_DAYS = 395;
const MAX_LENGTH = 1024;
// Clocks drift; a record from further in the future than this was not written by us.
const FUTURE_SKEW = DAY;

// Stored as the method's first letter, unique among them.
const METHODS: readonly DecisionMethod[] = ['banner', 'preferences', 'api', 'close', 'opt-out', 'embed'];

/**
 * Compact cookie form, every character allowed in a cookie value unescaped by js-cookie:
 * `schema~revision~id~time36~expires36~method~gpc~cat:1|cat:0`.
 */
export function encodeDecision(d: Decision): string {
  const grants = Object.keys(d.grants)
    .map((id) => `${id}:${d.grants[id] ? 1 : 0}`)
    .join('|');
  return [d.schema, d.revision, d.id, d.time.toString(36), d.expires.toString(36), d.method[0], d.gpc ? 1 : 0, grants].join('~');
}

/** What a stored value must agree with to count. */
export interface DecodeContext {
  /** Current policy revision. */
  revision: number;
  /** Ids of the non-necessary categories configured now. */
  categories: readonly string[];
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
 * Reads a stored value. Anything malformed, truncated, from another schema or revision, expired,
 * from the future, or not covering exactly the configured categories is `null`: no decision.
 * Never throws.
 */
export function decodeDecision(raw: unknown, ctx: DecodeContext): Decision | null {
  if (typeof raw !== 'string' || raw.length > MAX_LENGTH) return null;
  const parts = raw.split('~');
  if (parts.length !== 8) return null;
  const [schema, revision, id, time36, expires36, methodCode, gpc, grantList] = parts as [
    string, string, string, string, string, string, string, string,
  ];
  if (!INT.test(schema) || Number(schema) !== SCHEMA) return null;
  if (!INT.test(revision) || Number(revision) !== ctx.revision) return null;
  if (!DECISION_ID.test(id) || !B36.test(time36) || !B36.test(expires36)) return null;
  const method = methodCode.length === 1 ? METHODS.find((m) => m[0] === methodCode) : undefined;
  if (!method || (gpc !== '0' && gpc !== '1')) return null;

  const grants: Record<string, boolean> = {};
  const wanted = new Set(ctx.categories);
  const entries = grantList === '' ? [] : grantList.split('|');
  if (entries.length !== wanted.size) return null;
  for (const entry of entries) {
    const [cat, value, extra] = entry.split(':');
    if (extra !== undefined || !isCategoryId(cat) || !wanted.has(cat) || cat in grants) return null;
    if (value !== '0' && value !== '1') return null;
    grants[cat] = value === '1';
  }

  const time = parseInt(time36, 36);
  const expires = parseInt(expires36, 36);
  const days = Object.values(grants).some(Boolean) ? ctx.consentDays : ctx.refusalDays;
  if (time > ctx.now + FUTURE_SKEW || expires <= ctx.now || expires <= time) return null;
  if (expires - time > days * DAY) return null;

  return Object.freeze({
    schema: SCHEMA,
    revision: ctx.revision,
    id,
    time,
    expires,
    grants: Object.freeze(grants),
    method,
    gpc: gpc === '1',
  });
}

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
