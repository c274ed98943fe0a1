// Record stores: what the server keeps on disk. One interface, one adapter per engine (SQLite for
// one machine, PostgreSQL for many). Two kinds of record, and nothing else: lease periods (which
// session's visit held which number when, for call attribution) and consent receipts (proof of a
// visitor's decision). No IP address, user agent or other identifier of a person is ever written.
import type { ConsentReceipt, VisitContext } from './protocol.js';

/** One number held by one lease, from its grant to the lease's end (for attribution). */
export interface LeasePeriod {
  /** A hash of the lease id (the id itself is a secret of the visitor's page). */
  lease: string;
  session: string;
  target: string;
  number: string;
  /** `own`: held by this lease alone; `shared`: an overflow number several leases held at once. */
  kind: 'own' | 'shared';
  context: VisitContext;
  /** ms since epoch. */
  from: number;
  /** When the lease ended or ends unless renewed, ms since epoch. */
  to: number;
}

/** A consent receipt as stored: the body as sent, and the server's time of receipt. */
export interface StoredReceipt {
  receipt: ConsentReceipt;
  /** ms since epoch. */
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
  from: number;
  to: number;
  /** The last record of the previous page. */
  after?: { received: number; id: string } | undefined;
  limit: number;
}

/** Where records live. Implementations throw when the engine cannot be reached (the server answers 503). */
export interface RecordStore {
  /** Records the start of lease periods. */
  startPeriods(periods: readonly LeasePeriod[]): Promise<void>;
  /** Sets the end of every period of a lease (a renewal moves it on, a release brings it in). */
  endPeriods(lease: string, to: number): Promise<void>;
  /** Periods of `number` that cover `at`, or ended at most `graceMs` before it. */
  findPeriods(number: string, at: number, graceMs: number): Promise<LeasePeriod[]>;
  /** Deletes every period of `session`, provided `lease` is one of its leases; answers how many. */
  forgetSession(session: string, lease: string): Promise<number>;
  /** Appends a receipt (never overwrites one). */
  addReceipt(receipt: ConsentReceipt, received: number): Promise<AddReceiptResult>;
  findReceipt(id: string): Promise<FindReceiptResult>;
  listReceipts(query: ReceiptQuery): Promise<StoredReceipt[]>;
  /** Deletes periods that ended before `periodsBefore` and receipts received before `receiptsBefore`. */
  purge(periodsBefore: number, receiptsBefore: number): Promise<{ periods: number; receipts: number }>;
  /** Resolves when the engine answers; throws when it does not. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

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
