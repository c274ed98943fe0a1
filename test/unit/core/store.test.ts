import { describe, expect, it, vi } from 'vitest';
import { createConsentStore } from '../../../src/core/store';
import { createMemoryStorage } from '../../../src/core/memory-storage';
import { decodeDecision, encodeDecision } from '../../../src/core/decision';
import type { ConsentState, ConsentStorage } from '../../../src/core/types';

const DAY = 86_400_000;
const clock = (start = Date.UTC(2026, 0, 1)) => {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
};

describe('createConsentStore', () => {
  it('starts with nothing non-essential in opt-in and asks for a decision', () => {
    const s = createConsentStore();
    expect(s.get()).toMatchObject({
      decision: null,
      needsDecision: true,
      regime: 'opt-in',
      grants: { necessary: true, analytics: false, advertising: false, social: false },
    });
    expect(s.categories.map((c) => c.id)).toEqual(['necessary', 'analytics', 'advertising', 'social']);
    expect(s.categories.filter((c) => c.saleShare).map((c) => c.id)).toEqual(['advertising', 'social']);
  });

  it('grants everything by default in opt-out, without asking', () => {
    const s = createConsentStore({ regime: 'opt-out' });
    expect(s.get().needsDecision).toBe(false);
    expect(s.get().grants).toEqual({ necessary: true, analytics: true, advertising: true, social: true });
  });

  it('records a decision with schema, revision, time, method and gpc, and persists it', () => {
    const c = clock();
    const storage = createMemoryStorage();
    const s = createConsentStore({ storage, now: c.now, revision: 3 });
    const state = s.set({ analytics: true }, 'preferences');
    expect(state.decision).toMatchObject({ schema: 1, revision: 3, time: c.now(), method: 'preferences', gpc: false });
    expect(state.decision!.grants).toEqual({ analytics: true, advertising: false, social: false });
    const again = createConsentStore({ storage, now: c.now, revision: 3 });
    expect(again.get().grants).toEqual(state.grants);
  });

  it('keeps consent 395 days and a refusal 182 days by default, and never extends silently', () => {
    const c = clock();
    const storage = createMemoryStorage();
    const s = createConsentStore({ storage, now: c.now });
    expect(s.acceptAll().decision!.expires - c.now()).toBe(395 * DAY);
    expect(s.rejectAll().decision!.expires - c.now()).toBe(182 * DAY);
    const written = storage.read();
    c.advance(100 * DAY);
    createConsentStore({ storage, now: c.now }).get();
    expect(storage.read()).toBe(written);
    c.advance(83 * DAY);
    expect(createConsentStore({ storage, now: c.now }).get().needsDecision).toBe(true);
  });

  it('clamps configured lifetimes to 395 days', () => {
    const c = clock();
    const s = createConsentStore({ now: c.now, consentDays: 5000, refusalDays: 0 });
    expect(s.acceptAll().decision!.expires - c.now()).toBe(395 * DAY);
    expect(s.rejectAll().decision!.expires - c.now()).toBe(1 * DAY);
  });

  it('asks again after a policy revision bump', () => {
    const storage = createMemoryStorage();
    createConsentStore({ storage, revision: 1 }).acceptAll();
    expect(createConsentStore({ storage, revision: 1 }).get().needsDecision).toBe(false);
    expect(createConsentStore({ storage, revision: 2 }).get().needsDecision).toBe(true);
  });

  it('asks again when the configured categories change', () => {
    const storage = createMemoryStorage();
    createConsentStore({ storage }).acceptAll();
    const s = createConsentStore({ storage, categories: [{ id: 'chat', label: 'Chat' }] });
    expect(s.get().needsDecision).toBe(true);
    expect(s.get().grants['chat']).toBe(false);
  });

  it('expires a decision during the page session', () => {
    const c = clock();
    const s = createConsentStore({ now: c.now, refusalDays: 1 });
    s.rejectAll();
    c.advance(DAY + 1);
    expect(s.get().needsDecision).toBe(true);
  });

  it('GPC denies sale/share categories in every regime, and acceptAll does not override it', () => {
    for (const regime of ['opt-in', 'opt-out'] as const) {
      const s = createConsentStore({ regime, gpc: true });
      expect(s.get().grants['advertising']).toBe(false);
      expect(s.get().grants['social']).toBe(false);
      expect(s.get().optedOut).toBe(true);
      const state = s.acceptAll('banner');
      expect(state.grants).toEqual({ necessary: true, analytics: true, advertising: false, social: false });
      expect(state.decision!.gpc).toBe(true);
      expect(state.decision!.grants['advertising']).toBe(false);
    }
  });

  it('GPC toggling between pages: what was refused under it stays refused; a grant made without it yields to it', () => {
    const storage = createMemoryStorage();
    createConsentStore({ storage, gpc: true }).acceptAll('banner');
    const off = createConsentStore({ storage, gpc: false }).get();
    expect(off.grants).toEqual({ necessary: true, analytics: true, advertising: false, social: false });
    createConsentStore({ storage, gpc: false }).acceptAll('banner');
    const on = createConsentStore({ storage, gpc: true }).get();
    expect(on.grants).toEqual({ necessary: true, analytics: true, advertising: false, social: false });
    expect(on.optedOut).toBe(true);
  });

  it('optOut denies every sale/share category and keeps the others', () => {
    const s = createConsentStore({ regime: 'opt-out', categories: [{ id: 'chat', saleShare: true }] });
    const state = s.optOut();
    expect(state.grants).toEqual({ necessary: true, analytics: true, advertising: false, social: false, chat: false });
    expect(state.optedOut).toBe(true);
    expect(state.decision!.method).toBe('opt-out');
  });

  it('a decision made where consent is presumed grants nothing on a visit that needs consent; its refusals hold', () => {
    const storage = createMemoryStorage();
    // The Do Not Sell link under the opt-out regime keeps what was on by default.
    createConsentStore({ storage, regime: 'opt-out' }).optOut();
    expect(createConsentStore({ storage, regime: 'opt-out' }).get()).toMatchObject({
      needsDecision: false,
      optedOut: true,
      grants: { analytics: true, advertising: false },
    });
    // A later visit under opt-in (the region hint changed) asks, and grants nothing meanwhile.
    const s = createConsentStore({ storage, regime: 'opt-in' });
    expect(s.get()).toMatchObject({
      decision: null,
      needsDecision: true,
      optedOut: true,
      grants: { necessary: true, analytics: false, advertising: false, social: false },
    });
    // What the visitor then decides counts everywhere.
    s.set({ analytics: true }, 'preferences');
    expect(createConsentStore({ storage, regime: 'opt-in' }).get().grants).toMatchObject({ analytics: true });
    expect(createConsentStore({ storage, regime: 'opt-out' }).get().grants).toMatchObject({ analytics: true });
  });

  it('a refusal made where consent is presumed is a decision under opt-in too', () => {
    const storage = createMemoryStorage();
    createConsentStore({ storage, regime: 'opt-out' }).rejectAll('preferences');
    expect(createConsentStore({ storage, regime: 'opt-in' }).get()).toMatchObject({
      needsDecision: false,
      grants: { analytics: false, advertising: false, social: false },
    });
  });

  it('a decision made under opt-in keeps its grants under opt-out, the Do Not Sell link included', () => {
    const storage = createMemoryStorage();
    const s = createConsentStore({ storage, regime: 'opt-in' });
    s.acceptAll('banner');
    s.optOut();
    expect(createConsentStore({ storage, regime: 'opt-in' }).get()).toMatchObject({
      needsDecision: false,
      grants: { analytics: true, advertising: false, social: false },
    });
  });

  it('tells listeners of a decision that lapsed, found by a read, a microtask later and before any later change', async () => {
    const c = clock();
    const s = createConsentStore({ now: c.now, consentDays: 1 });
    s.acceptAll();
    const heard: string[] = [];
    s.subscribe((next, previous) => heard.push(`${previous.grants['analytics']}->${next.grants['analytics']}`));
    c.advance(2 * DAY);
    expect(s.get().decision).toBeNull();
    expect(heard).toEqual([]);
    await Promise.resolve();
    expect(heard).toEqual(['true->false']);
    // Found by a read, then a decision before the microtask: both are heard, in order.
    s.acceptAll();
    c.advance(2 * DAY);
    s.get();
    s.rejectAll();
    expect(heard).toEqual(['true->false', 'false->true', 'true->false', 'false->false']);
    await Promise.resolve();
    expect(heard).toHaveLength(4);
  });

  it('a listener that decides while hearing a flushed lapse: every listener hears each state once, in order, ending with the current one', () => {
    const c = clock();
    const s = createConsentStore({ now: c.now, consentDays: 1 });
    const accepted = s.acceptAll('banner');
    const heard = { first: [] as ConsentState[], second: [] as ConsentState[] };
    const chains = { first: [] as boolean[], second: [] as boolean[] };
    let asked = false;
    for (const name of ['first', 'second'] as const) {
      s.subscribe((next, previous) => {
        // Each change starts where the one this listener heard before ended.
        chains[name].push(previous === (heard[name].at(-1) ?? accepted));
        heard[name].push(next);
        if (name === 'first' && !asked && next.decision === null) {
          asked = true;
          s.set({ analytics: true }, 'preferences');
        }
      });
    }
    c.advance(2 * DAY);
    expect(s.get().decision).toBeNull();
    // A decision before the lapse is told flushes it; the first listener decides as it hears it.
    s.rejectAll('banner');
    expect(asked).toBe(true);
    const method = (state: ConsentState) => state.decision?.method ?? 'lapsed';
    for (const name of ['first', 'second'] as const) {
      expect(heard[name].map(method)).toEqual(['lapsed', 'banner', 'preferences']);
      expect(heard[name].at(-1)).toBe(s.get());
      expect(chains[name]).toEqual([true, true, true]);
    }
  });

  it('a listener that decides while hearing a change: the others hear both changes once, in order', () => {
    const s = createConsentStore();
    const heard: string[] = [];
    let nested: ConsentState | undefined;
    let asked = false;
    s.subscribe((next) => {
      heard.push(`first ${next.grants['analytics']}`);
      if (asked) return;
      asked = true;
      nested = s.set({ analytics: false });
    });
    s.subscribe((next, previous) => heard.push(`second ${previous.grants['analytics']}->${next.grants['analytics']}`));
    s.acceptAll();
    expect(heard).toEqual(['first true', 'second false->true', 'first false', 'second true->false']);
    expect(s.get()).toBe(nested);
  });

  it('a listener that decides on every change it hears is stopped and reported, never left telling forever', () => {
    const onError = vi.fn();
    const s = createConsentStore({ onError });
    let heard = 0;
    // Each `set` is a new decision (a new id and time), so this listener answers every change
    // with another; it gives up by itself only so that a store that never stops cannot hang the test.
    s.subscribe((next) => {
      heard += 1;
      if (heard < 10_000) s.set({ advertising: next.grants['analytics'] === true });
    });
    const other: ConsentState[] = [];
    s.subscribe((next) => other.push(next));
    s.acceptAll();
    expect(heard).toBeLessThan(1_000);
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ message: expect.stringMatching(/listener/) }));
    // The others heard the changes told, once each, in order; the store is usable afterwards.
    expect(other).toHaveLength(heard);
    expect(s.rejectAll().grants['analytics']).toBe(false);
  });

  it('past the cutoff the listeners end having heard the current state; one that decides again as it hears it is counted in the report', () => {
    for (const stopsAt of [10_000, 101]) {
      const onError = vi.fn();
      const s = createConsentStore({ onError });
      let heard = 0;
      const last: Record<string, ConsentState> = {};
      s.subscribe((next) => {
        last['before'] = next;
      });
      s.subscribe((next) => {
        heard += 1;
        last['deciding'] = next;
        if (heard < stopsAt) s.set({ advertising: next.grants['analytics'] === true });
      });
      s.subscribe((next) => {
        last['after'] = next;
      });
      s.acceptAll();
      expect(heard).toBeLessThan(1_000);
      const current = s.get();
      expect([last['before'] === current, last['after'] === current], `stops at ${stopsAt}`).toEqual([true, true]);
      // One that stopped deciding when told the latest heard it too, and the report names nobody.
      expect(last['deciding'] === current).toBe(stopsAt === 101);
      expect(onError).toHaveBeenCalledTimes(1);
      expect(onError.mock.calls[0]![0].message).toBe(
        'subscribe: listeners decided on every change they heard; past 100 changes they were told only the latest' +
          (stopsAt === 101 ? '' : '; 1 listener(s) that decided again have not heard the current state'),
      );
    }
  });

  it('a listener unsubscribed, or a store destroyed, by another listener hears nothing more, not even the change being told', () => {
    const s = createConsentStore();
    const heard: string[] = [];
    let offSecond = () => {};
    s.subscribe(() => {
      heard.push('first');
      offSecond();
    });
    offSecond = s.subscribe(() => heard.push('second'));
    s.acceptAll();
    expect(heard).toEqual(['first']);

    const t = createConsentStore();
    const told: string[] = [];
    t.subscribe(() => {
      told.push('first');
      t.destroy();
    });
    t.subscribe(() => told.push('second'));
    t.acceptAll();
    t.rejectAll();
    expect(told).toEqual(['first']);
  });

  it('set rejects unknown categories and non-boolean grants, naming them', () => {
    const s = createConsentStore();
    // @ts-expect-error an id the store does not know is a compile error too
    expect(() => s.set({ bogus: true })).toThrow(/bogus/);
    expect(() => s.set({ analytics: 'yes' as unknown as boolean })).toThrow(/analytics/);
    expect(s.get().decision).toBeNull();
  });

  it('necessary cannot be refused', () => {
    const s = createConsentStore();
    expect(s.set({ necessary: false }).grants['necessary']).toBe(true);
  });

  it('notifies subscribers once per change; a throwing listener does not stop the others', () => {
    const onError = vi.fn();
    const s = createConsentStore({ onError });
    const seen: string[] = [];
    s.subscribe(() => {
      throw new Error('boom');
    });
    const off = s.subscribe((state, prev) => seen.push(`${prev.grants['analytics']}->${state.grants['analytics']}`));
    s.acceptAll();
    expect(seen).toEqual(['false->true']);
    expect(onError).toHaveBeenCalledOnce();
    off();
    s.rejectAll();
    expect(seen).toHaveLength(1);
  });

  it('refresh picks up a decision written by another tab; watch is cleaned up on destroy', () => {
    let fire: () => void = () => {};
    const unwatch = vi.fn();
    const inner = createMemoryStorage();
    const storage: ConsentStorage = {
      ...inner,
      watch: (cb) => {
        fire = cb;
        return unwatch;
      },
    };
    const s = createConsentStore({ storage });
    const listener = vi.fn();
    s.subscribe(listener);
    createConsentStore({ storage: inner }).acceptAll();
    fire();
    expect(s.get().grants['analytics']).toBe(true);
    expect(listener).toHaveBeenCalledOnce();
    s.destroy();
    expect(unwatch).toHaveBeenCalledOnce();
  });

  it('a storage that throws never breaks the store', () => {
    const storage: ConsentStorage = {
      read: () => {
        throw new Error('denied');
      },
      write: () => {
        throw new Error('denied');
      },
      remove: () => {
        throw new Error('denied');
      },
    };
    const s = createConsentStore({ storage });
    expect(s.get().needsDecision).toBe(true);
    expect(s.acceptAll().grants['analytics']).toBe(true);
    expect(s.reset().needsDecision).toBe(true);
  });

  it('throws on developer mistakes, naming the option', () => {
    expect(() => createConsentStore({ regime: 'eu' as 'opt-in' })).toThrow(/regime/);
    expect(() => createConsentStore({ revision: -1 })).toThrow(/revision/);
    expect(() => createConsentStore({ categories: [{ id: 'Bad Id' }] })).toThrow(/category id/);
    expect(() => createConsentStore({ categories: [{ id: 'x' }, { id: 'x' }] })).toThrow(/duplicate/);
  });

  it('reads back a decision over as many categories as the script tag accepts, and refuses more than a record holds', () => {
    const many = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ id: `c${String(i).padStart(31, '0')}`, saleShare: true }));
    const storage = createMemoryStorage();
    createConsentStore({ regime: 'opt-out', storage, categories: many(20) }).optOut();
    const next = createConsentStore({ regime: 'opt-out', storage, categories: many(20) }).get();
    expect(next.optedOut).toBe(true);
    expect(next.decision?.method).toBe('opt-out');
    // Written, such a record would read as no decision on the next page: an opt-out lost.
    expect(() => createConsentStore({ regime: 'opt-out', categories: many(40) })).toThrow(/categories/);
  });
});

