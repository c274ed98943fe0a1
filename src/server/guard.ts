// Abuse resistance that needs no storage: a rate limit and a cap on live leases per client, both
// in this process's memory only. The client key is a keyed hash of the connection's address made
// with a secret that lives and dies with the process, so not even memory holds the address itself.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Limits per client (one address, or one address behind a trusted proxy). */
export interface ClientLimits {
  /** Assign requests a client may make per minute, on average. @default 60 */
  perMinute?: number;
  /** Assign requests a client may make at once before the rate applies. @default 30 */
  burst?: number;
  /** Live leases one client may hold (a household or office shares an address). @default 20 */
  leases?: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

/** What {@link createClientGuard} returns. */
export interface ClientGuard {
  /** The in-memory key of a connection's address. */
  key(address: string): string;
  /** Takes one assign from the client's allowance; false when it is used up. */
  take(client: string, now: number): boolean;
  /** Whether the client may take a lease for `session` (one it holds already always may). */
  mayHold(client: string, session: string, now: number): boolean;
  /** Notes that the client's `session` holds a lease until `expires`. */
  hold(client: string, session: string, expires: number): void;
  /** Notes that a session's lease ended. */
  drop(client: string, session: string): void;
  /** Forgets entries that no longer limit anything. */
  prune(now: number): void;
}

/** Creates the per-client limits. */
export function createClientGuard(limits: ClientLimits = {}): ClientGuard {
  const { perMinute = 60, burst = 30, leases = 20 } = limits;
  const secret = randomBytes(32);
  const buckets = new Map<string, Bucket>();
  const held = new Map<string, Map<string, number>>();
  const refill = (bucket: Bucket, now: number): void => {
    bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.at) / 60_000) * perMinute);
    bucket.at = now;
  };
  const live = (client: string, now: number): Map<string, number> => {
    const sessions = held.get(client) ?? new Map<string, number>();
    for (const [session, expires] of sessions) if (expires <= now) sessions.delete(session);
    return sessions;
  };
  return {
    key: (address) => createHmac('sha256', secret).update(address).digest('base64url').slice(0, 22),
    take(client, now) {
      const bucket = buckets.get(client) ?? { tokens: burst, at: now };
      refill(bucket, now);
      buckets.set(client, bucket);
      if (bucket.tokens < 1) return false;
      bucket.tokens -= 1;
      return true;
    },
    mayHold(client, session, now) {
      const sessions = live(client, now);
      return sessions.has(session) || sessions.size < leases;
    },
    hold(client, session, expires) {
      const sessions = held.get(client) ?? new Map<string, number>();
      sessions.set(session, expires);
      held.set(client, sessions);
    },
    drop(client, session) {
      held.get(client)?.delete(session);
    },
    prune(now) {
      for (const [client, bucket] of buckets) {
        refill(bucket, now);
        if (bucket.tokens >= burst) buckets.delete(client);
      }
      for (const client of held.keys()) if (live(client, now).size === 0) held.delete(client);
    },
  };
}

/** Compares a request's `Authorization: Bearer …` with the token in constant time. */
export function hasToken(header: string | null, token: string): boolean {
  const match = /^Bearer (.+)$/.exec(header ?? '');
  if (!match?.[1] || !token) return false;
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(match[1]), digest(token));
}

/** A lease id: 18 random bytes, base64url (24 characters), which no one can guess. */
export const newLeaseId = (): string => randomBytes(18).toString('base64url');

/** The lease id as records keep it: a hash, so a database reader cannot renew or release a lease. */
export const leaseHash = (id: string): string => createHash('sha256').update(id).digest('base64url').slice(0, 32);
