// Leases in Redis, shared by any number of server instances. Each operation is one Lua script, so
// it is atomic: two instances never hand one number to two live leases. Keys (under `prefix`):
//   lease:<id>      hash: session, asked, own, shared (JSON), expires, visit, back (JSON: the rests it
//                   ended early, by target)
//   session:<s>     the session's lease id
//   expiry          sorted set: lease id by expiry (ms)
//   spare           sorted set: lease id by expiry, of leases holding no number of their own (capped)
//   free:<target>   set: numbers free now
//   rest:<target>   sorted set: numbers resting in quarantine, by the end of their rest (ms)
//   conf:<target>   set: the configured numbers (a number no longer configured never comes back)
//   targets         set: the configured targets; epoch: a random id set with them (data found anew)
//   held            hash: number → lease id
//   note:<number>   hash: target, session, visit, until: a number resting after a lease, which its
//                   visit may take back (expiring with the rest)
//   visitrest:<v>   hash: target → number, the visit's resting numbers (expiring with the last rest)
//   client:rate:<k> hash: tokens, at (a client's allowance for assign and receipts), expiring once it would be full again
//   client:keep:<k> the same, for renew and release
//   client:held:<k> sorted set: session by lease end (a client's live leases), expiring with the last
// where <k> is the client's keyed hash (guard.ts): no address is ever sent to Redis.
// Every step is O(1) or O(log n): SPOP, ZADD, ZRANGEBYSCORE with a bounded LIMIT. Times come from
// the calling instance's clock, so instances need synchronised clocks (NTP), as their logs do.
import { randomBytes } from 'node:crypto';
import type { Redis as RedisClient } from 'ioredis';
import { clientKeyer, resolveLimits, type Allowance, type ClientGuard, type ClientLimits } from './guard.js';
import { SWEEP_BATCH, resolvePool, type Grant, type LeaseStore, type LeaseView, type PoolConfig } from './leases.js';

/** Options of {@link createRedisLeaseStore}. */
export interface RedisLeaseStoreOptions {
  /** `redis://[:password@]host:port[/db]` or `rediss://…`. */
  url: string;
  /** The numbers and lease times. */
  pool: PoolConfig;
  /** Key prefix; the hash tag keeps every key in one cluster slot. @default 'consentline:{pool}:' */
  prefix?: string;
  /** Ms a command or a connection attempt may take before the server answers 503. @default 1000 */
  timeout?: number;
  /** Called with a short message when the connection is lost or restored. @default nothing */
  onStatus?: (status: 'up' | 'down', detail: string) => void;
}

