// Client of the session-pool protocol (README, "Call tracking (DNI)"): POST JSON to
// <url>assign | renew | release, a short timeout, and a breaker that stops calling a server that
// keeps failing. Replies are hostile: anything but the documented shape is a failure.
import { E164 } from './match';

/** Session-pool settings. */
export interface PoolOptions {
  /** Endpoint prefix; `assign`, `renew` and `release` are appended (`/pool/` → `/pool/assign`). */
  url: string;
  /** Request timeout in ms (at most 1500). @default 1500 */
  timeout?: number;
  /** Anti-flicker: while the first reply is awaited, `<html data-consentline-dni-pending>` is set for at most this many ms (at most 1000) so site CSS may hide numbers; 0 never hides. @default 0 */
  hide?: number;
  /** Failures in a row after which no more calls are made on this page. @default 3 */
  failures?: number;
}

/** A valid pool reply. */
export interface PoolReply {
  /** Tracking numbers by target. */
  numbers: Record<string, string>;
  /** Opaque lease id. */
  lease: string;
  /** Seconds the lease lasts unless renewed. */
  ttl: number;
  /** `overflow`: the pool is full and gave a shared number; `exhausted`: none at all. */
  status: 'ok' | 'overflow' | 'exhausted';
}

/** Parses a reply; null when anything is off (markup, a malformed number, an unknown target). */
export function parsePoolReply(v: unknown, targets: readonly string[]): PoolReply | null {
  const { numbers = {}, lease, ttl, status = 'ok' } = (v && typeof v === 'object' ? v : {}) as Record<string, unknown>;
  return typeof lease === 'string' &&
    /^[\w-]{1,64}$/.test(lease) &&
    typeof ttl === 'number' &&
    ttl >= 10 &&
    ttl <= 86400 &&
    ['ok', 'overflow', 'exhausted'].includes(status as string) &&
    numbers &&
    typeof numbers === 'object' &&
    Object.entries(numbers).every(([k, n]) => targets.includes(k) && typeof n === 'string' && E164.test(n))
    ? ({ numbers, lease, ttl, status } as PoolReply)
    : null;
}

/** What {@link createPoolClient} returns. */
export interface PoolClient {
  /** Posts `body` to `<url><op>`; the parsed reply, or null on any failure (or with the breaker open). */
  call(op: 'assign' | 'renew' | 'release', body: object): Promise<PoolReply | null>;
}

/** Creates a pool client with a timeout and a circuit breaker. */
export function createPoolClient(options: PoolOptions, targets: readonly string[]): PoolClient {
  const { url, timeout = 1500, failures = 3 } = options;
  let fails = 0;
  return {
    async call(op, body) {
      if (fails >= failures) return null;
      const ctl = new AbortController();
      const timer = setTimeout(() => ctl.abort(), Math.min(timeout, 1500));
      try {
        // A text/plain body keeps the request simple (no CORS preflight); no cookies ride along.
        const res = await fetch(url + op, {
          method: 'POST',
          body: JSON.stringify(body),
          signal: ctl.signal,
          credentials: 'omit',
          keepalive: op === 'release',
        });
        if (!res.ok) throw 0;
        const reply = op === 'release' ? ({} as PoolReply) : parsePoolReply(await res.json(), targets);
        if (!reply) throw 0;
        fails = 0;
        return reply;
      } catch {
        fails++;
        return null;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
