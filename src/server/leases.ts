// Lease stores: where the pool's numbers live. One interface, one adapter per engine (memory here,
// Redis in redis-leases.ts). Every operation is O(1) or O(log n) in leases held: a free set per
// target, leases ordered by expiry, numbers resting in quarantine ordered by the end of their rest.
// Expired leases are swept a bounded batch at a time by the operations themselves, never by a scan.
import type { ClientGuard, ClientLimits } from './guard.js';
import { E164 } from './protocol.js';
import { createRestQueue, type RestQueue } from './rest-queue.js';
import { createUseOrder } from './use-order.js';

/** The numbers a server hands out and how long. */
export interface PoolConfig {
  /** Tracking numbers by target (all E.164); each tracking number belongs to one target only. */
  numbers: Readonly<Record<string, readonly string[]>>;
  /** A shared number per target, given when all of the target's numbers are leased or resting. @default {} */
  overflow?: Readonly<Record<string, string>>;
  /** Seconds a lease lasts unless renewed (10 to 86400). @default 60 */
  ttl?: number;
  /** Seconds a released or expired number rests before anyone else gets it, so a call from an old page is not credited to the next visitor. @default 30 */
  quarantine?: number;
  /**
   * Live leases kept beyond the pool's own numbers: leases holding an overflow number, or no number
   * while every one is taken. A new lease that would be one more is refused (`full`) until one ends,
   * so however many sessions ask, the pool holds at most its numbers plus this many live leases.
   * @default 1000
   */
  overflowLeases?: number;
}

/** A pool configuration with every default applied. */
export interface ResolvedPool {
  /** Tracking numbers by target, as configured. */
  numbers: Readonly<Record<string, readonly string[]>>;
  /** The shared number per target (`{}` when none). */
  overflow: Readonly<Record<string, string>>;
  /** Lease length, ms. */
  ttlMs: number;
  /** Rest after a lease, ms. */
  quarantineMs: number;
  /** Live leases kept beyond the pool's own numbers. */
  overflowLeases: number;
}

/** A number given to a lease by this call. */
export interface Grant {
  /** The target (the site's own number) it stands for. */
  target: string;
  /** The tracking number given. */
  number: string;
  /** `own`: this lease's alone; `shared`: the target's overflow number. */
  kind: 'own' | 'shared';
}

/** A live lease as an operation leaves it. */
export interface LeaseView {
  /** The lease id (the visit's secret: answered only to the caller). */
  id: string;
  /** The session it belongs to. */
  session: string;
  /** The targets of the call being answered. */
  asked: string[];
  /** Numbers held by this lease alone, by target. */
  own: Record<string, string>;
  /** Overflow numbers, by target. */
  shared: Record<string, string>;
  /** When the lease ends unless renewed, ms since epoch. */
  expires: number;
  /** True when this call made the lease. */
  created: boolean;
  /** Numbers given by this call (to be recorded as the start of a lease period). */
  granted: Grant[];
}

/**
 * What assign answers: the lease, or `held` when the session holds a live lease the caller did not
 * name, with nothing changed. `holder` is that lease's id, for the server's own use: the HTTP
 * answer discloses nothing of it; `visit`, the visit the store keeps that lease for
 * ({@link AssignInput.visit}), when it keeps one. `full`: a new lease would hold no number of its
 * own and the pool keeps {@link PoolConfig.overflowLeases} such leases already; nothing changed.
 */
export type AssignResult =
  | { kind: 'ok'; lease: LeaseView }
  | { kind: 'held'; holder: string; visit?: string | undefined }
  | { kind: 'full' };

/** What renew answers: the lease, or `gone` (expired, released, never made, or another session's). */
export type RenewResult = { kind: 'ok'; lease: LeaseView } | { kind: 'gone' };

/** What release answers. */
export type ReleaseResult = { kind: 'released'; ended: number } | { kind: 'gone' };

/** What {@link LeaseStore.holder} answers: the id of the session's live lease, or none. */
export type HolderResult = { kind: 'held'; lease: string } | { kind: 'none' };

