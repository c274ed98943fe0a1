// Client of the session-pool protocol (README, "Call tracking (DNI)"): POST JSON to
// <url>assign | renew | release, a short timeout, and a breaker that stops calling a server that
// keeps failing. Replies are hostile: anything but the documented shape is a failure. On top of
// it, the visit's lease: assigned, renewed while the visitor is there, released. Script-tag pages
// get all of it from the dist/dni-pool.js add-on, so sites without pools never download it.
import { inBrowser, noop } from '../core/env.js';
import { encodeVisitContext } from '../core/visit-context.js';
import { doc } from '../dom/document.js';
import { LEASE_ID, type VisitContext } from './context.js';
import { createForgetLedger } from './forget-ledger.js';
import { E164 } from './match.js';

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
    LEASE_ID.test(lease) &&
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

/**
 * What a pool call answers: `ok` with the parsed reply (assign, renew); `released` (a release was
 * answered); `gone` (a renewal or release answered 404: the lease ran out, the server dropped it, or
 * a withdrawal found nothing to forget); `withdrawn` (an assign or renewal answered 410: the visit
 * of the lease was withdrawn, so nothing more is asked for it); `failed`
 * (the breaker open, no answer in time, an error status, or a reply not of the documented shape).
 */
export type PoolResult =
  | { kind: 'ok'; reply: PoolReply }
  | { kind: 'released' }
  | { kind: 'gone' }
  | { kind: 'withdrawn' }
  | { kind: 'failed' };

const FAILED: PoolResult = { kind: 'failed' };
// Longer than any reply (a number for each of 500 targets takes about 18 KB): not one, and not
// parsed on the page's main thread.
const MAX_REPLY = 65536;

/** What {@link createPoolClient} returns. */
export interface PoolClient {
  /** Posts `body` to `<url><op>`. The breaker never stops a release. */
  call(op: 'assign' | 'renew' | 'release', body: object): Promise<PoolResult>;
}

/** Creates a pool client with a timeout and a circuit breaker. */
export function createPoolClient(options: PoolOptions, targets: readonly string[]): PoolClient {
  const { url, timeout = 1500, failures = 3 } = options;
  let fails = 0;
  return {
    async call(op, body) {
      // A release is still tried with the breaker open: the number goes back at once.
      if (fails >= failures && op !== 'release') return FAILED;
      const ctl = new AbortController();
      const timer = setTimeout(() => ctl.abort(), Math.min(timeout, 1500));
      let result: PoolResult;
      let held = false;
      try {
        // A text/plain body keeps the request simple (no CORS preflight); no cookies ride along,
        // and no Referer: the page's URL (its query, click ids included) is not the visit context.
        const res = await fetch(url + op, {
          method: 'POST',
          body: JSON.stringify(body),
          signal: ctl.signal,
          credentials: 'omit',
          referrerPolicy: 'no-referrer',
          keepalive: op === 'release',
        });
        held = res.status === 409;
        if (res.status === 404 && op !== 'assign') result = { kind: 'gone' };
        else if (res.status === 410 && op !== 'release') result = { kind: 'withdrawn' };
        else if (!res.ok) result = FAILED;
        else if (op === 'release') result = { kind: 'released' };
        else {
          // (One that says it is longer is not even read; '' is no JSON: a failure.)
          const body = Number(res.headers.get('content-length')) > MAX_REPLY ? '' : await res.text();
          const reply = body.length <= MAX_REPLY && parsePoolReply(JSON.parse(body), targets);
          result = reply ? { kind: 'ok', reply } : FAILED;
        }
      } catch {
        // Timed out (aborted), no network, or a body that is not JSON.
        result = FAILED;
      }
      clearTimeout(timer);
      // Failures in a row open the breaker; any answer that is not a failure closes it again. A 409
      // (the session's lease is held: by a page that left before its reply came) is the server
      // working: the call failed, but asking again once that lease has run out gets a number.
      if (!held) fails = result.kind === 'failed' ? fails + 1 : 0;
      return result;
    },
  };
}

const PENDING = 'data-consentline-dni-pending';
// When a failed withdrawal is sent again, ms after each failure; then every two minutes.
const FORGET_RETRIES = [1e3, 5e3, 3e4, 12e4];

