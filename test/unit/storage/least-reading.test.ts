// How the store reads several stored copies of the decision (cookies of one name on other domains
// or paths, an older cookie name, a sibling subdomain's): the reading that grants least.
import { describe, expect, it } from 'vitest';
import { decodeDecision, encodeDecision } from '../../../src/core/decision';
import { createConsentStore } from '../../../src/core/store';
import type { ConsentStorage, CopySource, Decision, Regime, StoredCopy } from '../../../src/core/types';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 0, 1);
const now = () => NOW;

type Grant = { analytics: boolean; advertising: boolean; social: boolean };
const ALL: Grant = { analytics: true, advertising: true, social: true };
const NONE: Grant = { analytics: false, advertising: false, social: false };
const ANALYTICS: Grant = { analytics: true, advertising: false, social: false };
const ADS: Grant = { analytics: false, advertising: true, social: true };

let serial = 0;
function record(grants: Grant, { age = DAY, days = 0, method = 'banner' as Decision['method'] } = {}): string {
  const granting = Object.values(grants).some(Boolean);
  const time = NOW - age;
  const decision: Decision = {
    schema: 1,
    revision: 1,
    id: `copy${String(++serial).padStart(8, '0')}`,
    time,
    expires: time + (days || (granting ? 395 : 182)) * DAY,
    grants,
    method,
    gpc: false,
    regime: 'opt-in' as const,
  };
  return encodeDecision(decision);
}

interface FakeStorage extends ConsentStorage {
  writes: Array<{ value: string; expires: number }>;
}

function storageOf(copies: Array<[string, CopySource]>): FakeStorage {
  const writes: FakeStorage['writes'] = [];
  return {
    writes,
    read: () => undefined,
    readCopies: (): StoredCopy[] => copies.map(([value, source]) => ({ value, source })),
    write: (value, expires) => {
      writes.push({ value, expires });
    },
    remove: () => {},
  };
}

const open = (regime: Regime, copies: Array<[string, CopySource]>) => {
  const storage = storageOf(copies);
  const state = createConsentStore({ regime, storage, now }).get();
  return { state, storage };
};

const optional = (grants: Readonly<Record<string, boolean>>) => ({
  analytics: grants['analytics'],
  advertising: grants['advertising'],
  social: grants['social'],
});

describe('several stored copies read as the one that grants least', () => {
  it('opt-out: a bad or forged copy beside an opt-out never undoes it', () => {
    const optedOut = record(ANALYTICS, { method: 'opt-out' });
    for (const other of ['junk', '', record(ALL), record(ALL).replace('~1~', '~9~')]) {
      for (const source of ['current', 'foreign'] as const) {
        const { state } = open('opt-out', [
          [optedOut, 'current'],
          [other, source],
        ]);
        expect(state.optedOut).toBe(true);
        expect(optional(state.grants)).toEqual(ANALYTICS);
      }
    }
  });

  it('opt-out: an opt-out in a copy another host may have set still counts (a refusal is never lost)', () => {
    const { state } = open('opt-out', [[record(ANALYTICS), 'foreign']]);
    expect(state.optedOut).toBe(true);
  });

  it('opt-in: a bad copy of our own beside a grant reads as no decision (the least there is in opt-in)', () => {
    const { state } = open('opt-in', [
      [record(ALL), 'current'],
      ['junk', 'legacy'],
    ]);
    expect(state.needsDecision).toBe(true);
    expect(optional(state.grants)).toEqual(NONE);
  });

  it('opt-in: a bad copy another host may have set is ignored, so it cannot keep asking the visitor', () => {
    const { state } = open('opt-in', [
      [record(ANALYTICS), 'current'],
      ['junk', 'foreign'],
    ]);
    expect(state.needsDecision).toBe(false);
    expect(optional(state.grants)).toEqual(ANALYTICS);
  });

  it("a reading that came only from another host's copies is never written as our own", () => {
    for (const regime of ['opt-in', 'opt-out'] as const) {
      const { storage } = open(regime, [[record(ALL), 'foreign']]);
      expect(storage.writes).toEqual([]);
      const refused = open(regime, [[record(NONE, { method: 'opt-out' }), 'foreign']]);
      expect(refused.state.optedOut).toBe(true);
      expect(refused.storage.writes).toEqual([]);
    }
  });

  it('opt-in: a forged grant wins over neither a refusal nor a smaller grant', () => {
    for (const source of ['current', 'foreign'] as const) {
      const refused = open('opt-in', [
        [record(NONE), 'current'],
        [record(ALL), source],
      ]).state;
      expect(refused.needsDecision).toBe(false);
      expect(optional(refused.grants)).toEqual(NONE);
      const smaller = open('opt-in', [
        [record(ALL), 'current'],
        [record(ANALYTICS), source],
      ]).state;
      expect(optional(smaller.grants)).toEqual(ANALYTICS);
    }
  });

  it('opt-in: a copy only another host may have set grants nothing on its own, but its refusal counts', () => {
    const forged = open('opt-in', [[record(ALL), 'foreign']]);
    expect(forged.state.needsDecision).toBe(true);
    expect(optional(forged.state.grants)).toEqual(NONE);
    expect(forged.storage.writes).toEqual([]);
    const refusal = open('opt-in', [[record(NONE), 'foreign']]);
    expect(refusal.state.needsDecision).toBe(false);
  });

  it('a legacy copy (this site, an older name) is believed like a current one', () => {
    const { state } = open('opt-in', [[record(ANALYTICS), 'legacy']]);
    expect(optional(state.grants)).toEqual(ANALYTICS);
  });

  it('two copies that grant different things read as neither, with a record that stays valid and is not extended', () => {
    // Both 300 days old: a refusal's lifetime (182 days) from their time would already be over.
    const a = record(ANALYTICS, { age: 300 * DAY });
    const b = record(ADS, { age: 300 * DAY });
    const { state, storage } = open('opt-out', [
      [a, 'current'],
      [b, 'current'],
    ]);
    expect(optional(state.grants)).toEqual(NONE);
    const expiresBefore = Math.min(
      decodeDecision(a, {
        revision: 1,
        regime: 'opt-in' as const,
        categories: ['analytics', 'advertising', 'social'],
        now: NOW,
        consentDays: 395,
        refusalDays: 182,
      })!.expires,
      NOW + 182 * DAY,
    );
    expect(state.decision!.expires).toBe(expiresBefore);
    expect(storage.writes).toHaveLength(1);
    const back = decodeDecision(storage.writes[0]!.value, {
      revision: 1,
      regime: 'opt-in' as const,
      categories: ['analytics', 'advertising', 'social'],
      now: NOW,
      consentDays: 395,
      refusalDays: 182,
    });
    expect(back && optional(back.grants)).toEqual(NONE);
  });
});

