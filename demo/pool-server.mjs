// Reference session-pool server for call tracking (protocol: docs/protocols.md). Node only, no
// framework, in memory. A lease holds one number per target for `ttl` seconds; a released or
// expired number rests in quarantine before anyone else gets it, so a call placed from an old page
// is not credited to the next visitor, but its own visit gets it back. Assign is idempotent per
// session. Visits are kept as consentline/server's records keep them: a lease made naming an
// earlier lease of its session continues that lease's visit, any other starts one.
import { randomBytes } from 'node:crypto';

const E164 = /^\+[1-9]\d{6,14}$/;
const SESSION = /^[a-z0-9]{8,32}$/;
const text = (v, re) => typeof v === 'string' && re.test(v);
const validTargets = (v) => Array.isArray(v) && v.length >= 1 && v.length <= 500 && v.every((t) => text(t, E164));

/**
 * Creates a pool. `numbers` maps each target (E.164) to its tracking numbers; `overflow` maps a
 * target to a shared number handed out when every number is leased or resting. The visit of a
 * lease is kept while it lives, then `retention` seconds, and for at most `maxVisits` ended leases
 * (those that ended first go first). At most `overflowLeases` live leases hold no number of their
 * own (the overflow number, or none): a new one past them is refused (`'full'`), as
 * consentline/server does, so a flood of sessions holds at most the numbers plus that many leases.
 */