const COMMON = `
local P, now, ttl, q = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local function unnote(n)
  local f = redis.call('HMGET', P .. 'note:' .. n, 'target', 'visit')
  if not f[1] then return end
  local key = P .. 'visitrest:' .. f[2]
  if redis.call('HGET', key, f[1]) == n then redis.call('HDEL', key, f[1]) end
  redis.call('DEL', P .. 'note:' .. n)
end
local function remember(target, n, session, visit, rest_end)
  unnote(n)
  local ms = math.max(1, rest_end - now)
  local key = P .. 'visitrest:' .. visit
  redis.call('HSET', P .. 'note:' .. n, 'target', target, 'session', session, 'visit', visit, 'until', rest_end)
  redis.call('PEXPIRE', P .. 'note:' .. n, ms)
  redis.call('HSET', key, target, n)
  if redis.call('PTTL', key) < ms then redis.call('PEXPIRE', key, ms) end
end
-- The number of a visit resting for a target, while its rest lasts: only that session's.
local function resting_for(visit, session, target)
  local n = redis.call('HGET', P .. 'visitrest:' .. visit, target)
  if not n then return nil end
  local f = redis.call('HMGET', P .. 'note:' .. n, 'target', 'session', 'visit', 'until')
  local rest_end = tonumber(f[4])
  if f[1] ~= target or f[2] ~= session or f[3] ~= visit or not rest_end or rest_end <= now then return nil end
  if tonumber(redis.call('ZSCORE', P .. 'rest:' .. target, n)) ~= rest_end then return nil end
  if redis.call('SISMEMBER', P .. 'conf:' .. target, n) == 0 then return nil end
  return { number = n, rest_end = rest_end }
end
-- A number taken back from a rest rests at least until that rest would have ended. note: whether
-- its visit may take it back; rest: ms it rests (q unless given).
local function drop(id, ending, note, rest)
  local key = P .. 'lease:' .. id
  local fields = redis.call('HMGET', key, 'session', 'own', 'visit', 'back')
  if fields[1] then
    if redis.call('GET', P .. 'session:' .. fields[1]) == id then redis.call('DEL', P .. 'session:' .. fields[1]) end
    local back = cjson.decode(fields[4] or '{}')
    for target, n in pairs(cjson.decode(fields[2] or '{}')) do
      redis.call('HDEL', P .. 'held', n)
      local taken = back[target]
      local rest_end = ending + (rest or q)
      if taken and taken.number == n and taken.rest_end > rest_end then rest_end = taken.rest_end end
      redis.call('ZADD', P .. 'rest:' .. target, rest_end, n)
      if note and rest_end > ending and fields[3] then remember(target, n, fields[1], fields[3], rest_end) end
    end
  end
  redis.call('DEL', key)
  redis.call('ZREM', P .. 'expiry', id)
  redis.call('ZREM', P .. 'spare', id)
end
-- Drops the leases of a sorted set by expiry ('expiry', or 'spare') that ran out: a bounded batch.
local function sweep(order)
  local due = redis.call('ZRANGEBYSCORE', P .. (order or 'expiry'), '-inf', now, 'WITHSCORES', 'LIMIT', 0, ${SWEEP_BATCH})
  for i = 1, #due, 2 do drop(due[i], tonumber(due[i + 1]), true) end
end
local function refill(target)
  local rest = P .. 'rest:' .. target
  local back = redis.call('ZRANGEBYSCORE', rest, '-inf', now, 'LIMIT', 0, ${SWEEP_BATCH})
  for _, n in ipairs(back) do
    redis.call('ZREM', rest, n)
    unnote(n)
    if redis.call('SISMEMBER', P .. 'conf:' .. target, n) == 1 then redis.call('SADD', P .. 'free:' .. target, n) end
  end
end
local function take(target)
  refill(target)
  return redis.call('SPOP', P .. 'free:' .. target)
end
-- Room for one more lease holding no number of its own; leases that ran out leave the count first.
local function spare_room(cap)
  sweep('spare')
  return redis.call('ZCARD', P .. 'spare') < cap
end
local function any_free(targets, visit, session)
  for _, target in ipairs(targets) do
    refill(target)
    if redis.call('SCARD', P .. 'free:' .. target) > 0 or resting_for(visit, session, target) then return true end
  end
  return false
end
local function live(id, session)
  local fields = redis.call('HMGET', P .. 'lease:' .. id, 'session', 'expires')
  if fields[1] ~= session then return false end
  if tonumber(fields[2]) > now then return true end
  drop(id, tonumber(fields[2]), true)
  return false
end
local function extend(id, session, asked_json, overflow, created, made_visit)
  local key = P .. 'lease:' .. id
  local expires = now + ttl
  local fields = redis.call('HMGET', key, 'asked', 'own', 'shared', 'visit', 'back')
  local asked = cjson.decode(asked_json or fields[1] or '[]')
  local own = cjson.decode(fields[2] or '{}')
  local shared = cjson.decode(fields[3] or '{}')
  local visit = made_visit or fields[4] or id
  local back = cjson.decode(fields[5] or '{}')
  local granted = {}
  for _, target in ipairs(asked) do
    if not own[target] and not shared[target] then
      local n = nil
      local taken = resting_for(visit, session, target)
      if taken then
        redis.call('ZREM', P .. 'rest:' .. target, taken.number)
        unnote(taken.number)
        back[target] = taken
        n = taken.number
      else
        n = take(target)
      end
      if n then
        own[target] = n
        redis.call('HSET', P .. 'held', n, id)
        granted[#granted + 1] = { target = target, number = n, kind = 'own' }
      elseif overflow[target] then
        shared[target] = overflow[target]
        granted[#granted + 1] = { target = target, number = overflow[target], kind = 'shared' }
      end
    end
  end
  redis.call('HSET', key, 'session', session, 'asked', cjson.encode(asked), 'own', cjson.encode(own), 'shared', cjson.encode(shared), 'expires', expires, 'visit', visit, 'back', cjson.encode(back))
  redis.call('ZADD', P .. 'expiry', expires, id)
  if next(own) == nil then redis.call('ZADD', P .. 'spare', expires, id) else redis.call('ZREM', P .. 'spare', id) end
  return cjson.encode({ id = id, asked = asked, own = own, shared = shared, expires = expires, created = created, granted = granted })
end
`;

