// Record stores: what the server keeps on disk. One interface, one adapter per engine (SQLite for
// one machine, PostgreSQL for many). Three kinds of record, and nothing else: leases (which visit
// each lease belongs to, so that a withdrawal finds them all), lease periods (which session's visit
// held which number when, for call attribution) and consent receipts (proof of a visitor's
// decision). No IP address, user agent or other identifier of a person is ever written.
import type { ConsentReceipt, Touch, VisitContext } from './protocol.js';

/** One number held by one lease, from its grant to the lease's end (for attribution). */
export interface LeasePeriod {
  /** A hash of the lease id (the id itself is a secret of the visitor's page). */
  lease: string;
  /** The visit's session id. */
  session: string;
  /** The target (the site's own number) the tracking number stood for. */
  target: string;
  /** The tracking number held. */
  number: string;
  /** `own`: held by this lease alone; `shared`: an overflow number several leases held at once. */
  kind: 'own' | 'shared';
  /** The visit context sent with the lease's `assign` (`{}` for a number granted at a renewal). */
  context: VisitContext;
  /** When the number was granted, ms since epoch. */
  from: number;
  /** When the lease ended or ends unless renewed, ms since epoch. */
  to: number;
}

/**
 * A lease as records keep it. A session id is no secret (it rides in form attribution tokens), so
 * it does not tell visits apart: a lease taken naming an earlier lease of its session belongs to
 * that lease's visit, any other lease starts a visit of its own. A withdrawal then erases the visit
 * of the lease it names, and never what someone else took under the same session id.
 */
export interface LeaseRecord {
  /** A hash of the lease id. */
  lease: string;
  /** The session id the lease was taken under. */
  session: string;
  /** The hash of the visit's first lease (this lease's own hash when it starts the visit). */
  visit: string;
  /** When the visit began (its first lease was made), ms since epoch: every lease of a visit keeps it. */
  began: number;
  /** When the lease ended or ends unless renewed, ms since epoch. */
  to: number;
  /**
   * The hash of the earlier lease the assign named, when this lease continues its visit: if that
   * visit was withdrawn meanwhile, nothing is written. @default none (a visit of its own)
   */
  named?: string | undefined;
}

/** What recording a new lease did: written, or nothing, since the visit it continues was withdrawn. */
export type StartLeaseResult = { kind: 'started' } | { kind: 'withdrawn' };

/**
 * What looking up the visit of a lease found: the visit (its first lease's hash) and when it
 * began; `withdrawn` when the lease is the mark a withdrawal left of its visit; else nothing. Of
 * two visits of a session, the one that began first is the visitor's: a session id is random, and
 * reaches anyone else only after its first visit.
 */
export type FindVisitResult =
  | { kind: 'found'; visit: string; began: number }
  | { kind: 'withdrawn' }
  | { kind: 'missing' };

/** What a withdrawal did: the lease's visit erased (with how many lease periods), or no such lease. */
export type ForgetResult = { kind: 'forgotten'; periods: number } | { kind: 'unknown' };

/** A consent receipt as stored: the body as sent, and the server's time of receipt. */
export interface StoredReceipt {
  /** The receipt as the SDK sent it. */
  receipt: ConsentReceipt;
  /** When the server received it, ms since epoch. */
  received: number;
}

/** What adding a receipt did: stored; the same record was already stored (a retry); another record holds that id. */
export type AddReceiptResult =
  | { kind: 'added'; received: number }
  | { kind: 'duplicate'; received: number }
  | { kind: 'conflict' };

/** What looking a receipt up found. */
export type FindReceiptResult = { kind: 'found'; record: StoredReceipt } | { kind: 'missing' };

/** A page of the receipt export: `received` in [from, to), after the cursor, oldest first. */
export interface ReceiptQuery {
  /** Earliest time received, ms since epoch (inclusive). */
  from: number;
  /** Latest time received, ms since epoch (exclusive). */
  to: number;
  /** The last record of the previous page (its time received and id). */
  after?: { received: number; id: string } | undefined;
  /** Receipts at most in the page. */
  limit: number;
}

/** A number a lease held alone, and the latest end of its periods (for recovery after a restart). */
export interface NumberInUse {
  /** The target it stood for. */
  target: string;
  /** The tracking number. */
  number: string;
  /** The latest end of its periods, ms since epoch: a page may show it until then. */
  to: number;
}

