// Abuse resistance that stores no address: a rate limit and a cap on live leases per client. The
// client key is a keyed hash (HMAC-SHA256) of the connection's address. In memory (this file) the
// key is random per process, so not even memory holds the address itself. With Redis
// (redis-leases.ts) the limits are shared by every instance, so the instances must share the key
// too: it comes from configuration (a secret, else the token), never from Redis, so a reader of
// Redis holds only hashes it cannot reverse; the entries expire within minutes.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Which allowance a request draws from: `ask` (assign, receipts) or `keep` (renew, release: what a
 * page sends while it holds a lease). Each client has one of each, of the same size, so a page
 * keeping its lease never uses up the client's assigns, nor a flood of assigns its renewals.
 */
export type Allowance = 'ask' | 'keep';

/** Limits per client (one address, or one address behind a trusted proxy). */
export interface ClientLimits {
  /** Requests a client may make per minute, on average, from each allowance (assign and receipts; renew and release). @default 60 */
  perMinute?: number;
  /** Requests a client may make at once, from each allowance, before the rate applies. @default 30 */
  burst?: number;
  /** Live leases one client may hold (a household or office shares an address). @default 20 */
  leases?: number;
  /**
   * Key of the client hash when the limits are kept in Redis: the same on every instance, so that
   * one client is one client on all of them; never sent to Redis. Ignored in memory (a random key
   * per process). @default the server's token, else random per process (limits then per instance)
   */
  secret?: string | undefined;
}

/** Limits with every default applied. */
export interface ResolvedLimits {
  perMinute: number;
  burst: number;
  leases: number;
}

/** Applies the defaults of {@link ClientLimits}. */
export const resolveLimits = ({ perMinute = 60, burst = 30, leases = 20 }: ClientLimits = {}): ResolvedLimits => ({
  perMinute,
  burst,
  leases,
});

/**
 * What one client is: an IPv4 address, or the /64 network of an IPv6 one (a host is given a whole
 * /64 and can pick a new address in it for every request). IPv4-mapped IPv6 reads as IPv4. A port
 * some proxies write into `X-Forwarded-For` (`203.0.113.7:50123`, `[2001:db8::1]:443`) is dropped:
 * it changes with every connection, so counting it would make each connection a new client.
 */
export function clientOf(written: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(written);
  const address = bracketed ? bracketed[1]! : written.replace(/^(\d+\.\d+\.\d+\.\d+):\d+$/, '$1');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (!address.includes(':')) return address;
  const [head = '', tail] = address.split('%')[0]!.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups =
    tail === undefined ? left : [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return `${groups
    .slice(0, 4)
    .map((g) => g.toLowerCase().replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

/**
 * The client key of an address: HMAC-SHA256 under a key derived from `secret` (its own label, so
 * the key is never the secret itself), or under a random key when there is no secret.
 */
export function clientKeyer(secret?: string): (address: string) => string {
  const key = secret ? createHmac('sha256', secret).update('consentline client key v1').digest() : randomBytes(32);
  return (address) => createHmac('sha256', key).update(clientOf(address)).digest('base64url').slice(0, 22);
}

/**
 * The per-client limits: in this process's memory ({@link createClientGuard}) or in Redis (a
 * Redis lease store's `clientGuard`). Each operation is atomic where it must be: concurrent
 * requests of one client, on one instance or several, never hold more than the cap.
 */
export interface ClientGuard {
  /** The key of a connection's address (a keyed hash; the address is not kept). */
  key(address: string): string;
  /** Takes one request from the client's allowance (`ask` unless named); false when it is used up. */
  take(client: string, now: number, allowance?: Allowance): Promise<boolean>;
  /**
   * Notes that the client's `session` holds a lease until `expires`, unless the client holds the
   * cap of live leases already (one it holds always may): false then, and nothing is noted.
   */
  admit(client: string, session: string, expires: number, now: number): Promise<boolean>;
  /** Notes that the client's `session` holds a lease until `expires` (a renewal: no cap). */
  hold(client: string, session: string, expires: number, now: number): Promise<void>;
  /** Notes that a session's lease ended. */
  drop(client: string, session: string): Promise<void>;
  /** Forgets entries that no longer limit anything (Redis entries expire by themselves). */
  prune(now: number): Promise<void>;
}

interface Bucket {
  tokens: number;
  at: number;
}

/** Creates the per-client limits in this process's memory. */
export function createClientGuard(limits: ClientLimits = {}): ClientGuard {
  const { perMinute, burst, leases } = resolveLimits(limits);
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
  const hold = (client: string, session: string, expires: number): void => {
    const sessions = held.get(client) ?? new Map<string, number>();
    sessions.set(session, expires);
    held.set(client, sessions);
  };
  return {
    key: clientKeyer(),
    async take(client, now, allowance = 'ask') {
      const key = `${allowance}:${client}`;
      const bucket = buckets.get(key) ?? { tokens: burst, at: now };
      refill(bucket, now);
      buckets.set(key, bucket);
      if (bucket.tokens < 1) return false;
      bucket.tokens -= 1;
      return true;
    },
    // Synchronous inside: the check and the note happen in one turn, so concurrent requests count.
    async admit(client, session, expires, now) {
      const sessions = live(client, now);
      if (!sessions.has(session) && sessions.size >= leases) return false;
      hold(client, session, expires);
      return true;
    },
    async hold(client, session, expires) {
      hold(client, session, expires);
    },
    async drop(client, session) {
      held.get(client)?.delete(session);
    },
    async prune(now) {
      for (const [key, bucket] of buckets) {
        refill(bucket, now);
        if (bucket.tokens >= burst) buckets.delete(key);
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