// A live lease goes only to the caller naming it ({ holder's id, its visit }: held, nothing changed); a new
// lease that would hold no number of its own past the cap is not made (false: full).
// ARGV: prefix, now, ttl, quarantine, session, new lease id, targets (JSON), overflow (JSON), the caller's lease id ('' for none), cap, the new lease's visit
const ASSIGN = `${COMMON}
sweep()
local session, id = ARGV[5], ARGV[6]
local existing = redis.call('GET', P .. 'session:' .. session)
if existing and live(existing, session) then
  if existing ~= ARGV[9] then return { existing, redis.call('HGET', P .. 'lease:' .. existing, 'visit') or '' } end
  return extend(existing, session, ARGV[7], cjson.decode(ARGV[8]), false)
end
local visit = ARGV[11]
if not any_free(cjson.decode(ARGV[7]), visit, session) and not spare_room(tonumber(ARGV[10])) then return false end
redis.call('SET', P .. 'session:' .. session, id)
return extend(id, session, ARGV[7], cjson.decode(ARGV[8]), true, visit)
`;

// ARGV: prefix, now, ttl, quarantine, session, lease id, targets (JSON, or '' for the last asked), overflow (JSON)
const RENEW = `${COMMON}
sweep()
if not live(ARGV[6], ARGV[5]) then return false end
local asked = nil
if ARGV[7] ~= '' then asked = ARGV[7] end
return extend(ARGV[6], ARGV[5], asked, cjson.decode(ARGV[8]), false)
`;

// A lease that ran out rests its numbers from its end, as a sweep would: their release comes too late
// to say they were never shown.
// ARGV: prefix, now, ttl, quarantine, session, lease id, '1' when the visitor withdrew (no visit
// noted), '1' when the numbers were never shown (no rest)
const RELEASE = `${COMMON}
if not live(ARGV[6], ARGV[5]) then return 0 end
local rest = nil
if ARGV[8] == '1' then rest = 0 end
drop(ARGV[6], now, ARGV[7] ~= '1', rest)
return 1
`;

// ARGV: prefix, now, ttl, quarantine, session
const HOLDER = `${COMMON}
local existing = redis.call('GET', P .. 'session:' .. ARGV[5])
if existing and live(existing, ARGV[5]) then return existing end
return false
`;