/** Input of {@link LeaseStore.assign}. */
export interface AssignInput {
  /** The visit's session id. */
  session: string;
  /** The page's targets. */
  targets: readonly string[];
  /** The id a new lease gets (random, made by the caller); ignored when the session has a lease. */
  id: string;
  /**
   * The lease id the caller holds, if any. A session's live lease is answered only to a caller
   * naming it: the lease id is what authorises renew and release, so it is never handed to someone
   * who knows only the session id.
   */
  lease?: string | undefined;
  /**
   * The visit a new lease belongs to: it gets the numbers of that visit still resting in quarantine
   * back before any free one. The caller vouches for it (`consentline/server` passes the visit its
   * records know the named lease to be of, else the new lease's own); never a value from a request.
   * @default the new lease's id (a visit of its own)
   */
  visit?: string | undefined;
  /** The time of the request, ms since epoch. */
  now: number;
}

/** Input of {@link LeaseStore.renew}. */
export interface RenewInput {
  /** The lease's session id. */
  session: string;
  /** The lease id. */
  lease: string;
  /** The page's targets; absent: the last ones asked. */
  targets?: readonly string[] | undefined;
  /** The time of the request, ms since epoch. */
  now: number;
}

/** Input of {@link LeaseStore.release}. */
export interface ReleaseInput {
  /** The lease's session id. */
  session: string;
  /** The lease id. */
  lease: string;
  /** The time of the request, ms since epoch (the numbers rest from then). */
  now: number;
  /**
   * The numbers were never shown (the answer that carried them failed): they are free at once, with
   * no rest, except those the lease took back from a rest, which rest on until it ends.
   */
  unused?: boolean;
  /** The visitor withdrew: the numbers rest remembering no visit, so none comes back to it. */
  forget?: boolean;
}

/** A number that must rest until `until` (ms since epoch): a page may still show it. */
export interface RestingNumber {
  /** The target it stands for. */
  target: string;
  /** The tracking number. */
  number: string;
  /** When its rest ends, ms since epoch. */
  until: number;
}

/**
 * Where leases live. Implementations must make each operation atomic (two server instances on one
 * store never hand one number to two live leases) and throw when the engine cannot be reached, so
 * the server answers 503 at once.
 */
export interface LeaseStore {
  /** The pool this store serves. */
  readonly pool: ResolvedPool;
  /**
   * Gives the session a lease: a new one when it holds none, its live one extended when the caller
   * names it, else `held` with nothing changed. Each target without a number gets the one its
   * visit left resting in quarantine (a lease of the visit ran out or ended, not by withdrawal),
   * else a free one: the rest keeps a number from other visitors, not from the visit that held it.
   */
  assign(input: AssignInput): Promise<AssignResult>;
  /** Extends a lease named by its id together with its session. */
  renew(input: RenewInput): Promise<RenewResult>;
  /** Ends a lease named by its id together with its session; its numbers rest in quarantine. */
  release(input: ReleaseInput): Promise<ReleaseResult>;
  /**
   * The session's live lease, for the server's own use: when a withdrawal erases a visit, a live
   * lease of that visit other than the one the withdrawal names (another page's) ends too.
   */
  holder(session: string, now: number): Promise<HolderResult>;
  /**
   * Rests each number that is free now until its `until`, or moves the end of its rest to `until`
   * when it rests less long; a number a live lease holds, or not configured, is left alone (a lease
   * that ran out ends first, its numbers resting from its end). A number resting after a lease of a
   * visit stays that visit's to take back, until the later end. The server calls it before its
   * first grant with what the records know (a store that forgot live leases would hand their
   * numbers out at once). A store that leaves it out gets no such recovery.
   */
  rest?(numbers: readonly RestingNumber[], now: number): Promise<void>;
  /** Resolves when the engine answers; throws when it does not. */
  ping(): Promise<void>;
  /** Frees connections. */
  close(): Promise<void>;
  /** Lists live leases and resting numbers, for a developer (`--dev`); stores that cannot list cheaply leave it out. */
  inspect?(): Promise<unknown>;
  /**
   * The per-client limits kept in this store, shared by every server instance on it (Redis).
   * Stores that leave it out get limits in each process's memory.
   */
  clientGuard?(limits: ClientLimits): ClientGuard;
}