/** A withdrawal the pool server has not taken yet: the visit's session and its latest lease (its proof). */
export interface PendingForget {
  session: string;
  lease: string;
}

/** What a pool's `connect` returns: the visit's lease, asked for, renewed, and released on withdrawal. */
export interface PoolSession {
  /**
   * Asks for numbers (`assign`), then renews from half-way through the lease on the visitor's
   * activity while the page is visible; `got` receives each reply, and null when the lease ran out
   * unrenewed. `context` is read before each request; a call to `close` from inside it sends nothing.
   */
  open(context: () => VisitContext, got: (reply: PoolReply | null) => void): void;
  /**
   * Stops renewing. Without `forget` nothing is sent: other tabs of the visit may share the lease
   * (each names the visit's latest lease and gets it back), so it is left to run out once no page
   * renews it, and the records stay. `forget` (the visitor withdrew consent: `true`, or the visit's
   * context) releases it and asks the server to delete the visit's records: the release names the
   * visit's latest lease even after it ran out (the lease id is the visit's proof), else the
   * context's `lease` (taken on an earlier page, also when this page never opened the session),
   * and carries `forget: true`; a reply still in flight is forgotten so when it comes.
   */
  close(forget?: boolean | VisitContext): void;
  /**
   * Sends the withdrawals earlier pages could not get the server to take (kept under `keep`), as
   * a withdrawal's `close` does. Call it once the visitor's decision is known: nothing is sent
   * before the visitor decides. (Optional for a session of your own.)
   */
  resend?(): void;
}

/**
 * Creates the pool side of number insertion: a {@link createPoolClient} and the visit's lease. A
 * withdrawal the server cannot take at once is kept in localStorage under `keep` (its session and
 * lease id only) until it does, so a later page sends it again; without `keep`, only while the
 * page is open. Outside a browser it asks for nothing.
 */