// Loads the configuration: each configured number not leased and not resting is free; a number no
// longer configured leaves the free set. Idempotent, so every instance runs it on each connect.
// A Redis that lost its data under a running instance (restarted empty) gets its numbers back
// resting until the end it gives (0: free at once, as on a first start): pages still show the
// numbers of leases it forgot until their renewals fail, and none may go to a second visitor. An
// instance starting meanwhile finds Redis empty as on a first start and may load the pool first:
// the data's epoch (a random id set with the pool) then differs from the one the running instance
// saw, and the numbers no live lease holds rest until that end all the same.
// ARGV: prefix, numbers (JSON { target: [numbers] }), rest end for a Redis found empty (ms), the
// epoch this instance saw ('' for none), a new epoch. Answers the epoch.
const CONFIGURE = `
local P = ARGV[1]
local numbers = cjson.decode(ARGV[2])
local rest_until = tonumber(ARGV[3])
local epoch = redis.call('GET', P .. 'epoch')
local lost = rest_until > 0 and (redis.call('EXISTS', P .. 'targets') == 0 or (epoch and epoch ~= ARGV[4]))
for _, target in ipairs(redis.call('SMEMBERS', P .. 'targets')) do
  if not numbers[target] then
    redis.call('DEL', P .. 'free:' .. target, P .. 'conf:' .. target)
    redis.call('SREM', P .. 'targets', target)
  end
end
for target, list in pairs(numbers) do
  local conf = P .. 'conf:' .. target
  redis.call('DEL', conf)
  for _, n in ipairs(list) do redis.call('SADD', conf, n) end
  for _, n in ipairs(redis.call('SMEMBERS', P .. 'free:' .. target)) do
    if redis.call('SISMEMBER', conf, n) == 0 then redis.call('SREM', P .. 'free:' .. target, n) end
  end
  for _, n in ipairs(list) do
    local rest = tonumber(redis.call('ZSCORE', P .. 'rest:' .. target, n))
    if redis.call('HEXISTS', P .. 'held', n) == 1 then
    elseif lost then
      redis.call('SREM', P .. 'free:' .. target, n)
      if not rest or rest < rest_until then redis.call('ZADD', P .. 'rest:' .. target, rest_until, n) end
    elseif not rest then
      redis.call('SADD', P .. 'free:' .. target, n)
    end
  end
end
-- Last: a run cut short (an error part-way, tried again) still finds Redis lost.
for target in pairs(numbers) do redis.call('SADD', P .. 'targets', target) end
if not epoch then
  epoch = ARGV[5]
  redis.call('SET', P .. 'epoch', epoch)
end
return epoch
`;

// Rests numbers the records say a page may still show, unless a live lease holds them (a lease
// that ran out unnoticed ends first, as a sweep would end it); a longer rest already noted stays.
// A number resting for its visit stays the visit's to take back: its note moves with the end of
// its rest (resting_for takes a note whose end is not its rest's for a stale one).
// ARGV: prefix, now, ttl, quarantine, [[target, number, end of rest], …] (JSON)
const REST = `${COMMON}
local function lengthen(n, old_end, rest_end)
  local key = P .. 'note:' .. n
  local f = redis.call('HMGET', key, 'visit', 'until')
  if not f[1] or tonumber(f[2]) ~= old_end then return end
  local ms = math.max(1, rest_end - now)
  redis.call('HSET', key, 'until', rest_end)
  redis.call('PEXPIRE', key, ms)
  local visit = P .. 'visitrest:' .. f[1]
  if redis.call('PTTL', visit) < ms then redis.call('PEXPIRE', visit, ms) end
end
for _, r in ipairs(cjson.decode(ARGV[5])) do
  local target, n, ends = r[1], r[2], tonumber(r[3])
  if ends > now and redis.call('SISMEMBER', P .. 'conf:' .. target, n) == 1 then
    local holder = redis.call('HGET', P .. 'held', n)
    if holder then
      local session = redis.call('HGET', P .. 'lease:' .. holder, 'session')
      if session then live(holder, session) end
    end
    if redis.call('HEXISTS', P .. 'held', n) == 0 then
      local rest = P .. 'rest:' .. target
      local score = tonumber(redis.call('ZSCORE', rest, n))
      -- A rest that is over: the number is free, and its note is void.
      if score and score <= now then
        redis.call('ZREM', rest, n)
        unnote(n)
        score = nil
      end
      redis.call('SREM', P .. 'free:' .. target, n)
      if not score then
        redis.call('ZADD', rest, ends, n)
      elseif score < ends then
        redis.call('ZADD', rest, ends, n)
        lengthen(n, score, ends)
      end
    end
  end
end
return 1
`;

