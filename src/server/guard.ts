// Abuse resistance that stores no address: a rate limit and a cap on live leases per client. The
// client key is a keyed hash (HMAC-SHA256) of the connection's address. In memory (this file) the
// key is random per process, so not even memory holds the address itself. With Redis
// (redis-leases.ts) the limits are shared by every instance, so the instances must share the key
// too: it comes from configuration (a secret, else the token), never from Redis, so a reader of
// Redis holds only hashes it cannot reverse; the entries expire within minutes.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createClientTable } from './client-table.js';

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
  /**
   * Clients whose limits memory keeps at once, each table (allowances; live leases). Beyond it,
   * new clients share one allowance and one lease cap until entries fall idle (an allowance full
   * again, no live lease): no client already counted is forgotten, so a flood of addresses frees
   * no one of their limit. Ignored in Redis, where entries expire by themselves. @default 100000
   */
  clients?: number;
}

/** Limits with every default applied. */
export interface ResolvedLimits {
  perMinute: number;
  burst: number;
  leases: number;
  clients: number;
}

/** Applies the defaults of {@link ClientLimits}. */
export const resolveLimits = ({
  perMinute = 60,
  burst = 30,
  leases = 20,
  clients = 100_000,
}: ClientLimits = {}): ResolvedLimits => ({ perMinute, burst, leases, clients });

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

/** Creates the per-client limits in this process's memory, at most `clients` of them per table. */
export function createClientGuard(limits: ClientLimits = {}): ClientGuard {
  const { perMinute, burst, leases, clients } = resolveLimits(limits);
  const filled = (bucket: Bucket, now: number): number =>
    Math.min(burst, bucket.tokens + (Math.max(0, now - bucket.at) / 60_000) * perMinute);
  const buckets = createClientTable<Bucket>({
    capacity: clients,
    make: (now) => ({ tokens: burst, at: now }),
    idle: (bucket, now) => filled(bucket, now) >= burst,
  });
  const held = createClientTable<Map<string, number>>({
    capacity: clients,
    make: () => new Map(),
    idle: (sessions, now) => {
      for (const expires of sessions.values()) if (expires > now) return false;
      return true;
    },
  });
  const live = (client: string, now: number): Map<string, number> => {
    const sessions = held.use(client, now);
    for (const [session, expires] of sessions) if (expires <= now) sessions.delete(session);
    return sessions;
  };
  return {
    key: clientKeyer(),
    async take(client, now, allowance = 'ask') {
      const bucket = buckets.use(`${allowance}:${client}`, now);
      bucket.tokens = filled(bucket, now);
      bucket.at = Math.max(bucket.at, now);
      if (bucket.tokens < 1) return false;
      bucket.tokens -= 1;
      return true;
    },
    // Synchronous inside: the check and the note happen in one turn, so concurrent requests count.
    async admit(client, session, expires, now) {
      const sessions = live(client, now);
      if (!sessions.has(session) && sessions.size >= leases) return false;
      sessions.set(session, expires);
      return true;
    },
    async hold(client, session, expires, now) {
      held.use(client, now).set(session, expires);
    },
    async drop(client, session) {
      held.find(client)?.delete(session);
    },
    async prune(now) {
      buckets.prune(now);
      held.prune(now);
    },
  };
}

/**
 * Compares a request's `Authorization: Bearer …` with the token in constant time. The scheme is
 * read in any case, as RFC 9110 section 11.1 says (`bearer`, as some clients write it).
 */
export function hasToken(header: string | null, token: string): boolean {
  const match = /^Bearer (.+)$/i.exec(header ?? '');
  if (!match?.[1] || !token) return false;
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(match[1]), digest(token));
}

/** A lease id: 18 random bytes, base64url (24 characters), which no one can guess. */
export const newLeaseId = (): string => randomBytes(18).toString('base64url');

/** The lease id as records keep it: a hash, so a database reader cannot renew or release a lease. */
export const leaseHash = (id: string): string => createHash('sha256').update(id).digest('base64url').slice(0, 32);