describe('decision encoding', () => {
  const ctx = {
    revision: 1,
    regime: 'opt-in' as const,
    categories: ['analytics', 'advertising', 'social'],
    now: Date.UTC(2026, 0, 2),
    consentDays: 395,
    refusalDays: 182,
  };
  const base = {
    schema: 1,
    revision: 1,
    id: 'abcdefghij12',
    time: Date.UTC(2026, 0, 1),
    expires: Date.UTC(2026, 0, 1) + 100 * DAY,
    grants: { analytics: true, advertising: false, social: false },
    method: 'banner' as const,
    gpc: false,
    regime: 'opt-in' as const,
  };

  it('round-trips and stays compact', () => {
    const raw = encodeDecision(base);
    expect(raw.length).toBeLessThan(80);
    expect(decodeDecision(raw, ctx)).toEqual(base);
  });

  it('rejects records from the future, over-long lifetimes and wrong schemas', () => {
    expect(
      decodeDecision(encodeDecision({ ...base, time: ctx.now + 2 * DAY, expires: ctx.now + 3 * DAY }), ctx),
    ).toBeNull();
    expect(decodeDecision(encodeDecision({ ...base, expires: base.time + 396 * DAY }), ctx)).toBeNull();
    expect(
      decodeDecision(
        encodeDecision({
          ...base,
          grants: { analytics: false, advertising: false, social: false },
          expires: base.time + 200 * DAY,
        }),
        ctx,
      ),
    ).toBeNull();
    expect(decodeDecision(encodeDecision({ ...base, schema: 2 }), ctx)).toBeNull();
    expect(decodeDecision(encodeDecision(base).replace('analytics:1', 'analytics:true'), ctx)).toBeNull();
    expect(decodeDecision(encodeDecision(base) + '|analytics:1', ctx)).toBeNull();
  });
});

