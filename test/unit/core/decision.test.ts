import { describe, expect, it } from 'vitest';
import { encodeDecision, readRecord, refusesAny } from '../../../src/core/decision';
import type { Decision } from '../../../src/core/types';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 0, 2);
const ctx = {
  revision: 2,
  regime: 'opt-in' as const,
  categories: ['analytics', 'advertising', 'social'],
  now: NOW,
  consentDays: 395,
  refusalDays: 182,
};
const base: Decision = {
  schema: 1,
  revision: 2,
  id: 'abcdefghij12',
  time: NOW - DAY,
  expires: NOW + 100 * DAY,
  grants: { analytics: true, advertising: false, social: false },
  method: 'banner',
  gpc: false,
  regime: 'opt-in' as const,
};
const kindOf = (d: Partial<Decision>) => readRecord(encodeDecision({ ...base, ...d }), ctx).kind;

describe('readRecord', () => {
  it('reads a record of this revision, in force, for exactly the configured categories as current', () => {
    expect(readRecord(encodeDecision(base), ctx)).toEqual({ kind: 'current', decision: base });
  });

  it('reads a well-formed record that no longer counts as lapsed, with what it said', () => {
    expect(kindOf({ expires: NOW })).toBe('lapsed');
    expect(kindOf({ revision: 1 })).toBe('lapsed');
    // Made by a clock that ran ahead by more than clocks drift.
    expect(kindOf({ time: NOW + 2 * DAY, expires: NOW + 3 * DAY })).toBe('lapsed');
    expect(kindOf({ time: NOW + DAY / 2, expires: NOW + 3 * DAY })).toBe('current');
    expect(kindOf({ revision: 3 })).toBe('lapsed');
    expect(kindOf({ grants: { analytics: true, advertising: false } })).toBe('lapsed');
    expect(kindOf({ grants: { analytics: true, advertising: false, social: false, chat: false } })).toBe('lapsed');
    // Made for a longer life than a refusal is configured to have.
    expect(
      kindOf({ grants: { analytics: false, advertising: false, social: false }, expires: base.time + 200 * DAY }),
    ).toBe('lapsed');
    // Made where consent was presumed: under opt-in, what it grants counts for nothing.
    expect(kindOf({ regime: 'opt-out' })).toBe('lapsed');
    expect(kindOf({ regime: 'opt-out', grants: { analytics: false, advertising: false, social: false } })).toBe(
      'current',
    );
    expect(readRecord(encodeDecision({ ...base, regime: 'opt-out' }), { ...ctx, regime: 'opt-out' }).kind).toBe(
      'current',
    );
    const lapsed = readRecord(encodeDecision({ ...base, revision: 1 }), ctx);
    expect(lapsed).toEqual({ kind: 'lapsed', decision: { ...base, revision: 1 } });
  });

  it('reads a record without the regime field as made under opt-out: its refusals hold everywhere, its grants only there', () => {
    const legacy = (d: Decision) => encodeDecision(d).replace('~i~', '~');
    const refusal = { ...base, grants: { analytics: false, advertising: false, social: false } };
    expect(readRecord(legacy(base), ctx)).toEqual({ kind: 'lapsed', decision: { ...base, regime: 'opt-out' } });
    expect(readRecord(legacy(refusal), ctx)).toEqual({ kind: 'current', decision: { ...refusal, regime: 'opt-out' } });
    expect(readRecord(legacy(base), { ...ctx, regime: 'opt-out' }).kind).toBe('current');
  });

  it('reads anything that could not have been written as invalid', () => {
    const raw = encodeDecision(base);
    for (const value of [
      '',
      'junk',
      raw + '~',
      raw.replace(/^1~/, '2~'),
      raw.replace('~i~', '~x~'),
      raw.replace('~i~', '~constructor~'),
      raw.replace('analytics:1', 'analytics:true'),
      raw + '|analytics:1',
      raw.replace('analytics:1', 'necessary:1'),
      raw.replace('analytics:1', 'constructor:1|constructor:0'),
      encodeDecision({ ...base, expires: base.time + 396 * DAY }),
      encodeDecision({ ...base, expires: base.time }),
      'x'.repeat(1025),
    ]) {
      expect(readRecord(value, ctx).kind, value).toBe('invalid');
    }
    expect(readRecord(undefined, ctx).kind).toBe('invalid');
    expect(readRecord(42, ctx).kind).toBe('invalid');
  });

  it('reads a category named like an Object member as a category', () => {
    const grants = { constructor: false };
    const record = readRecord(encodeDecision({ ...base, grants }), { ...ctx, categories: ['constructor'] });
    expect(record).toEqual({ kind: 'current', decision: { ...base, grants } });
  });
});

describe('refusesAny', () => {
  it('is true only when one of the given categories is refused', () => {
    expect(refusesAny(base, ['advertising'])).toBe(true);
    expect(refusesAny(base, ['analytics'])).toBe(false);
    expect(refusesAny(base, ['chat'])).toBe(false);
    expect(refusesAny(base, ['constructor'])).toBe(false);
  });
});