/** Checks a pool configuration and applies its defaults; a mistake throws an Error naming the option. */
export function resolvePool(config: PoolConfig): ResolvedPool {
  const { numbers, overflow = {}, ttl = 60, quarantine = 30, overflowLeases = 1000 } = config;
  if (!numbers || typeof numbers !== 'object')
    throw new Error('numbers: expected { "<target>": ["<tracking number>", …] }');
  const seen = new Set<string>();
  for (const [target, list] of Object.entries(numbers)) {
    if (!E164.test(target)) throw new Error(`numbers: target ${JSON.stringify(target)} is not E.164`);
    if (!Array.isArray(list)) throw new Error(`numbers: ${target} must list tracking numbers`);
    for (const n of list) {
      if (typeof n !== 'string' || !E164.test(n))
        throw new Error(`numbers: ${JSON.stringify(n)} (for ${target}) is not E.164`);
      // One number under two targets would be handed to two visitors at once.
      if (seen.has(n)) throw new Error(`numbers: ${n} is listed twice`);
      seen.add(n);
    }
  }
  for (const [target, n] of Object.entries(overflow)) {
    if (!E164.test(target) || typeof n !== 'string' || !E164.test(n))
      throw new Error(`overflow: ${target} → ${String(n)} is not E.164`);
    if (seen.has(n)) throw new Error(`overflow: ${n} is also a pool number; an overflow number must be shared only`);
  }
  if (!Number.isInteger(ttl) || ttl < 10 || ttl > 86400)
    throw new Error('ttl: expected whole seconds from 10 to 86400');
  if (!Number.isInteger(quarantine) || quarantine < 0 || quarantine > 86400)
    throw new Error('quarantine: expected whole seconds from 0 to 86400');
  if (!Number.isInteger(overflowLeases) || overflowLeases < 0 || overflowLeases > 10_000_000)
    throw new Error('overflowLeases: expected a whole number from 0 to 10000000');
  return { numbers, overflow, ttlMs: ttl * 1000, quarantineMs: quarantine * 1000, overflowLeases };
}

/** Leases per operation swept from the expiry order: bounded, so no call pays for a backlog alone. */
export const SWEEP_BATCH = 100;

interface MemoryLease {
  session: string;
  asked: string[];
  own: Record<string, string>;
  shared: Record<string, string>;
  expires: number;
  /** The visit it belongs to ({@link AssignInput.visit}). */
  visit: string;
  /** The rests this lease ended early, by target: a release of numbers never shown puts them back. */
  back: Record<string, RestNote>;
}

/** A number resting after a lease of a visit, which may take it back before its rest ends. */
interface RestNote {
  target: string;
  number: string;
  session: string;
  visit: string;
  until: number;
}

/**
 * Leases in this process's memory: one machine, one server process (the embedded default); a
 * restart forgets them. Throws an Error naming the option (`numbers`, `overflow`, `ttl`,
 * `quarantine`) when `config` is invalid: a number that is not E.164, one listed twice, an
 * overflow number that is also a pool number, times out of range.
 *
 * @example
 * const leases = createMemoryLeaseStore({ numbers: { '+15551234567': ['+18885550101', '+18885550102'] } });
 */
