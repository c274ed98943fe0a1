// A table of per-client entries in memory with a bound: a flood of distinct clients (an IPv6
// prefix shorter than /64 holds millions of /64s) cannot grow it without limit. Entries are kept in
// order of last use (use-order.ts), so the least recently used is first; idle entries (ones that
// no longer limit anything) are dropped from the front as new clients come, O(1) amortised. A
// full table also looks a few entries past a front one that still limits something (a long lease
// never renewed), moving those to the back. When the table is full of entries that still limit
// something, none is evicted: evicting one would hand its client a fresh allowance, which is what
// a flooder wants. Newcomers share one entry instead, until entries go idle.
import { createUseOrder } from './use-order.js';

/** Entries that still limit something a full table looks past, per new client. */
const LOOK_PAST = 4;

/** Options of {@link createClientTable}. */
export interface ClientTableOptions<V> {
  /** Clients with an entry of their own at most. */
  capacity: number;
  /** A new entry. */
  make(now: number): V;
  /** True when an entry limits nothing any more, so dropping it changes no answer. */
  idle(value: V, now: number): boolean;
}

/** Per-client entries, bounded (see {@link createClientTable}). */
export interface ClientTable<V> {
  /** The client's entry, made if there is room, else the entry newcomers share; marks it used. */
  use(client: string, now: number): V;
  /** The client's entry if it has one, else the shared entry if any, without making either. */
  find(client: string): V | undefined;
  /** Drops every idle entry (a full scan: for the periodic purge). */
  prune(now: number): void;
  /** Clients with an entry of their own. */
  readonly size: number;
}

/** Creates an empty {@link ClientTable}. */
export function createClientTable<V>({ capacity, make, idle }: ClientTableOptions<V>): ClientTable<V> {
  const entries = createUseOrder<V>();
  let shared: V | undefined;
  const makeRoom = (now: number): void => {
    let looked = 0;
    while (looked < LOOK_PAST) {
      const first = entries.first();
      if (!first) return;
      if (idle(first.value, now)) {
        entries.delete(first.key);
        continue;
      }
      if (entries.size < capacity) return;
      entries.touch(first.key);
      looked++;
    }
  };
  return {
    use(client, now) {
      const own = entries.get(client);
      if (own !== undefined) {
        entries.touch(client);
        return own;
      }
      makeRoom(now);
      if (entries.size < capacity) {
        const made = make(now);
        entries.setLast(client, made);
        return made;
      }
      if (shared === undefined || idle(shared, now)) shared = make(now);
      return shared;
    },
    find: (client) => entries.get(client) ?? shared,
    prune(now) {
      for (const [client, value] of entries.entries()) if (idle(value, now)) entries.delete(client);
      if (shared !== undefined && idle(shared, now)) shared = undefined;
    },
    get size() {
      return entries.size;
    },
  };
}
