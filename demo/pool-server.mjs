// Reference session-pool server for call tracking (protocol: README, "Call tracking (DNI)").
// Node only, no framework, in memory. A lease holds one number per target for `ttl` seconds; a
// released or expired number rests in quarantine before anyone else gets it, so a call placed
// from an old page is not credited to the next visitor. Assign is idempotent per session.
import { randomBytes } from 'node:crypto';

const E164 = /^\+[1-9]\d{6,14}$/;
const SESSION = /^[a-z0-9]{8,32}$/;
const text = (v, re) => typeof v === 'string' && re.test(v);
const validTargets = (v) => Array.isArray(v) && v.length <= 500 && v.every((t) => text(t, E164));

/**
 * Creates a pool. `numbers` maps each target (E.164) to its tracking numbers; `overflow` maps a
 * target to a shared number handed out when every number is leased or resting.
 */
export function createPool({
  numbers = { '+15551234567': ['+18885550101', '+18885550102', '+18885550103'] },
  overflow = {},
  ttl = 60,
  quarantine = 30,
  now = Date.now,
} = {}) {
  const leases = new Map(); // lease id -> { session, asked (the targets of the call being answered), numbers (its own), shared (overflow), expires, status }
  const bySession = new Map(); // session -> lease id
  const restUntil = new Map(); // number -> time it may be handed out again

  // A number rests from the end of its lease: a release, or the lease's expiry however late the
  // pool notices it (a pool idle for ten minutes still has every number free for the next visitor).
  const drop = (id, lease, end) => {
    leases.delete(id);
    bySession.delete(lease.session);
    for (const n of Object.values(lease.numbers)) restUntil.set(n, end + quarantine * 1000);
  };
  const sweep = () => {
    for (const [id, lease] of leases) if (lease.expires <= now()) drop(id, lease, lease.expires);
  };
  const busy = (n) =>
    [...leases.values()].some((l) => Object.values(l.numbers).includes(n)) || (restUntil.get(n) ?? 0) > now();
  // Only the targets asked for (two pages of one visit may have different targets).
  const reply = (id, lease) => {
    const all = { ...lease.shared, ...lease.numbers };
    return {
      numbers: Object.fromEntries(lease.asked.filter((t) => all[t]).map((t) => [t, all[t]])),
      lease: id,
      ttl,
      status: lease.status,
    };
  };
  // Gives each target without a number a free one, else the shared overflow number. A number once
  // shown stays for the lease (an overflow number is not swapped mid-visit for a freed one), but a
  // target left without any (exhausted) gets one as soon as one is free: at a renewal or a reload.
  const fill = (lease) => {
    const { asked, numbers: own, shared } = lease;
    for (const t of asked) {
      if (own[t] || shared[t]) continue;
      const free = (numbers[t] ?? []).find((n) => !busy(n));
      if (free) own[t] = free;
      else if (overflow[t]) shared[t] = overflow[t];
    }
    lease.status = asked.some((t) => numbers[t] && !own[t] && !shared[t])
      ? 'exhausted'
      : asked.some((t) => shared[t])
        ? 'overflow'
        : 'ok';
  };
  const extend = (id, lease, asked) => {
    lease.expires = now() + ttl * 1000;
    if (asked) lease.asked = [...new Set(asked)];
    fill(lease);
    return reply(id, lease);
  };

  return {
    /**
     * `{ session, targets, lease? }` → `{ numbers, lease, ttl, status }`. A session's live lease
     * comes back only to a request that names it: the session id alone is not a secret (it
     * travels in every call), the lease id is. `'held'` when the session has a live lease the
     * request did not name (nothing is disclosed or changed).
     */
    assign(body) {
      sweep();
      const { session, targets } = body ?? {};
      if (!text(session, SESSION) || !validTargets(targets)) return null;
      const existing = bySession.get(session);
      if (existing && body.lease === existing) return extend(existing, leases.get(existing), targets);
      if (existing) return 'held';
      const id = randomBytes(12).toString('hex');
      // Overflow numbers are shared: they are never one lease's own, so they are never quarantined.
      const lease = { session, numbers: {}, shared: {} };
      leases.set(id, lease);
      bySession.set(session, id);
      return extend(id, lease, targets);
    },
    /** `{ session, lease, targets? }` → the lease extended (answering `targets`, else the last ones asked); null when it expired or is not this session's; false when the targets are malformed. */
    renew(body) {
      sweep();
      if (body?.targets !== undefined && !validTargets(body.targets)) return false;
      const lease = leases.get(body?.lease);
      if (!lease || lease.session !== body.session) return null;
      return extend(body.lease, lease, body.targets);
    },
    /** `{ session, lease }` → true when a live lease was released (its numbers go to quarantine); false when it ran out or is unknown. */
    release(body) {
      sweep();
      const lease = leases.get(body?.lease);
      if (!lease || lease.session !== body.session) return false;
      drop(body.lease, lease, now());
      return true;
    },
    /** For tests and the demo page: leases and resting numbers. */
    inspect: () => ({
      leases: [...leases.values()].map((l) => ({ ...l })),
      resting: [...restUntil].filter(([, t]) => t > now()).map(([n]) => n),
    }),
  };
}

/**
 * A route handler for demo/server.mjs: POST <prefix>assign | renew | release with a JSON body (sent
 * as text/plain by the SDK, so no preflight); GET <prefix>state shows the pool. Answers 400 to a
 * malformed body, 404 to an unknown lease, 204 to a release.
 */
export function createPoolHandler(options) {
  const pool = createPool(options);
  const handler = (req, res, body, url) => {
    const op = url.pathname.split('/').pop();
    const send = (status, value) => {
      res.writeHead(status, {
        'content-type': 'application/json',
        'cache-control': 'no-store',
        'access-control-allow-origin': '*',
      });
      res.end(value === undefined ? '' : JSON.stringify(value));
      return true;
    };
    if (req.method === 'GET' && op === 'state') return send(200, pool.inspect());
    if (req.method !== 'POST' || !['assign', 'renew', 'release'].includes(op)) return false;
    let parsed;
    try {
      parsed = JSON.parse(body);
    } catch {
      return send(400, { error: 'bad json' });
    }
    if (op === 'release') return send(pool.release(parsed) ? 204 : 404);
    const out = pool[op](parsed);
    if (out === 'held') return send(409, { error: 'lease held' });
    // (A malformed renewal is a 400, never a 404: a client drops its number on "unknown lease".)
    const bad = op === 'assign' || out === false;
    return out ? send(200, out) : send(bad ? 400 : 404, { error: bad ? 'bad request' : 'unknown lease' });
  };
  handler.pool = pool;
  return handler;
}
