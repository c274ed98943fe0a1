// Withdrawals the pool server has not taken yet, kept in localStorage past the page so that a
// later page sends them: the visitor's request to erase the visit, so only its session id and
// lease id, never the visit's context. Written only when the server could not take a withdrawal,
// and removed once it has.
import { LEASE_ID, SESSION_ID } from './context.js';
import type { PendingForget } from './pool.js';

// The most kept at once (each withdrawal of a visit the server could not take is one).
const MAX = 10;

/** The kept withdrawals of a pool session. */
export interface ForgetLedger {
  /** The kept withdrawals, oldest first; a malformed entry is left out, unreadable storage is none. */
  read(): PendingForget[];
  /** Keeps a withdrawal the server could not take. */
  add(forget: PendingForget): void;
  /** Drops one the server has now answered. */
  drop(forget: PendingForget): void;
}

const isPending = (v: unknown): v is PendingForget => {
  const { session, lease } = (v && typeof v === 'object' ? v : {}) as Record<string, unknown>;
  return typeof session === 'string' && SESSION_ID.test(session) && typeof lease === 'string' && LEASE_ID.test(lease);
};

/** Creates the ledger kept under `key` in localStorage; storage that is missing or throws keeps nothing. */
export function createForgetLedger(key: string): ForgetLedger {
  const read = (): PendingForget[] => {
    try {
      const list: unknown = JSON.parse(localStorage.getItem(key) ?? '[]');
      return Array.isArray(list) ? list.filter(isPending) : [];
    } catch {
      return [];
    }
  };
  const write = (list: PendingForget[]): void => {
    try {
      if (list.length) localStorage.setItem(key, JSON.stringify(list.slice(-MAX)));
      else localStorage.removeItem(key);
    } catch {
      // No storage: the withdrawal is still sent again while the page is open.
    }
  };
  return {
    read,
    // One entry per withdrawal: the session adds it once, at its first failure.
    add: (f) => write([...read(), f]),
    drop(f) {
      const list = read();
      const rest = list.filter((x) => x.session !== f.session || x.lease !== f.lease);
      if (rest.length < list.length) write(rest);
    },
  };
}