/** Where records live. Implementations throw when the engine cannot be reached (the server answers 503). */
export interface RecordStore {
  /**
   * Records a new lease and the start of its periods, in one transaction, unless the lease it
   * names (`lease.named`) is withdrawn: then nothing. Atomic with {@link RecordStore.forgetVisit}
   * of the same session: a withdrawal either finds the lease written, or the lease finds the
   * withdrawal.
   */
  startLease(lease: LeaseRecord, periods: readonly LeasePeriod[]): Promise<StartLeaseResult>;
  /**
   * Records the start of lease periods of a lease already recorded (all of one lease). A lease
   * released meanwhile (a renewal the lease store answered before the release, written after it)
   * ends them at its release; periods of a lease whose visit was withdrawn meanwhile are not
   * written, so a withdrawal leaves nothing of its visit behind.
   */
  startPeriods(periods: readonly LeasePeriod[]): Promise<void>;
  /**
   * Sets the end of a lease and of every period of it (a renewal moves it on, never back: two
   * renewals written in the other order keep the later end; a release brings it in). `released`:
   * the lease ended for good, and a later call without it (a renewal the lease store answered
   * before the release, written after it) changes nothing.
   */
  endPeriods(lease: string, to: number, released?: boolean): Promise<void>;
  /**
   * Periods of `number` that held it at `at`, or rest after it: from their start (included) to
   * `graceMs` after their end (excluded), when the number may pass to the next lease.
   */
  findPeriods(number: string, at: number, graceMs: number): Promise<LeasePeriod[]>;
  /**
   * The visit of `lease` (a hash), provided it is a lease of `session`; `withdrawn` when `lease` is
   * the mark of a withdrawn visit. A lease with periods but no lease record is a visit of its own.
   */
  findVisit(session: string, lease: string): Promise<FindVisitResult>;
  /** Deletes every lease and lease period of the visit of `lease` (a hash), provided it is a lease of `session`. */
  forgetVisit(session: string, lease: string): Promise<ForgetResult>;
  /** Appends a receipt (never overwrites one). */
  addReceipt(receipt: ConsentReceipt, received: number): Promise<AddReceiptResult>;
  /** The receipt of decision `id`, if stored. */
  findReceipt(id: string): Promise<FindReceiptResult>;
  /** One page of receipts, oldest first (by time received, then id). */
  listReceipts(query: ReceiptQuery): Promise<StoredReceipt[]>;
  /**
   * Numbers held alone by a lease period that ends after `after`, each once with its latest end.
   * The server rests them when it starts, as pages may still show them whatever the lease store
   * remembers (a Redis restarted without its data, a memory store after a restart). A store that
   * leaves it out gets no such recovery.
   */
  numbersInUse?(after: number): Promise<NumberInUse[]>;
  /** Deletes leases and periods that ended before `periodsBefore` and receipts received before `receiptsBefore`. */
  purge(periodsBefore: number, receiptsBefore: number): Promise<{ periods: number; receipts: number }>;
  /** Resolves when the engine answers; throws when it does not. */
  ping(): Promise<void>;
  /** Frees connections (closes the file). */
  close(): Promise<void>;
}

/**
 * The session and visit a lease record keeps once its visit is withdrawn: the record stays, with
 * nothing of the visit but the lease's hash, until its retention ends, so that a write of the lease
 * already under way (a renewal the lease store answered before the withdrawal) finds it withdrawn
 * and writes nothing. No session id is empty.
 */
export const FORGOTTEN = '';

/** The error an operation throws while the database cannot be reached: the server answers 503. */
export class RecordStoreUnavailable extends Error {
  constructor(detail: string) {
    super(`record store unavailable: ${detail}`);
    this.name = 'RecordStoreUnavailable';
  }
}

/** Parses a stored receipt body; the store wrote it, from a receipt that passed validation. */
export const readStoredReceipt = (body: string, received: number): StoredReceipt => ({
  receipt: JSON.parse(body) as ConsentReceipt,
  received,
});

// PostgreSQL's jsonb keeps an object's keys in an order of its own (shorter first), SQLite the
// order written: a stored context is answered in one order on every engine, a touch's fields as
// the SDK writes them and its parameters by name.
const orderTouch = (touch: Touch): Touch => {
  const q = Object.fromEntries(Object.entries(touch.q ?? {}).sort(([a], [b]) => (a < b ? -1 : 1)));
  const ordered: Touch = { t: touch.t, p: touch.p, q };
  if (touch.r !== undefined) ordered.r = touch.r;
  return ordered;
};

/** A stored visit context, in the order every record store answers it. */
export const orderContext = (context: VisitContext): VisitContext => {
  const ordered: VisitContext = {};
  if (context.f) ordered.f = orderTouch(context.f);
  if (context.l) ordered.l = orderTouch(context.l);
  return ordered;
};