export function createPoolSession(options: PoolOptions, targets: readonly string[], keep?: string): PoolSession {
  if (!inBrowser()) return { open: noop, close: noop, resend: noop };
  const ledger = keep ? createForgetLedger(keep) : undefined;
  const client = createPoolClient(options, targets);
  const html = doc('documentElement');
  const shown = () => html.removeAttribute(PENDING);
  let got: ((reply: PoolReply | null) => void) | undefined;
  let context: () => VisitContext;
  let lease = '';
  // The visit's latest lease id of this page, kept after the lease ran out or the server dropped
  // it: a withdrawal proves the visit with it so the server deletes the visit's records. (An
  // earlier page's comes with the context.)
  let last = '';
  // The session whose visitor withdrew: a lease still in flight for it is forgotten too.
  let withdrawn = '';
  let expiry: ReturnType<typeof setTimeout> | undefined;
  let busy = false;
  // When to ask again: half-way through the lease (or 10 s after a failure), at the visitor's next
  // pointer, key or wheel (not `scroll`: a carousel scrolling itself is not the visitor) while the
  // page is visible, or when it becomes visible, so that an idle visitor or a page never shown (a
  // background tab, a prerender) holds no number.
  let due = 0;
  const onActivity = () => {
    if (doc('visibilityState') === 'visible' && performance.now() >= due) void ask(lease ? 'renew' : 'assign');
  };
  const listen = (on: boolean) =>
    ['pointerdown', 'keydown', 'wheel', 'visibilitychange'].forEach((e) =>
      (on ? addEventListener : removeEventListener)(e, onActivity, { capture: true, passive: true }),
    );
  // A withdrawal the server could not take (it or its database down, no network) is sent again
  // while the page is open, until the server answers it: the visitor withdraws once. When the page
  // is hidden (closed, navigated away, put in the back-forward cache) before the server answered
  // it, it is kept in the ledger for a later page (an answer arriving after the page has gone is
  // heard by no one) and sent once more, as a request that outlives the page.
  // `kept`: the ledger holds it (an earlier page's, or this one's after a failure or a hidden page).
  const forgetVisit = ({ session, lease }: PendingForget, kept = false): void => {
    const pending = { session, lease };
    let retry = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let answered = false;
    const keepIt = (): void => {
      if (!kept) ledger?.add(pending);
      kept = true;
    };
    const send = (): void => {
      clearTimeout(timer);
      void client.call('release', { ...pending, forget: true }).then((result) => {
        if (answered) return;
        if (result.kind !== 'failed') {
          answered = true;
          removeEventListener('pagehide', leave);
          if (kept) ledger?.drop(pending);
          return;
        }
        keepIt();
        clearTimeout(timer);
        timer = setTimeout(send, FORGET_RETRIES[Math.min(retry++, FORGET_RETRIES.length - 1)]);
      });
    };
    const leave = (): void => {
      keepIt();
      send();
    };
    addEventListener('pagehide', leave);
    send();
  };
  const ask = async (op: 'assign' | 'renew'): Promise<void> => {
    const to = got;
    if (busy || !to) return;
    // Read first: reading the context may close the session (see `open`), and then nothing is sent.
    const visit = context();
    if (got !== to) return;
    busy = true;
    const session = visit.session;
    const proof = last || visit.lease;
    // (A renewal names the page's targets too: two pages of one visit may have different ones.) An
    // assign names the visit's latest lease: the server gives a live lease back only to its holder.
    const result = await client.call(
      op,
      op === 'assign'
        ? { session, targets, context: encodeVisitContext(visit), ...(proof && { lease: proof }) }
        : { session, lease, targets },
    );
    busy = false;
    // Closed, or opened again for another visit, while the request was in flight: a withdrawn
    // visit's lease is forgotten (and the new visit asks again); any other is left to run out, as
    // on close.
    if (got !== to) {
      if (result.kind === 'ok' && session === withdrawn) forgetVisit({ session, lease: result.reply.lease });
      if (got !== undefined) void ask('assign');
      return;
    }
    shown();
    // A failed call keeps the lease (still valid until it runs out: renewed or released later);
    // activity asks again after 10 s.
    if (result.kind === 'failed') {
      due = performance.now() + 1e4;
      return;
    }
    clearTimeout(expiry);
    // The lease ran out with no renewal (an idle visitor, a server failing since), or the server
    // says it is gone: the number may go to another visitor, so it is no longer shown (null: the
    // fallback); the next activity asks again.
    const end = () => {
      lease = '';
      due = 0;
      to(null);
    };
    if (result.kind !== 'ok') {
      end();
      // The visit was withdrawn (on another page, or another host of the site): nothing more is
      // asked for it, neither a renewal nor an assign naming its lease, until the consent flow
      // opens the session again.
      if (result.kind === 'withdrawn') {
        last = '';
        due = Number.POSITIVE_INFINITY;
      }
      // A renewal found the lease gone while the visitor is active (renewals follow activity): ask
      // again now, naming it, so the fallback shows for one round trip, not until the next activity.
      if (result.kind === 'gone') void ask('assign');
      return;
    }
    const { reply } = result;
    // Renewed from half-way through the lease.
    due = performance.now() + reply.ttl * 500;
    lease = last = reply.lease;
    to(reply);
    expiry = setTimeout(end, reply.ttl * 1e3);
  };
  return {
    open(c, fn) {
      context = c;
      got = fn;
      listen(true);
      // Anti-flicker: site CSS may hide numbers while this is set, never longer than the cap.
      const hide = Math.min(options.hide ?? 0, 1000);
      if (hide) {
        html.setAttribute(PENDING, '');
        setTimeout(shown, hide);
      }
      due = 0;
      onActivity();
    },
    close(forget = false) {
      // Without a withdrawal nothing is sent: other tabs of the visit may show the lease's number
      // (they named it and got it back), and a release would end it under them. It runs out once
      // no page of the visit renews it.
      const visit = forget && (typeof forget === 'object' ? forget : got && context());
      if (visit) {
        const id = last || visit.lease;
        withdrawn = visit.session;
        if (id) forgetVisit({ session: visit.session, lease: id });
      }
      got = undefined;
      lease = last = '';
      clearTimeout(expiry);
      listen(false);
      shown();
    },
    resend() {
      for (const pending of ledger?.read() ?? []) forgetVisit(pending, true);
    },
  };
}