// The per-client limits. Numbers go through tostring: a fraction of a token must survive.
// ARGV: key, now, per minute, burst, ms until a used-up allowance is full again
const TAKE = `
local key, now, rate, burst = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local b = redis.call('HMGET', key, 'tokens', 'at')
local tokens, at = tonumber(b[1]) or burst, tonumber(b[2]) or now
-- Another instance's clock a little ahead: no refill for the difference, and time never goes back.
tokens = math.min(burst, tokens + math.max(0, now - at) / 60000 * rate)
at = math.max(at, now)
local ok = 0
if tokens >= 1 then
  tokens = tokens - 1
  ok = 1
end
redis.call('HSET', key, 'tokens', tostring(tokens), 'at', tostring(at))
redis.call('PEXPIRE', key, ARGV[5])
return ok
`;

// The set expires with its last lease (relative to the caller's clock, as lease times are).
const HOLD_COMMON = `
local function hold(key, session, expires, now)
  redis.call('ZADD', key, expires, session)
  local last = redis.call('ZRANGE', key, -1, -1, 'WITHSCORES')
  redis.call('PEXPIRE', key, math.max(1, math.ceil(tonumber(last[2]) - now)))
end
`;

// ARGV: key, session, lease end, now, cap
const ADMIT = `${HOLD_COMMON}
local key, session, now, cap = ARGV[1], ARGV[2], tonumber(ARGV[4]), tonumber(ARGV[5])
redis.call('ZREMRANGEBYSCORE', key, '-inf', now)
if not redis.call('ZSCORE', key, session) and redis.call('ZCARD', key) >= cap then return 0 end
hold(key, session, ARGV[3], now)
return 1
`;

// ARGV: key, session, lease end, now
const HOLD = `${HOLD_COMMON}
hold(ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4]))
return 1
`;

interface ScriptReply {
  id: string;
  asked: string[] | Record<string, never>;
  own: Record<string, string> | [];
  shared: Record<string, string> | [];
  expires: number;
  created: boolean;
  granted: Grant[] | Record<string, never>;
}

// Lua's cjson writes an empty table as {}: arrays and maps are normalised here.
const toView = (raw: string, session: string): LeaseView => {
  const r = JSON.parse(raw) as ScriptReply;
  const list = <T>(v: T[] | Record<string, never>): T[] => (Array.isArray(v) ? v : []);
  const map = (v: Record<string, string> | []): Record<string, string> => (Array.isArray(v) ? {} : v);
  return {
    id: r.id,
    session,
    asked: list(r.asked),
    own: map(r.own),
    shared: map(r.shared),
    expires: r.expires,
    created: r.created,
    granted: list(r.granted),
  };
};

/** The error an operation throws while Redis cannot be reached: the server answers 503. */
export class LeaseStoreUnavailable extends Error {
  constructor(detail: string) {
    super(`lease store unavailable: ${detail}`);
    this.name = 'LeaseStoreUnavailable';
  }
}

/**
 * Creates a lease store on Redis (the `ioredis` package, an optional peer dependency, is loaded
 * here: the promise rejects when it is not installed). Resolves at once, connected or not: while
 * Redis cannot be reached every operation throws {@link LeaseStoreUnavailable} without waiting,
 * and the store reconnects by itself and loads the pool's numbers again. An invalid `pool` throws
 * an Error naming the option, as {@link createMemoryLeaseStore} does.
 *
 * @example
 * const leases = await createRedisLeaseStore({ url: 'redis://127.0.0.1:6379', pool: { numbers } });
 */