export function createPool({
  numbers = { '+15551234567': ['+18885550101', '+18885550102', '+18885550103'] },
  overflow = {},
  ttl = 60,
  quarantine = 30,
  retention = 86400,
  maxVisits = 10000,
  overflowLeases = 1000,
  now = Date.now,
} = {}) {
  // Live leases in the order they end: each is set again at now + ttl when made or extended, so
  // the first is the next to end and a call looks at the leases that ran out only.
  const leases = new Map(); // lease id -> { session, visit, asked (the targets of the call being answered), numbers (its own), shared (overflow), expires, status }
  // The live leases holding no number of their own, in the same order: the ones the cap counts.
  const spare = new Map();
  const bySession = new Map(); // session -> lease id
  const holders = new Map(); // number -> the live lease holding it
  const restUntil = new Map(); // number -> time it may be handed out again
  const restVisit = new Map(); // resting number -> the visit that may take it back before then
  // Every lease made, kept `retention` seconds after its end: lease id -> { session, visit (its
  // first lease's id), began, to }. Only the visitor's browser holds its lease ids.
  const visits = new Map();
  const byVisit = new Map(); // visit -> the ids of its leases kept in `visits`
  // The records of the leases that ended, in the order they ended: each call ends the leases that
  // ran out first, oldest first, so this is the order of `to` too.
  const ended = new Map();

  const keepVisit = (id, record) => {
    visits.set(id, record);
    const ids = byVisit.get(record.visit) ?? new Set();
    ids.add(id);
    byVisit.set(record.visit, ids);
  };
  const forgetVisit = (id) => {
    const record = visits.get(id);
    const ids = record && byVisit.get(record.visit);
    ids?.delete(id);
    if (ids?.size === 0) byVisit.delete(record.visit);
    visits.delete(id);
    ended.delete(id);
  };
  // Visits past their retention, and the oldest past the cap.
  const forgetOld = () => {
    for (const [id, record] of ended) {
      if (ended.size <= maxVisits && record.to + retention * 1000 > now()) return;
      forgetVisit(id);
    }
  };
  // A number rests from the end of its lease: a release, or the lease's expiry however late the
  // pool notices it (a pool idle for ten minutes still has every number free for the next visitor).
  // After a withdrawal (`forget`), no visit takes it back.
  const drop = (id, lease, end, forget = false) => {
    leases.delete(id);
    spare.delete(id);
    if (bySession.get(lease.session) === id) bySession.delete(lease.session);
    const record = visits.get(id);
    if (record) {
      record.to = end;
      ended.delete(id);
      ended.set(id, record);
      forgetOld();
    }
    for (const n of Object.values(lease.numbers)) {
      holders.delete(n);
      restUntil.set(n, end + quarantine * 1000);
      if (forget) restVisit.delete(n);
      else restVisit.set(n, lease.visit);
    }
  };
  const sweep = () => {
    const t = now();
    for (const [id, lease] of leases) {
      if (lease.expires > t) break;
      drop(id, lease, lease.expires);
    }
    forgetOld();
  };
  // The session's lease `id` while it lives (one that ran out ends now, from its end).
  const live = (id, session) => {
    const lease = typeof id === 'string' ? leases.get(id) : undefined;
    if (!lease || lease.session !== session) return undefined;
    if (lease.expires > now()) return lease;
    drop(id, lease, lease.expires);
    return undefined;
  };
  // The visit of a lease this pool made under `session`, if it keeps it.
  const visitOf = (id, session) => {
    const record = typeof id === 'string' ? visits.get(id) : undefined;
    return record?.session === session ? record : undefined;
  };
  const resting = (n) => (restUntil.get(n) ?? 0) > now();
  const busy = (n) => holders.has(n) || resting(n);
  // A number resting after a lease of `visit`, which that visit takes back before anyone else.
  const restingFor = (n, visit) => !holders.has(n) && resting(n) && restVisit.get(n) === visit;
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
  // A number its visit left resting comes back to it first.
  const fill = (id, lease) => {
    const { asked, numbers: own, shared } = lease;
    for (const t of asked) {
      if (own[t] || shared[t]) continue;
      const list = numbers[t] ?? [];
      const back = list.find((n) => restingFor(n, lease.visit));
      if (back) {
        restUntil.delete(back);
        restVisit.delete(back);
      }
      const free = back ?? list.find((n) => !busy(n));
      if (free) {
        own[t] = free;
        holders.set(free, id);
      } else if (overflow[t]) shared[t] = overflow[t];
    }
    spare.delete(id);
    if (!Object.keys(own).length) spare.set(id, lease);
    lease.status = asked.some((t) => numbers[t] && !own[t] && !shared[t])
      ? 'exhausted'
      : asked.some((t) => shared[t])
        ? 'overflow'
        : 'ok';
  };
  const extend = (id, lease, asked) => {
    lease.expires = now() + ttl * 1000;
    leases.delete(id);
    leases.set(id, lease);
    visits.get(id).to = lease.expires;
    if (asked) lease.asked = [...new Set(asked)];
    fill(id, lease);
    return reply(id, lease);
  };
  // Whether a target of a new lease of `visit` would get a number of its own.
  const fills = (visit) => (t) => (numbers[t] ?? []).some((n) => !busy(n) || restingFor(n, visit));

  return {
    /**
     * `{ session, targets, lease? }` → `{ numbers, lease, ttl, status }`. A session's live lease
     * comes back only to a request that names it, or an earlier lease of its visit (another tab):
     * the session id alone is not a secret (it travels in every call), the lease id is. A lease of
     * a visit that began before the live lease's ends it (the visitor takes the session back from
     * someone who knew the session id). `'held'` when the session has a live lease the request
     * did not name otherwise (nothing is disclosed or changed); `'full'` when a new lease would
     * hold no number of its own and `overflowLeases` such leases live already (nothing is made).
     */
    assign(body) {
      sweep();
      const { session, targets } = body ?? {};
      if (!text(session, SESSION) || !validTargets(targets)) return null;
      const existing = bySession.get(session);
      const holding = existing === undefined ? undefined : live(existing, session);
      if (holding && body.lease === existing) return extend(existing, holding, targets);
      const named = visitOf(body.lease, session);
      if (holding) {
        const held = visits.get(existing);
        if (named?.visit === held.visit) return extend(existing, holding, targets);
        if (!named || named.began >= held.began) return 'held';
        drop(existing, holding, now());
      }
      const id = randomBytes(12).toString('hex');
      const visit = named?.visit ?? id;
      if (!targets.some(fills(visit)) && spare.size >= overflowLeases) return 'full';
      const t = now();
      keepVisit(id, { session, visit, began: named?.began ?? t, to: t });
      // Overflow numbers are shared: they are never one lease's own, so they are never quarantined.
      const lease = { session, visit, numbers: {}, shared: {} };
      leases.set(id, lease);
      bySession.set(session, id);
      return extend(id, lease, targets);
    },
    /** `{ session, lease, targets? }` → the lease extended (answering `targets`, else the last ones asked); null when it expired or is not this session's; false when the targets are malformed. */
    renew(body) {
      sweep();
      if (body?.targets !== undefined && !validTargets(body.targets)) return false;
      const lease = live(body?.lease, body?.session);
      return lease ? extend(body.lease, lease, body.targets) : null;
    },
    /**
     * `{ session, lease, forget? }` → true when a live lease was released (its numbers go to
     * quarantine), or with `forget` (a withdrawal) when its visit was forgotten: every lease of the
     * visit ends and is forgotten, also after the named one ran out. False when nothing was.
     */
    release(body) {
      sweep();
      const forget = body?.forget === true;
      const lease = live(body?.lease, body?.session);
      if (lease) drop(body.lease, lease, now(), forget);
      const named = forget ? visitOf(body?.lease, body?.session) : undefined;
      if (!named) return lease !== undefined;
      for (const id of [...(byVisit.get(named.visit) ?? [])]) {
        const other = leases.get(id);
        if (other) drop(id, other, now(), true);
        forgetVisit(id);
      }
      return true;
    },
    /** For tests and the demo page: leases, resting numbers and how many visit records are kept. */
    inspect: () => ({
      leases: [...leases.values()].map((l) => ({ ...l })),
      resting: [...restUntil].filter(([, t]) => t > now()).map(([n]) => n),
      visits: visits.size,
    }),
  };
}

/**
 * A route handler for demo/server.mjs: POST <prefix>assign | renew | release with a JSON body (sent
 * as text/plain by the SDK, so no preflight); GET <prefix>state shows the pool. Answers 400 to a
 * malformed body, 404 to an unknown lease, 409 to a session's lease not named, 429 past the cap of
 * leases, 204 to a release.
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
    if (out === 'full') return send(429, { error: 'the pool holds all the leases it keeps: ask again later' });
    // (A malformed renewal is a 400, never a 404: a client drops its number on "unknown lease".)
    const bad = op === 'assign' || out === false;
    return out ? send(200, out) : send(bad ? 400 : 404, { error: bad ? 'bad request' : 'unknown lease' });
  };
  handler.pool = pool;
  return handler;
}
