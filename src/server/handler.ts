// The server as one web-standard handler: `fetch(Request) → Response`, over a lease store and a
// record store. Hosts (the Node adapter in node.ts, or any runtime with Request and Response) only
// pass requests in, with the connection's address for the per-client limits.
import { createClientGuard, hasToken, leaseHash, newLeaseId, type ClientLimits } from './guard.js';
import type { AssignInput, AssignResult, HolderResult, LeaseStore, LeaseView, ReleaseResult } from './leases.js';
import {
  parseAssign,
  parseJson,
  parseQueryNumber,
  parseReceipt,
  parseRelease,
  parseRenew,
  parseTime,
  DECISION_ID,
  type Parsed,
} from './protocol.js';
import type { FindVisitResult, LeasePeriod, RecordStore, StoredReceipt } from './records.js';

/**
 * The largest request body accepted, in bytes: room for the SDK's largest assign (500 targets of
 * up to 16 characters, about 9 KB with its capped visit context), and no more. (The Node adapter's
 * too; not part of the package's API.)
 */
export const MAX_BODY = 16 * 1024;
const DAY = 86_400_000;
const EXPORT_PAGE = 500;

/** One log line: what was asked and answered, never who asked (no address, session, id or query). */
export interface LogEntry {
  /** When, ISO 8601 UTC. */
  time: string;
  /** `error`: a bug or a host mistake (a 500); `warn`: a store lost or a purge failed; else `info`. */
  level: 'info' | 'warn' | 'error';
  /** A request's HTTP method. */
  method?: string;
  /** A request's route pattern (`/v1/receipts/:id`, never the path with its values), or `unknown`. */
  route?: string;
  /** A request's response status. */
  status?: number;
  /** A request's duration, ms (to a tenth). */
  ms?: number;
  /** An event that is not a request (a store lost or back, a purge). */
  message?: string;
}

/** Options of {@link createConsentlineServer}. */
export interface ConsentlineServerOptions {
  /** Where leases live: `createMemoryLeaseStore` or `createRedisLeaseStore`. */
  leases: LeaseStore;
  /** Where records live: `createSqliteRecordStore` or `createPostgresRecordStore`. */
  records: RecordStore;
  /** Bearer token of the read APIs (attribution, receipts); without one they answer 403. @default none */
  token?: string | undefined;
  /** Origins allowed to call the browser endpoints (pool, receipts); empty allows any. @default [] */
  origins?: readonly string[];
  /** Days a lease period is kept after it ended. @default 30 */
  retentionDays?: number;
  /** Days a consent receipt is kept after it was received. @default 730 */
  receiptRetentionDays?: number;
  /** Per-client limits on the browser endpoints. @default {} (see ClientLimits) */
  limits?: ClientLimits;
  /** Lists live leases at `GET /v1/pool/state` (memory store only). Never in production. @default false */
  dev?: boolean;
  /** Receives one entry per request and per event. @default a JSON line on stdout */
  log?: (entry: LogEntry) => void;
  /** The clock, ms since epoch. @default Date.now */
  now?: () => number;
  /** How often old records are deleted, ms. @default 3600000 */
  purgeEveryMs?: number;
}

/** What a host passes with each request. */
export interface RequestInfo {
  /**
   * The connection's address (the Node adapter's `socket.remoteAddress`, or the proxy's client
   * address when trusted). Required by the browser endpoints (pool, receipts), which answer 500
   * without one: the per-client limits cannot tell clients apart, and one shared allowance would
   * let one caller use up every visitor's.
   */
  address?: string | undefined;
}