describe('a copy another host may have set, which this site must not delete', () => {
  it("is outranked by this site's own newer decision: the visitor decided here since", () => {
    for (const regime of ['opt-in', 'opt-out'] as const) {
      const { state } = open(regime, [
        [record(ALL, { age: DAY }), 'current'],
        [record(NONE, { age: 2 * DAY }), 'foreign'],
      ]);
      expect(optional(state.grants)).toEqual(ALL);
    }
  });

  it('still takes consent away when it is as new or newer (the visitor refused on the sibling since)', () => {
    const { state } = open('opt-in', [
      [record(ALL, { age: 2 * DAY }), 'current'],
      [record(NONE, { age: DAY }), 'foreign'],
    ]);
    expect(optional(state.grants)).toEqual(NONE);
  });

  it('never grants, however new', () => {
    const { state } = open('opt-in', [
      [record(NONE, { age: 2 * DAY }), 'current'],
      [record(ALL, { age: 0 }), 'foreign'],
    ]);
    expect(optional(state.grants)).toEqual(NONE);
  });
});

describe('lapsed copies', () => {
  it('an own lapsed refusal holds beside nothing newer, and is kept; a foreign one holds but is not adopted', () => {
    const old = record(ANALYTICS, { age: 400 * DAY });
    const own = open('opt-out', [[old, 'current']]);
    expect(own.state.decision).toBeNull();
    expect(own.state.optedOut).toBe(true);
    expect(own.storage.writes).toEqual([{ value: old, expires: NOW + 182 * DAY }]);
    const foreign = open('opt-out', [[old, 'foreign']]);
    expect(foreign.state.optedOut).toBe(true);
    expect(foreign.storage.writes).toEqual([]);
  });

  it('two lapsed copies hold what either refused', () => {
    const a = record({ analytics: false, advertising: true, social: true }, { age: 400 * DAY });
    const b = record({ analytics: true, advertising: false, social: true }, { age: 500 * DAY });
    const { state } = open('opt-out', [
      [a, 'current'],
      [b, 'legacy'],
    ]);
    expect(optional(state.grants)).toEqual({ analytics: false, advertising: false, social: true });
  });

  it('opt-in: two lapsed copies kept as one never read as consent on the next page', () => {
    const made = (age: number, regime: Regime, grants: Record<string, boolean>, days: number): string =>
      encodeDecision({
        schema: 1,
        revision: 1,
        id: `lapsed${String(++serial).padStart(8, '0')}`,
        time: NOW - age,
        expires: NOW - age + days * DAY,
        grants,
        method: 'opt-out',
        gpc: false,
        regime,
      });
    // The Do Not Sell link under opt-out (analytics only presumed), and a newer refusal made here
    // before analytics was a category: each lapsed under opt-in, their refusals holding.
    const presumed = made(30 * DAY, 'opt-out', { analytics: true, advertising: false, social: false }, 395);
    const since = made(DAY, 'opt-in', { advertising: false, social: false }, 182);
    const first = open('opt-in', [
      [since, 'current'],
      [presumed, 'legacy'],
    ]);
    expect(first.state.needsDecision).toBe(true);
    expect(optional(first.state.grants)).toEqual(NONE);
    const kept = first.storage.writes.map((w): [string, CopySource] => [w.value, 'current']);
    expect(kept).toHaveLength(1);
    const next = open('opt-in', kept);
    expect(next.state.needsDecision).toBe(true);
    expect(optional(next.state.grants)).toEqual(NONE);
  });

  it('a decision made since replaces a lapsed refusal', () => {
    const { state } = open('opt-out', [
      [record(ALL, { age: DAY }), 'current'],
      [record(NONE, { age: 400 * DAY }), 'legacy'],
    ]);
    expect(optional(state.grants)).toEqual(ALL);
  });
});