describe('withdrawal clears cookies through the storage', () => {
  const clearing = () => {
    const cleared: string[][] = [];
    const storage: ConsentStorage = {
      ...createMemoryStorage(),
      clearCookies: (patterns) => cleared.push([...patterns]),
    };
    return { storage, cleared };
  };
  const categories = [
    { id: 'analytics', cookies: ['_ga', '_ga_*'] },
    { id: 'advertising', cookies: ['_fbp'] },
  ] as const;

  it("clears only the withdrawn categories' cookies, before any listener runs", () => {
    const { storage, cleared } = clearing();
    const s = createConsentStore({ storage, categories });
    s.acceptAll();
    expect(cleared).toEqual([]);
    const seen: number[] = [];
    s.subscribe(() => seen.push(cleared.length));
    s.set({ analytics: false });
    expect(cleared).toEqual([['_ga', '_ga_*']]);
    expect(seen).toEqual([1]);
    s.rejectAll();
    expect(cleared).toEqual([['_ga', '_ga_*'], ['_fbp']]);
  });

  it('clears on every way a grant ends: reset, another tab, expiry during the page', () => {
    const c = clock();
    const inner = createMemoryStorage();
    const cleared: string[][] = [];
    const storage: ConsentStorage = { ...inner, clearCookies: (patterns) => cleared.push([...patterns]) };
    const s = createConsentStore({ storage, categories, now: c.now, consentDays: 1 });
    s.acceptAll();
    s.reset();
    expect(cleared).toHaveLength(1);
    s.acceptAll();
    // Another tab (its own storage object on the same jar) refuses.
    createConsentStore({ storage: inner, categories, now: c.now }).rejectAll();
    s.refresh();
    expect(cleared).toHaveLength(2);
    s.acceptAll();
    c.advance(DAY + 1);
    s.get();
    expect(cleared).toHaveLength(3);
  });

  it('a storage whose clearing throws reports it and the listeners still run', () => {
    const onError = vi.fn();
    const storage: ConsentStorage = {
      ...createMemoryStorage(),
      clearCookies: () => {
        throw new Error('denied');
      },
    };
    const s = createConsentStore({ storage, categories, onError });
    const listener = vi.fn();
    s.acceptAll();
    s.subscribe(listener);
    s.rejectAll();
    expect(onError).toHaveBeenCalledOnce();
    expect(listener).toHaveBeenCalledOnce();
  });
});