/** What {@link createConsentlineServer} returns. */
export interface ConsentlineServer {
  /** Answers one request; never throws. */
  fetch(request: Request, info?: RequestInfo): Promise<Response>;
  /** Deletes records past their retention now (also run every `purgeEveryMs`). */
  purge(): Promise<{ periods: number; receipts: number }>;
  /** Stops the purge timer and closes both stores. */
  close(): Promise<void>;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const json = (status: number, value: unknown, headers: Record<string, string> = {}): Response =>
  new Response(JSON.stringify(value), { status, headers: { 'content-type': 'application/json', ...headers } });

const iso = (ms: number): string => new Date(ms).toISOString();

// A parameter named twice is refused rather than one of its values read: a proxy or a log may
// read the other, as with a body's repeated names.
const param = (url: URL, name: string): string | null => {
  if (url.searchParams.getAll(name).length > 1) throw new HttpError(400, `${name}: given twice`);
  return url.searchParams.get(name);
};

const readTime = (value: string | null, name: string): number => {
  const parsed = parseTime(value);
  if (parsed.kind === 'invalid') throw new HttpError(400, `${name}: ${parsed.reason}`);
  return parsed.value;
};

/** The status of a lease's reply, as the SDK reads it. */
function leaseStatus(
  view: LeaseView,
  numbers: Readonly<Record<string, readonly string[]>>,
): 'ok' | 'overflow' | 'exhausted' {
  if (view.asked.some((t) => numbers[t]?.length && !view.own[t] && !view.shared[t])) return 'exhausted';
  if (view.asked.some((t) => view.shared[t])) return 'overflow';
  return 'ok';
}

// Reads at most MAX_BODY bytes; a larger body is refused without reading the rest.
async function readBody(request: Request): Promise<string> {
  const declared = Number(request.headers.get('content-length') ?? 0);
  if (declared > MAX_BODY) throw new HttpError(413, `bodies are at most ${MAX_BODY} bytes`);
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    // A body that fails part-way (its client left) is not the body sent, though its start may parse.
    const { done, value } = await reader.read().catch(() => {
      throw new HttpError(400, 'the body was cut short');
    });
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY) {
      await reader.cancel();
      throw new HttpError(413, `bodies are at most ${MAX_BODY} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

const must = <T>(parsed: Parsed<T>): T => {
  if (parsed.kind === 'invalid') throw new HttpError(400, parsed.reason);
  return parsed.value;
};

const isUnavailable = (error: unknown): boolean => error instanceof Error && /Unavailable$/.test(error.name);

/** What a client's allowance said: a store that keeps it and is down says nothing. */
type Allowed = { kind: 'granted' | 'refused' } | { kind: 'unknown'; error: unknown };

/** Whether a lease an operation answers is still live, or what to answer instead. */
type Held = { kind: 'held' } | { kind: 'ended'; answer: Response };

const WITHDRAWN = 'the visit of this lease was withdrawn';

/** The answer of each route for a lease that ended, not withdrawn. */
const ENDED = {
  assign: { status: 409, error: 'the lease ended before it could be answered: ask again' },
  renew: { status: 404, error: 'unknown lease' },
} as const;

/**
 * Creates the Consentline server: session pools (`/v1/pool/assign|renew|release`, the protocol the
 * browser SDK speaks), call attribution (`/v1/attribution`), consent receipts (`/v1/receipts`) and
 * `/healthz`, as one `fetch` handler. Request bodies are at most 16 KB (413 beyond). Throws an
 * Error naming the option when `retentionDays` or `receiptRetentionDays` is not above 0.
 *
 * @example
 * const server = createConsentlineServer({
 *   leases: createMemoryLeaseStore({ numbers: { '+15551234567': ['+18885550101'] } }),
 *   records: await createSqliteRecordStore({ file: 'consentline.db' }),
 *   token: process.env.CONSENTLINE_TOKEN,
 * });
 * const response = await server.fetch(new Request('http://localhost/healthz'));
 */
export function createConsentlineServer(options: ConsentlineServerOptions): ConsentlineServer {
  const {
    leases,
    records,
    token,
    origins = [],
    retentionDays = 30,
    receiptRetentionDays = 730,
    limits = {},
    dev = false,
    log = (entry: LogEntry) => process.stdout.write(`${JSON.stringify(entry)}\n`),
    now = Date.now,
    purgeEveryMs = 3_600_000,
  } = options;
  if (!(retentionDays > 0)) throw new Error('retentionDays: expected a number of days above 0');
  if (!(receiptRetentionDays > 0)) throw new Error('receiptRetentionDays: expected a number of days above 0');
  const pool = leases.pool;
  // In the lease store when it can keep them (Redis: one allowance per client across instances),
  // else in this process. The hash key must then be the same on every instance: the configured
  // secret, else the token; with neither, each instance has its own and the limits hold per instance.
  const secret = limits.secret ?? token;
  const guard = leases.clientGuard ? leases.clientGuard({ ...limits, secret }) : createClientGuard(limits);
  // Receipts need only the database: while the store keeping the shared limits is down, this
  // process's limits stand in for theirs.
  const standIn = leases.clientGuard ? createClientGuard(limits) : guard;
  if (leases.clientGuard && !secret) {
    log({
      time: iso(now()),
      level: 'warn',
      message: 'no client secret and no token: the per-client limits in Redis hold per instance only',
    });
  }

  const purge = async () => {
    const t = now();
    const removed = await records.purge(t - retentionDays * DAY, t - receiptRetentionDays * DAY);
    await guard.prune(t);
    if (standIn !== guard) await standIn.prune(t);
    return removed;
  };
  const purgeLogged = () =>
    purge().then(
      (removed) =>
        log({
          time: iso(now()),
          level: 'info',
          message: `purged ${removed.periods} lease periods, ${removed.receipts} receipts`,
        }),
      (error: Error) => log({ time: iso(now()), level: 'warn', message: `purge failed: ${error.message}` }),
    );
  const timer = setInterval(purgeLogged, purgeEveryMs);
  timer.unref?.();
  void purgeLogged();

  // Before its first grant the server rests the numbers its records say pages may still show: a
  // lease store that forgot its leases (a Redis restarted without its data together with every
  // instance, the memory store of a restarted process) would otherwise hand them out at once to
  // new visitors. Concurrent requests share one attempt; a failed one (a store down) answers 503
  // and the next request tries again.
  let recovered = false;
  let recovering: Promise<void> | undefined;
  const recover = async (): Promise<void> => {
    const t = now();
    const inUse = records.numbersInUse ? await records.numbersInUse(t - pool.quarantineMs) : [];
    const resting = inUse.map((r) => ({ target: r.target, number: r.number, until: r.to + pool.quarantineMs }));
    if (leases.rest) await leases.rest(resting, t);
    if (resting.length)
      log({ time: iso(now()), level: 'info', message: `recovered ${resting.length} numbers pages may still show` });
  };
  const recoverOnce = async (): Promise<void> => {
    if (recovered) return;
    recovering ??= recover().then(
      () => {
        recovered = true;
      },
      (error: unknown) => {
        recovering = undefined;
        throw error;
      },
    );
    await recovering;
  };

  let noAddressLogged = false;
  const clientOf = (info: RequestInfo | undefined): string => {
    const address = info?.address?.trim();
    if (address) return guard.key(address);
    if (!noAddressLogged)
      log({
        time: iso(now()),
        level: 'error',
        message:
          'a browser endpoint was called with no client address: the host must pass { address } to fetch; refused (500)',
      });
    noAddressLogged = true;
    throw new HttpError(500, 'the server was given no client address');
  };
  // The allowance is taken before a body is read (a client over it costs no more); an operation
  // happens when its body has arrived, which a slow client makes long after the first byte: a
  // lease timed from the first byte would end early, a receipt dated then would land behind an
  // export that already ran past it.
  const arrival = async (request: Request): Promise<{ text: string; t: number }> => {
    const text = await readBody(request);
    return { text, t: now() };
  };
  const requireToken = (request: Request): void => {
    if (!token) throw new HttpError(403, 'the read APIs are off: start the server with a token');
    if (!hasToken(request.headers.get('authorization'), token))
      throw new HttpError(401, 'a valid bearer token is required');
  };
  const reply = (view: LeaseView) => {
    const numbers: Record<string, string> = {};
    for (const t of view.asked) {
      const n = view.own[t] ?? view.shared[t];
      if (n) numbers[t] = n;
    }
    return { numbers, lease: view.id, ttl: pool.ttlMs / 1000, status: leaseStatus(view, pool.numbers) };
  };
  const periodsOf = (view: LeaseView, context: LeasePeriod['context'], from: number): LeasePeriod[] =>
    view.granted.map((g) => ({
      lease: leaseHash(view.id),
      session: view.session,
      target: g.target,
      number: g.number,
      kind: g.kind,
      context,
      from,
      to: view.expires,
    }));

  // A live lease given a number by this call, whose record write then failed, ends (its numbers
  // rest): the number would stay with the lease, never granted again, so never recorded, and a call
  // to it could not be attributed. The page's next call (404, then an assign naming the lease)
  // starts a new lease of the visit, recorded. A lease given nothing stays live.
  const endUnrecorded = async (client: string, view: LeaseView, t: number): Promise<void> => {
    if (!view.granted.length) return;
    await leases.release({ session: view.session, lease: view.id, now: t }).catch(() => undefined);
    await guard.drop(client, view.session).catch(() => undefined);
  };

  // A visit's live lease need not be the one its withdrawal names: another page of the visit took
  // it, or its assign wrote it just before the withdrawal. The withdrawal ends it too once the
  // records know it as the visit's (a lease written after the withdrawal is refused by its assign).
  // While the lease store is down it runs out by itself; its renewals write nothing.
  const endWithdrawn = async (client: string, session: string, t: number): Promise<void> => {
    const held = await leases.holder(session, t).catch((error: unknown): HolderResult => {
      if (!isUnavailable(error)) throw error;
      return { kind: 'none' };
    });
    if (held.kind === 'none') return;
    if ((await records.findVisit(session, leaseHash(held.lease))).kind !== 'withdrawn') return;
    await endLeaseOfWithdrawn(client, session, held.lease, t);
  };
  const endLeaseOfWithdrawn = async (client: string, session: string, lease: string, t: number): Promise<void> => {
    const ended = await leases
      .release({ session, lease, now: t, forget: true })
      .catch(() => ({ kind: 'gone' }) as const);
    if (ended.kind === 'released') await guard.drop(client, session).catch(() => undefined);
  };

  // A session holds one live lease. Someone who knows a session id (it rides in attribution
  // tokens and CRM exports, after the visit) can take a lease under it while the visitor is away;
  // the visitor, back with a lease of a visit of the session that began earlier (only its browser
  // holds lease ids), takes the session back: the other lease ends, its numbers rest, and the
  // visitor's is made. A lease of the holder's own visit shares the live lease: another tab of the
  // visit was away while the lease it knows ran out and a tab took the next one, and it shows the
  // visit's number too (only the visitor's browser holds the visit's lease ids). A lease of a later
  // visit or unknown to the records changes nothing. The holder's visit is the lease store's first
  // (the server gave it, never a client): tabs restored together find the lease the first one made
  // before its record is written.
  // (`named`: the visit of the lease the input names, looked up already.)
  const reclaim = async (
    input: AssignInput & { lease: string },
    held: { holder: string; visit?: string | undefined },
    named: FindVisitResult,
  ): Promise<AssignResult> => {
    const { holder } = held;
    if (named.kind === 'found' && held.visit === named.visit) return leases.assign({ ...input, lease: holder });
    const holding = await records.findVisit(input.session, leaseHash(holder));
    if (named.kind !== 'found' || holding.kind !== 'found') return { kind: 'held', holder };
    if (named.visit === holding.visit) return leases.assign({ ...input, lease: holder });
    if (named.began >= holding.began) return { kind: 'held', holder };
    const ended = await leases.release({ session: input.session, lease: holder, now: input.now });
    if (ended.kind === 'released') await records.endPeriods(leaseHash(holder), ended.ended, true);
    return leases.assign(input);
  };

  // What a lease that has ended answers: 410 when its visit was withdrawn (the page must stop
  // showing its number and not ask again for that visit), else the route's answer for a lease
  // that merely ended: a renewal's 404 (the page asks again, naming the lease), an assign's 409
  // (the lease it made ended before its answer: ask again). Only the visit's own browser holds its
  // lease ids, so an invented one is never 410. Which of the two it is, only the records tell:
  // while the database is down the error goes up (503, ask again), never a 404 or 409 that would
  // hide a withdrawal.
  const ended = async (route: keyof typeof ENDED, session: string, lease: string): Promise<Response> => {
    const visit = await records.findVisit(session, leaseHash(lease));
    if (visit.kind === 'withdrawn') return json(410, { error: WITHDRAWN });
    return json(ENDED[route].status, { error: ENDED[route].error });
  };
  // The lease is written before its records, so that a withdrawal either finds it (and ends it) or
  // is found by the record write (410): written after the records, a lease could slip past a
  // withdrawal that looked for it in between. So the lease may have ended since the store answered
  // (the withdrawal, a release, the visitor taking the session back, its end passing), and the
  // answer says what holds now: `held`, or what `ended` answers. A lease once held keeps its
  // numbers while it lives. A lease live before this call may be of a visit withdrawn since (the
  // withdrawal has not ended it yet, or could not: the lease store was down then): it ends here, its
  // numbers resting for no one, and answers 410. A lease this call made was checked by its record
  // write, atomically with the withdrawal.
  const stillHeld = async (route: keyof typeof ENDED, client: string, view: LeaseView): Promise<Held> => {
    const t = now();
    const kept = await leases.holder(view.session, t);
    if (kept.kind === 'held' && kept.lease === view.id) {
      if (view.created) return { kind: 'held' };
      if ((await records.findVisit(view.session, leaseHash(view.id))).kind !== 'withdrawn') return { kind: 'held' };
      await endLeaseOfWithdrawn(client, view.session, view.id, t);
      return { kind: 'ended', answer: json(410, { error: WITHDRAWN }) };
    }
    const answer = await ended(route, view.session, view.id);
    if (answer.status === 410) await guard.drop(client, view.session).catch(() => undefined);
    return { kind: 'ended', answer };
  };

  const assign = async (request: Request, info: RequestInfo | undefined): Promise<Response> => {
    const client = clientOf(info);
    if (!(await guard.take(client, now()))) throw new HttpError(429, 'too many requests');
    const { text, t } = await arrival(request);
    const body = must(parseAssign(must(parseJson(text))));
    await recoverOnce();
    // A flood of invented sessions from one client stops here, long before the pool is empty. The
    // lease is counted before the store answers, so that concurrent requests count it too.
    if (!(await guard.admit(client, body.session, t + pool.ttlMs, t))) throw new HttpError(429, 'too many live leases');
    let result: AssignResult;
    // The visit of the lease the assign names, as the records know it. A new lease continues it, and
    // gets the numbers the visit left resting back first (the rest keeps them from other visitors):
    // only the visitor's browser holds the visit's lease ids, so an invented lease, or one of
    // another session, is a visit of nobody's and takes nothing out of a rest.
    const namedHash = body.lease ? leaseHash(body.lease) : undefined;
    let named: FindVisitResult = { kind: 'missing' };
    try {
      if (namedHash) named = await records.findVisit(body.session, namedHash);
      // A withdrawn visit gets nothing, whatever the lease store would answer (a live lease of the
      // session, a full pool): the lease store is not asked.
      if (named.kind === 'withdrawn') throw new HttpError(410, WITHDRAWN);
      const id = newLeaseId();
      const visit = named.kind === 'found' ? named.visit : leaseHash(id);
      const input = { session: body.session, targets: body.targets, id, lease: body.lease, visit, now: t };
      result = await leases.assign(input);
      if (result.kind === 'held' && input.lease)
        result = await reclaim({ ...input, lease: input.lease }, result, named);
      // A flood of sessions past the pool's numbers and its overflow leases: nothing was made.
      if (result.kind === 'full') throw new HttpError(429, 'the pool holds all the leases it keeps: ask again later');
    } catch (error) {
      await guard.drop(client, body.session).catch(() => undefined);
      throw error;
    }
    // Someone who knows the session id but not its lease: nothing of the lease is disclosed. (The
    // note under the cap stays until it runs out: dropping it could uncount the holder's own lease
    // when both share an address.)
    if (result.kind === 'held') throw new HttpError(409, 'the session holds a lease: name it to get it back');
    const view = result.lease;
    try {
      const periods = periodsOf(view, body.context, t);
      if (view.created) {
        // A new lease continues the visit of the earlier lease it names, if that is one of the
        // session's; else it starts a visit of its own. Only the visitor's own browser holds its
        // lease ids, so someone who knows only the session id starts a visit of their own, which
        // is all their withdrawal can erase.
        // A lease of a visit withdrawn between the lookup and the write is refused (and given back
        // below).
        const hash = leaseHash(view.id);
        const visit =
          named.kind === 'found'
            ? { visit: named.visit, began: named.began, named: namedHash }
            : { visit: hash, began: t };
        const started = await records.startLease(
          { lease: hash, session: view.session, ...visit, to: view.expires },
          periods,
        );
        if (started.kind === 'withdrawn') throw new HttpError(410, WITHDRAWN);
      } else {
        await records.startPeriods(periods);
        await records.endPeriods(leaseHash(view.id), view.expires);
      }
    } catch (error) {
      // Numbers handed out with no record could never be attributed: give them straight back.
      // An existing lease stays live, and counted, when only its record write failed.
      if (view.created) {
        await leases.release({ session: view.session, lease: view.id, now: t, unused: true }).catch(() => undefined);
        await guard.drop(client, body.session).catch(() => undefined);
      } else await endUnrecorded(client, view, t);
      throw error;
    }
    const held = await stillHeld('assign', client, view);
    if (held.kind === 'ended') return held.answer;
    // (Admitted until now + ttl, which is the lease's end in both stores: noted again only if not.)
    if (view.expires !== t + pool.ttlMs) await guard.hold(client, body.session, view.expires, t);
    return json(200, reply(view));
  };
  const renew = async (request: Request, info: RequestInfo | undefined): Promise<Response> => {
    const client = clientOf(info);
    if (!(await guard.take(client, now(), 'keep'))) throw new HttpError(429, 'too many requests');
    const { text, t } = await arrival(request);
    const body = must(parseRenew(must(parseJson(text))));
    await recoverOnce();
    const result = await leases.renew({ session: body.session, lease: body.lease, targets: body.targets, now: t });
    if (result.kind === 'gone') return ended('renew', body.session, body.lease);
    try {
      await records.startPeriods(periodsOf(result.lease, {}, t));
      await records.endPeriods(leaseHash(result.lease.id), result.lease.expires);
    } catch (error) {
      await endUnrecorded(client, result.lease, t);
      throw error;
    }
    // (The records wrote nothing of a lease ended meanwhile.)
    const held = await stillHeld('renew', client, result.lease);
    if (held.kind === 'ended') return held.answer;
    await guard.hold(client, body.session, result.lease.expires, t);
    return json(200, reply(result.lease));
  };
  const release = async (request: Request, info: RequestInfo | undefined): Promise<Response> => {
    const client = clientOf(info);
    // The allowance may live in the lease store (Redis), which a withdrawal does not need.
    const allowance = await guard.take(client, now(), 'keep').then(
      (granted): Allowed => ({ kind: granted ? 'granted' : 'refused' }),
      (error: unknown): Allowed => {
        if (!isUnavailable(error)) throw error;
        return { kind: 'unknown', error };
      },
    );
    const { text, t } = await arrival(request);
    const body = must(parseRelease(must(parseJson(text))));
    // A withdrawal counts, but is never refused: a refusal would keep the visit's records, and the
    // page tries again only while it is open. (It takes no number; an invented lease costs a
    // lookup, as a renewal.)
    if (allowance.kind === 'unknown' && !body.forget) throw allowance.error;
    if (allowance.kind === 'refused' && !body.forget) throw new HttpError(429, 'too many requests');
    let result: ReleaseResult;
    try {
      result = await leases.release({ session: body.session, lease: body.lease, now: t, forget: body.forget });
    } catch (error) {
      // A withdrawal still erases the visit while only the lease store is down: its lease runs
      // out by itself, and the page has stopped showing it.
      if (!body.forget || !isUnavailable(error)) throw error;
      result = { kind: 'gone' };
    }
    const hash = leaseHash(body.lease);
    // Only a lease really released leaves the client's count: a release naming an invented lease
    // must not free a place under the cap.
    // (A count left behind ends with the lease's own end.)
    if (result.kind === 'released') await guard.drop(client, body.session).catch(() => undefined);
    // On withdrawal the visit's records go, even after its lease ran out: the lease id is the proof
    // that the caller is that visit, and it reaches that visit's leases only (see assign).
    if (body.forget) {
      const forgotten = await records.forgetVisit(body.session, hash);
      if (forgotten.kind === 'forgotten') await endWithdrawn(client, body.session, t);
      return new Response(null, { status: result.kind === 'released' || forgotten.kind === 'forgotten' ? 204 : 404 });
    }
    if (result.kind === 'gone') return json(404, { error: 'unknown lease' });
    await records.endPeriods(hash, result.ended, true);
    return new Response(null, { status: 204 });
  };

  const attribution = async (request: Request, url: URL): Promise<Response> => {
    requireToken(request);
    const number = must(parseQueryNumber(param(url, 'number')));
    const at = readTime(param(url, 'at'), 'at');
    // A call placed during the number's rest after a lease still belongs to that lease: the rest
    // exists so that it does. After the rest, nothing. A number of the pool's own is one lease's at
    // a time, so a lease given it later answers alone from then on: its visit took it back from the
    // rest, or the earlier lease ended without its end being written (the database down then).
    const found = await records.findPeriods(number, at, pool.quarantineMs);
    const periods = found.filter(
      (p) => p.kind === 'shared' || !found.some((next) => next.kind === 'own' && next.from > p.from && next.from <= at),
    );
    const matches = periods.map((p) => ({
      session: p.session,
      target: p.target,
      from: iso(p.from),
      to: iso(p.to),
      context: p.context,
      confidence: p.kind === 'shared' || periods.length > 1 ? 'shared' : 'exact',
    }));
    return json(200, { matches });
  };

  const receiptOut = (r: StoredReceipt) => ({ ...r.receipt, received: iso(r.received) });
  const postReceipt = async (request: Request, info: RequestInfo | undefined): Promise<Response> => {
    const client = clientOf(info);
    const allowed = await guard.take(client, now()).catch((error: unknown) => {
      if (!isUnavailable(error)) throw error;
      return standIn.take(client, now());
    });
    if (!allowed) throw new HttpError(429, 'too many requests');
    const { text, t } = await arrival(request);
    const receipt = must(parseReceipt(must(parseJson(text)), t));
    if (origins.length && !origins.includes(receipt.origin))
      throw new HttpError(400, "origin is not one of this server's sites");
    const result = await records.addReceipt(receipt, t);
    if (result.kind === 'conflict') throw new HttpError(409, 'another receipt has this id');
    return json(result.kind === 'added' ? 201 : 200, { id: receipt.id, received: iso(result.received) });
  };
  const getReceipt = async (request: Request, encoded: string): Promise<Response> => {
    requireToken(request);
    let id: string;
    try {
      id = decodeURIComponent(encoded);
    } catch {
      // Not percent-encoded text: no receipt has that id.
      return json(404, { error: 'no such receipt' });
    }
    // Text no receipt id can be never reaches the engine (PostgreSQL refuses a NUL in text).
    if (!DECISION_ID.test(id)) return json(404, { error: 'no such receipt' });
    const found = await records.findReceipt(id);
    return found.kind === 'found' ? json(200, receiptOut(found.record)) : json(404, { error: 'no such receipt' });
  };
  const exportReceipts = async (request: Request, url: URL): Promise<Response> => {
    requireToken(request);
    const from = url.searchParams.has('from') ? readTime(param(url, 'from'), 'from') : 0;
    const to = url.searchParams.has('to') ? readTime(param(url, 'to'), 'to') : now() + 1;
    // The first page is read before answering, so a database that is down still gets a 503.
    let page = await records.listReceipts({ from, to, limit: EXPORT_PAGE });
    const encoder = new TextEncoder();
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const last = page[page.length - 1];
        if (!last) {
          controller.close();
          return;
        }
        controller.enqueue(encoder.encode(page.map((r) => `${JSON.stringify(receiptOut(r))}\n`).join('')));
        if (page.length < EXPORT_PAGE) {
          page = [];
          return;
        }
        try {
          page = await records.listReceipts({
            from,
            to,
            after: { received: last.received, id: last.receipt.id },
            limit: EXPORT_PAGE,
          });
        } catch (error) {
          // The request is logged with its 200 already: the cut export gets a line of its own.
          log({ time: iso(now()), level: 'warn', message: `receipt export cut: ${(error as Error).message}` });
          throw error;
        }
      },
    });
    return new Response(body, { status: 200, headers: { 'content-type': 'application/x-ndjson' } });
  };

  const health = async (): Promise<Response> => {
    const check = (p: Promise<void>) =>
      p.then(
        () => 'up' as const,
        () => 'down' as const,
      );
    const [leaseState, recordState] = await Promise.all([check(leases.ping()), check(records.ping())]);
    const up = leaseState === 'up' && recordState === 'up';
    return json(up ? 200 : 503, { status: up ? 'ok' : 'unavailable', leases: leaseState, records: recordState });
  };

  // Browser endpoints answer any allowed origin; the read APIs are for servers and send no CORS
  // headers, so no page can read them with a visitor's browser.
  const cors = (request: Request): Record<string, string> | undefined => {
    const origin = request.headers.get('origin');
    if (!origins.length) return { 'access-control-allow-origin': '*' };
    if (origin === null) return {};
    return origins.includes(origin) ? { 'access-control-allow-origin': origin, vary: 'origin' } : undefined;
  };

  interface Handler {
    name: string;
    /** A browser endpoint: CORS headers on every answer, errors included, so the SDK reads its status. */
    browser: boolean;
    run: () => Promise<Response>;
  }
  const route = (request: Request, url: URL, info: RequestInfo | undefined): Handler => {
    const { pathname } = url;
    const method = request.method;
    const browser = (name: string, run: () => Promise<Response>): Handler => ({
      name,
      browser: true,
      run: async () => {
        if (!cors(request)) throw new HttpError(403, 'origin not allowed');
        if (method === 'OPTIONS')
          return new Response(null, {
            status: 204,
            headers: {
              'access-control-allow-methods': 'POST',
              'access-control-allow-headers': 'content-type',
              'access-control-max-age': '86400',
            },
          });
        if (method !== 'POST') throw new HttpError(405, 'POST only');
        return run();
      },
    });
    const get = (name: string, run: () => Promise<Response>): Handler => ({
      name,
      browser: false,
      run: async () => {
        if (method !== 'GET') throw new HttpError(405, 'GET only');
        return run();
      },
    });
    if (pathname === '/v1/pool/assign') return browser(pathname, () => assign(request, info));
    if (pathname === '/v1/pool/renew') return browser(pathname, () => renew(request, info));
    if (pathname === '/v1/pool/release') return browser(pathname, () => release(request, info));
    if (pathname === '/v1/receipts' && method !== 'GET') return browser(pathname, () => postReceipt(request, info));
    if (pathname === '/v1/receipts') return get(pathname, () => exportReceipts(request, url));
    if (pathname.startsWith('/v1/receipts/'))
      return get('/v1/receipts/:id', () => getReceipt(request, pathname.slice('/v1/receipts/'.length)));
    if (pathname === '/v1/attribution') return get(pathname, () => attribution(request, url));
    if (pathname === '/healthz') return get(pathname, health);
    const inspect = leases.inspect;
    if (pathname === '/v1/pool/state' && dev && inspect) return get(pathname, async () => json(200, await inspect()));
    return { name: 'unknown', browser: false, run: async () => json(404, { error: 'not found' }) };
  };

  return {
    async fetch(request, info) {
      const started = performance.now();
      let response: Response;
      let name = 'unknown';
      let browser = false;
      try {
        const url = new URL(request.url);
        const handler = route(request, url, info);
        name = handler.name;
        browser = handler.browser;
        response = await handler.run();
      } catch (error) {
        if (error instanceof HttpError) response = json(error.status, { error: error.message });
        else if (isUnavailable(error))
          response = json(503, { error: 'temporarily unavailable' }, { 'retry-after': '5' });
        else {
          log({ time: iso(now()), level: 'error', route: name, message: (error as Error).message });
          response = json(500, { error: 'internal error' });
        }
      }
      const allowed = browser ? cors(request) : undefined;
      for (const [k, v] of Object.entries(allowed ?? {})) response.headers.set(k, v);
      response.headers.set('cache-control', 'no-store');
      response.headers.set('x-content-type-options', 'nosniff');
      log({
        time: iso(now()),
        level: 'info',
        method: request.method,
        route: name,
        status: response.status,
        ms: Math.round((performance.now() - started) * 10) / 10,
      });
      return response;
    },
    purge,
    async close() {
      clearInterval(timer);
      await Promise.allSettled([leases.close(), records.close()]);
    },
  };
}