// An order of leases (use-order.ts) stands in for the sorted set of leases by expiry, which it is
// here: every lease is moved to the back at `now + ttl`, a constant, so that order is expiry order
// and the oldest entry is always first. Rests are not noted in the order they end (a lease found to
// have run out only later rests from its end), so they wait in a heap (rest-queue.ts). A resting
// number's visit is noted beside it, and the numbers by visit, as the Redis store's keys are.
export function createMemoryLeaseStore(config: PoolConfig): LeaseStore {
  const pool = resolvePool(config);
  const leases = createUseOrder<MemoryLease>();
  // The leases holding no number of their own, in expiry order as `leases` is: the ones the cap counts.
  const spare = createUseOrder<MemoryLease>();
  const sessions = new Map<string, string>();
  const free = new Map<string, Set<string>>();
  const resting = new Map<string, RestQueue>();
  // The target of each pool number, and the lease holding it (as the Redis store's `held`).
  const targetOf = new Map<string, string>();
  const holders = new Map<string, string>();
  for (const [target, list] of Object.entries(pool.numbers)) {
    free.set(target, new Set(list));
    resting.set(target, createRestQueue());
    for (const n of list) targetOf.set(n, target);
  }
  const notes = new Map<string, RestNote>();
  // Resting numbers of each visit, by target.
  const byVisit = new Map<string, Map<string, string>>();
  const unnote = (number: string): void => {
    const note = notes.get(number);
    if (!note) return;
    notes.delete(number);
    const entry = byVisit.get(note.visit);
    if (entry?.get(note.target) !== number) return;
    entry.delete(note.target);
    if (!entry.size) byVisit.delete(note.visit);
  };
  const remember = (note: RestNote): void => {
    unnote(note.number);
    notes.set(note.number, note);
    const entry = byVisit.get(note.visit) ?? new Map<string, string>();
    entry.set(note.target, note.number);
    byVisit.set(note.visit, entry);
  };
  // The number of `visit` resting for `target`, while its rest lasts: only that session's.
  const restingFor = (visit: string, session: string, target: string, now: number): RestNote | undefined => {
    const number = byVisit.get(visit)?.get(target);
    const note = number === undefined ? undefined : notes.get(number);
    return note && note.session === session && note.until > now ? note : undefined;
  };

  // A lease keeps only the targets this pool serves: the others never get a number, and a body
  // may name 500 invented ones, kept for every lease of a flood.
  const served = (target: string): boolean => free.has(target) || pool.overflow[target] !== undefined;
  // A number taken back from a rest rests at least until that rest would have ended: pages of the
  // lease it came from may show it until then. `note`: whether its visit may take it back.
  const drop = (id: string, lease: MemoryLease, end: number, restMs = pool.quarantineMs, note = true): void => {
    leases.delete(id);
    spare.delete(id);
    if (sessions.get(lease.session) === id) sessions.delete(lease.session);
    for (const [target, n] of Object.entries(lease.own)) {
      holders.delete(n);
      const taken = lease.back[target];
      const kept = taken?.number === n && taken.until > end + restMs ? taken : undefined;
      const until = kept ? kept.until : end + restMs;
      if (until <= end) {
        free.get(target)?.add(n);
        continue;
      }
      resting.get(target)?.add(n, until);
      if (note) remember({ target, number: n, session: lease.session, visit: lease.visit, until });
    }
  };
  // Drops the leases of `order` (all, or the spare ones) that ran out: a bounded batch, so each
  // call takes its share.
  const sweep = (now: number, order = leases): void => {
    for (let budget = SWEEP_BATCH; budget > 0; budget--) {
      const first = order.first();
      if (!first || first.value.expires > now) return;
      drop(first.key, first.value, first.value.expires);
    }
  };
  const freeNow = (target: string, now: number): Set<string> | undefined => {
    const set = free.get(target);
    const rest = resting.get(target);
    if (!set || !rest) return undefined;
    for (const n of rest.takeDue(now)) {
      unnote(n);
      set.add(n);
    }
    return set;
  };
  const takeFree = (target: string, now: number): string | undefined => {
    const set = freeNow(target, now);
    if (!set) return undefined;
    for (const n of set) {
      set.delete(n);
      return n;
    }
    return undefined;
  };
  // A number once shown stays for the lease (an overflow number is not swapped mid-visit for a
  // freed one); a target left without any gets one as soon as one is free.
  const extend = (
    id: string,
    lease: MemoryLease,
    asked: readonly string[] | undefined,
    now: number,
    created: boolean,
  ): LeaseView => {
    lease.expires = now + pool.ttlMs;
    leases.setLast(id, lease);
    if (asked) lease.asked = asked.filter(served);
    const granted: Grant[] = [];
    for (const target of lease.asked) {
      if (lease.own[target] || lease.shared[target]) continue;
      const noted = restingFor(lease.visit, lease.session, target, now);
      const back = noted && resting.get(target)?.remove(noted.number) ? noted : undefined;
      if (back) {
        unnote(back.number);
        lease.back[target] = back;
      }
      const n = back?.number ?? takeFree(target, now);
      const shared = pool.overflow[target];
      if (n) {
        lease.own[target] = n;
        holders.set(n, id);
        granted.push({ target, number: n, kind: 'own' });
      } else if (shared) {
        lease.shared[target] = shared;
        granted.push({ target, number: shared, kind: 'shared' });
      }
    }
    if (Object.keys(lease.own).length) spare.delete(id);
    else spare.setLast(id, lease);
    return {
      id,
      session: lease.session,
      asked: [...lease.asked],
      own: { ...lease.own },
      shared: { ...lease.shared },
      expires: lease.expires,
      created,
      granted,
    };
  };
  // Leases that ran out leave the count first.
  const spareRoom = (now: number): boolean => {
    sweep(now, spare);
    return spare.size < pool.overflowLeases;
  };
  const live = (id: string, session: string, now: number): MemoryLease | undefined => {
    const lease = leases.get(id);
    if (!lease || lease.session !== session) return undefined;
    if (lease.expires > now) return lease;
    drop(id, lease, lease.expires);
    return undefined;
  };

  return {
    pool,
    async assign({ session, targets, id, lease: proof, visit = id, now }) {
      sweep(now);
      const existing = sessions.get(session);
      const lease = existing ? live(existing, session, now) : undefined;
      if (existing && lease)
        return existing === proof
          ? { kind: 'ok', lease: extend(existing, lease, targets, now, false) }
          : { kind: 'held', holder: existing, visit: lease.visit };
      const fills = (target: string) => freeNow(target, now)?.size || restingFor(visit, session, target, now);
      if (!targets.some(fills) && !spareRoom(now)) return { kind: 'full' };
      const made: MemoryLease = { session, asked: [], own: {}, shared: {}, expires: 0, visit, back: {} };
      leases.setLast(id, made);
      sessions.set(session, id);
      return { kind: 'ok', lease: extend(id, made, targets, now, true) };
    },
    async renew({ session, lease: id, targets, now }) {
      sweep(now);
      const lease = live(id, session, now);
      return lease ? { kind: 'ok', lease: extend(id, lease, targets, now, false) } : { kind: 'gone' };
    },
    async release({ session, lease: id, now, unused = false, forget = false }) {
      const lease = live(id, session, now);
      if (!lease) return { kind: 'gone' };
      drop(id, lease, now, unused ? 0 : pool.quarantineMs, !forget);
      return { kind: 'released', ended: now };
    },
    async holder(session, now) {
      const id = sessions.get(session);
      return id !== undefined && live(id, session, now) ? { kind: 'held', lease: id } : { kind: 'none' };
    },
    // A lease that ran out unnoticed ends first, as a sweep would end it. A number resting for its
    // visit stays the visit's to take back: the note moves with the end of its rest.
    async rest(numbers, now) {
      for (const { target, number, until } of numbers) {
        if (until <= now || targetOf.get(number) !== target) continue;
        const holder = holders.get(number);
        const lease = holder === undefined ? undefined : leases.get(holder);
        if (holder !== undefined && lease && live(holder, lease.session, now)) continue;
        const set = freeNow(target, now);
        const queue = resting.get(target);
        if (!set || !queue) continue;
        if (set.delete(number)) {
          queue.add(number, until);
          continue;
        }
        const end = queue.endOf(number);
        if (end === undefined || end >= until) continue;
        queue.add(number, until);
        const note = notes.get(number);
        if (note?.until === end) notes.set(number, { ...note, until });
      }
    },
    async ping() {},
    async close() {},
    async inspect() {
      const rest = [...resting].map(([target, numbers]) => [target, numbers.list()]);
      return {
        leases: [...leases.entries()].map(([, l]) => ({ ...l })),
        free: Object.fromEntries([...free].map(([t, set]) => [t, [...set]])),
        resting: Object.fromEntries(rest),
      };
    },
  };
}