describe('a refusal holds until the visitor decides again', () => {
  /** A memory storage that also records the expiry of each write. */
  const keeping = () => {
    const inner = createMemoryStorage();
    const writes: number[] = [];
    const storage: ConsentStorage = {
      ...inner,
      write: (value, expires) => {
        writes.push(expires);
        inner.write(value, expires);
      },
    };
    return { storage, writes };
  };

  it('opt-out: a Do Not Sell still holds under a new policy revision; the visitor is asked again', () => {
    const { storage } = keeping();
    createConsentStore({ storage, regime: 'opt-out', revision: 1 }).optOut();
    const s = createConsentStore({ storage, regime: 'opt-out', revision: 2 });
    expect(s.get()).toMatchObject({
      decision: null,
      optedOut: true,
      grants: { necessary: true, analytics: true, advertising: false, social: false },
    });
    // A partial decision starts from what still holds.
    expect(s.set({ analytics: false }).grants).toEqual({
      necessary: true,
      analytics: false,
      advertising: false,
      social: false,
    });
    // Deciding again replaces it.
    expect(createConsentStore({ storage, regime: 'opt-out', revision: 2 }).acceptAll().grants['advertising']).toBe(
      true,
    );
  });

  it('opt-out: a Do Not Sell still holds once its record has ended, and is kept', () => {
    const c = clock();
    const { storage, writes } = keeping();
    createConsentStore({ storage, regime: 'opt-out', now: c.now }).optOut();
    c.advance(400 * DAY);
    const s = createConsentStore({ storage, regime: 'opt-out', now: c.now });
    expect(s.get()).toMatchObject({ decision: null, optedOut: true });
    expect(s.get().grants['advertising']).toBe(false);
    // Kept a refusal's lifetime from now, its record unchanged.
    expect(writes.at(-1)).toBe(c.now() + 182 * DAY);
  });

  it('opt-in: an ended refusal asks again (the banner shows) and grants nothing meanwhile', () => {
    const c = clock();
    const { storage } = keeping();
    createConsentStore({ storage, now: c.now }).rejectAll();
    c.advance(183 * DAY);
    expect(createConsentStore({ storage, now: c.now }).get()).toMatchObject({
      decision: null,
      needsDecision: true,
      optedOut: true,
      grants: { necessary: true, analytics: false, advertising: false, social: false },
    });
  });

  it("a record that refuses something is kept a refusal's lifetime past its end; one that refuses nothing is not", () => {
    const c = clock();
    const { storage, writes } = keeping();
    const s = createConsentStore({ storage, now: c.now });
    s.acceptAll();
    expect(writes.at(-1)).toBe(c.now() + 395 * DAY);
    s.rejectAll();
    expect(writes.at(-1)).toBe(c.now() + 364 * DAY);
    // A record that ends in 395 days is kept at most 13 months ahead.
    s.set({ analytics: true });
    expect(writes.at(-1)).toBe(c.now() + 395 * DAY);
  });

  it("reads from halfway through a refusing record's life renew its keep; earlier ones write nothing", () => {
    const c = clock();
    const { storage, writes } = keeping();
    createConsentStore({ storage, now: c.now }).set({ analytics: true });
    const made = c.now();
    c.advance(100 * DAY);
    createConsentStore({ storage, now: c.now }).get();
    expect(writes).toHaveLength(1);
    c.advance(100 * DAY);
    createConsentStore({ storage, now: c.now }).get();
    expect(writes).toHaveLength(2);
    expect(writes[1]).toBe(Math.min(made + 395 * DAY + 182 * DAY, c.now() + 395 * DAY));
  });

  it('a refusal that ends during the page keeps holding', () => {
    const c = clock();
    const s = createConsentStore({ regime: 'opt-out', now: c.now });
    s.optOut();
    c.advance(396 * DAY);
    expect(s.get()).toMatchObject({ decision: null, optedOut: true });
    expect(s.get().grants['advertising']).toBe(false);
  });

  it('an ended record that refused nothing counts for nothing', () => {
    const c = clock();
    const { storage, writes } = keeping();
    createConsentStore({ storage, regime: 'opt-out', now: c.now }).acceptAll();
    c.advance(400 * DAY);
    const s = createConsentStore({ storage, regime: 'opt-out', now: c.now });
    expect(s.get()).toMatchObject({ decision: null, optedOut: false });
    expect(writes).toHaveLength(1);
  });
});