describe('copies are settled where the storage writes now', () => {
  it('a legacy or duplicated reading is written back once, its record unchanged', () => {
    const legacy = record(ALL);
    const { storage } = open('opt-in', [[legacy, 'legacy']]);
    expect(storage.writes).toEqual([
      {
        value: legacy,
        expires: decodeDecision(legacy, {
          revision: 1,
          regime: 'opt-in' as const,
          categories: ['analytics', 'advertising', 'social'],
          now: NOW,
          consentDays: 395,
          refusalDays: 182,
        })!.expires,
      },
    ]);
    // One that refuses something is kept a refusal's lifetime past its end (at most 13 months ahead).
    const partial = record(ANALYTICS);
    expect(open('opt-in', [[partial, 'legacy']]).storage.writes).toEqual([
      { value: partial, expires: NOW + 395 * DAY },
    ]);
    const refused = record(NONE);
    expect(
      open('opt-in', [
        [record(ALL), 'current'],
        [refused, 'foreign'],
      ]).storage.writes.map((w) => w.value),
    ).toEqual([refused]);
  });

  it('a single current copy is left alone', () => {
    expect(open('opt-in', [[record(ALL), 'current']]).storage.writes).toEqual([]);
  });

  it('a storage without readCopies is read through read() as before', () => {
    const value = record(ANALYTICS);
    const storage: ConsentStorage = { read: () => value, write: () => {}, remove: () => {} };
    expect(optional(createConsentStore({ storage, now }).get().grants)).toEqual(ANALYTICS);
  });
});

describe("a copy another host may have set never undoes this site's own lapsed record", () => {
  // The visitor decided here long ago; since then a sibling wrote a newer record on the parent domain.
  const lapsedRefusal = record(ANALYTICS, { age: 400 * DAY, method: 'opt-out' });
  const lapsedGrant = record(ALL, { age: 400 * DAY });
  const siblingGrant = record(ALL, { age: 0 });

  it('opt-in: a newer foreign grant is not consent beside a lapsed refusal, and is not adopted', () => {
    const { state, storage } = open('opt-in', [
      [lapsedRefusal, 'current'],
      [siblingGrant, 'foreign'],
    ]);
    expect(state.needsDecision).toBe(true);
    expect(optional(state.grants)).toEqual(NONE);
    expect(storage.writes.map((w) => w.value)).not.toContain(siblingGrant);
  });

  it('opt-in: a newer foreign grant is not consent beside a lapsed grant either', () => {
    const { state, storage } = open('opt-in', [
      [lapsedGrant, 'current'],
      [siblingGrant, 'foreign'],
    ]);
    expect(state.needsDecision).toBe(true);
    expect(optional(state.grants)).toEqual(NONE);
    expect(storage.writes).toEqual([]);
  });

  it('opt-out: a newer foreign grant does not lift a lapsed opt-out, which is still kept', () => {
    const { state, storage } = open('opt-out', [
      [lapsedRefusal, 'current'],
      [siblingGrant, 'foreign'],
    ]);
    expect(optional(state.grants)).toEqual(ANALYTICS);
    expect(state.optedOut).toBe(true);
    expect(storage.writes.map((w) => w.value)).toEqual([lapsedRefusal]);
  });

  it('opt-out: a partial decision starts from the opt-out still holding, not from the foreign grant', () => {
    const storage = storageOf([
      [lapsedRefusal, 'current'],
      [siblingGrant, 'foreign'],
    ]);
    const state = createConsentStore({ regime: 'opt-out', storage, now }).set({ analytics: false });
    expect(optional(state.grants)).toEqual(NONE);
  });
});

describe('a record from the future (a clock that ran ahead when it was written)', () => {
  const ahead = (grants: Grant, method: Decision['method'] = 'banner') => record(grants, { age: -3 * DAY, method });

  it("opt-out: this site's own opt-out still holds, and nothing is granted by it", () => {
    const { state } = open('opt-out', [[ahead(ANALYTICS, 'opt-out'), 'current']]);
    expect(state.optedOut).toBe(true);
    expect(optional(state.grants)).toEqual(ANALYTICS);
    const granted = open('opt-in', [[ahead(ALL), 'current']]);
    expect(granted.state.needsDecision).toBe(true);
    expect(optional(granted.state.grants)).toEqual(NONE);
  });

  it('one another host may have set is ignored: it could otherwise outrank every decision made here', () => {
    const { state } = open('opt-in', [
      [record(ALL), 'current'],
      [ahead(NONE), 'foreign'],
    ]);
    expect(optional(state.grants)).toEqual(ALL);
  });
});