export async function createRedisLeaseStore(options: RedisLeaseStoreOptions): Promise<LeaseStore> {
  const { url, prefix = 'consentline:{pool}:', timeout = 1000, onStatus = () => {} } = options;
  const pool = resolvePool(options.pool);
  const { Redis } = await import('ioredis');
  const client: RedisClient = new Redis(url, {
    lazyConnect: true,
    // Fail at once rather than queue: a visitor waiting on a queued command sees nothing better
    // than the fallback number the SDK shows on a 503.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    connectTimeout: timeout,
    commandTimeout: timeout,
    retryStrategy: (times: number) => Math.min(100 * times, 2000),
  });
  let ready = false;
  // Whether this instance has seen Redis configured: finding it empty after that means it lost
  // its data (a restart without persistence, a failover to an empty replica), not a first start;
  // so does finding an epoch other than the one it saw.
  let configured = false;
  let epoch = '';
  const scripts = {
    assign: ASSIGN,
    renew: RENEW,
    release: RELEASE,
    holder: HOLDER,
    configure: CONFIGURE,
    rest: REST,
    take: TAKE,
    admit: ADMIT,
    hold: HOLD,
  };
  for (const [name, lua] of Object.entries(scripts))
    client.defineCommand(`consentline_${name}`, { numberOfKeys: 0, lua });
  type Script = (...args: (string | number)[]) => Promise<unknown>;
  const run = (name: keyof typeof scripts, ...args: (string | number)[]): Promise<unknown> => {
    if (!ready) return Promise.reject(new LeaseStoreUnavailable('not connected'));
    return ((client as unknown as Record<string, Script>)[`consentline_${name}`] as Script).apply(client, args);
  };
  const numbersJson = JSON.stringify(pool.numbers);
  // A Redis that answers but refuses the pool's loading (full, read-only, too slow) is tried again
  // while the connection lasts: it emits no second 'ready' of its own, and without the pool loaded
  // the store would answer 503 until a restart.
  let retry: ReturnType<typeof setTimeout> | undefined;
  let failures = 0;
  const stopRetry = () => {
    clearTimeout(retry);
    retry = undefined;
  };
  const configureNow = () => {
    retry = undefined;
    const configure = (client as unknown as Record<string, Script>).consentline_configure as Script;
    // Scripts are loaded up front: a burst of first calls after a restart would otherwise each
    // miss the script cache and send its whole text again.
    // Every lease it forgot ended by now + ttl, and its numbers rest after that. (The wall clock:
    // lease times are the server's clock, Date.now unless a host sets another.)
    const restUntil = configured ? Date.now() + pool.ttlMs + pool.quarantineMs : 0;
    Promise.all(Object.values(scripts).map((lua) => client.script('LOAD', lua)))
      .then(() => configure.call(client, prefix, numbersJson, restUntil, epoch, randomBytes(12).toString('base64url')))
      .then(
        (seen) => {
          epoch = String(seen);
          failures = 0;
          ready = true;
          configured = true;
          onStatus('up', 'redis connected');
        },
        (error: Error) => {
          if (!failures) onStatus('down', `redis configure failed: ${error.message}`);
          failures++;
          if (client.status !== 'ready' || retry) return;
          retry = setTimeout(configureNow, Math.min(100 * 2 ** failures, 2000));
          retry.unref?.();
        },
      );
  };
  client.on('ready', () => {
    stopRetry();
    configureNow();
  });
  client.on('close', () => {
    stopRetry();
    if (ready) onStatus('down', 'redis connection lost');
    ready = false;
  });
  // Errors also come as 'close' and failed commands; without a listener ioredis would log them.
  client.on('error', () => {});
  client.connect().catch(() => {});

  const base = (now: number) => [prefix, now, pool.ttlMs, pool.quarantineMs];
  // A lease keeps only the targets this pool serves: the others never get a number, and a body
  // may name 500 invented ones, kept for every lease of a flood.
  const served = (targets: readonly string[]) =>
    JSON.stringify(targets.filter((t) => pool.numbers[t] !== undefined || pool.overflow[t] !== undefined));
  const overflowFor = (targets: readonly string[]) =>
    JSON.stringify(Object.fromEntries(targets.filter((t) => pool.overflow[t]).map((t) => [t, pool.overflow[t]])));
  const wrap = async <T>(op: () => Promise<T>): Promise<T> => {
    try {
      return await op();
    } catch (error) {
      if (error instanceof LeaseStoreUnavailable) throw error;
      throw new LeaseStoreUnavailable((error as Error).message);
    }
  };

  return {
    pool,
    assign: ({ session, targets, id, lease = '', visit = id, now }) =>
      wrap(async () => {
        const raw = await run(
          'assign',
          ...base(now),
          session,
          id,
          served(targets),
          overflowFor(targets),
          lease,
          pool.overflowLeases,
          visit,
        );
        if (typeof raw === 'string') return { kind: 'ok', lease: toView(raw, session) };
        if (raw === null) return { kind: 'full' };
        const [holder, held] = raw as unknown[];
        return { kind: 'held', holder: String(holder), visit: typeof held === 'string' && held ? held : undefined };
      }),
    renew: ({ session, lease, targets, now }) =>
      wrap(async () => {
        // The overflow numbers of every configured target: a renewal may name none (the last asked).
        const raw = await run(
          'renew',
          ...base(now),
          session,
          lease,
          targets ? served(targets) : '',
          overflowFor(targets ?? Object.keys(pool.overflow)),
        );
        return typeof raw === 'string' ? { kind: 'ok', lease: toView(raw, session) } : { kind: 'gone' };
      }),
    release: ({ session, lease, now, unused = false, forget = false }) =>
      wrap(async () => {
        // With no rest, a number is back in its free set at once (the rest sorted set, score now).
        const flags = [forget ? '1' : '0', unused ? '1' : '0'];
        return (await run('release', ...base(now), session, lease, ...flags)) === 1
          ? { kind: 'released', ended: now }
          : { kind: 'gone' };
      }),
    holder: (session, now) =>
      wrap(async () => {
        const id = await run('holder', ...base(now), session);
        return typeof id === 'string' ? { kind: 'held', lease: id } : { kind: 'none' };
      }),
    rest: (numbers, now) =>
      wrap(async () => {
        // A bounded batch per script: Redis runs nothing else while a script runs.
        const list = numbers.map((r) => [r.target, r.number, r.until]);
        for (let i = 0; i < list.length; i += SWEEP_BATCH * 10)
          await run('rest', ...base(now), JSON.stringify(list.slice(i, i + SWEEP_BATCH * 10)));
      }),
    ping: () =>
      wrap(async () => {
        if (!ready) throw new LeaseStoreUnavailable('not connected');
        await client.ping();
      }),
    clientGuard(limits: ClientLimits): ClientGuard {
      const { perMinute, burst, leases } = resolveLimits(limits);
      // Until a used-up allowance is full again; after that a missing entry means a full one.
      const refillMs = Math.max(1000, Math.ceil((burst / Math.max(perMinute, 1e-9)) * 60_000));
      const rate = (k: string, allowance: Allowance) =>
        `${prefix}client:${allowance === 'keep' ? 'keep' : 'rate'}:${k}`;
      const held = (k: string) => `${prefix}client:held:${k}`;
      return {
        key: clientKeyer(limits.secret),
        take: (k, now, allowance = 'ask') =>
          wrap(async () => (await run('take', rate(k, allowance), now, perMinute, burst, refillMs)) === 1),
        admit: (k, session, expires, now) =>
          wrap(async () => (await run('admit', held(k), session, expires, now, leases)) === 1),
        hold: (k, session, expires, now) =>
          wrap(async () => {
            await run('hold', held(k), session, expires, now);
          }),
        drop: (k, session) =>
          wrap(async () => {
            if (!ready) throw new LeaseStoreUnavailable('not connected');
            await client.zrem(held(k), session);
          }),
        // Entries expire in Redis by themselves.
        prune: async () => {},
      };
    },
    async close() {
      ready = false;
      stopRetry();
      client.disconnect();
    },
  };
}
