// Records in a SQLite file (the `better-sqlite3` package, an optional peer dependency): the
// embedded default for one machine. Synchronous underneath, so each call is atomic by itself.
import type { Database as SqliteDatabase } from 'better-sqlite3';
import {
  orderContext,
  readStoredReceipt,
  type ForgetResult,
  type LeaseRecord,
  type LeasePeriod,
  type RecordStore,
  type StartLeaseResult,
  type StoredReceipt,
  FORGOTTEN,
} from './records.js';

/** Options of {@link createSqliteRecordStore}. */
export interface SqliteRecordStoreOptions {
  /** Database file; `:memory:` keeps it in memory (tests). */
  file: string;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS lease_periods (
  lease TEXT NOT NULL, session TEXT NOT NULL, target TEXT NOT NULL, number TEXT NOT NULL,
  kind TEXT NOT NULL, context TEXT NOT NULL, starts INTEGER NOT NULL, ends INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS lease_periods_number ON lease_periods (number, ends);
CREATE INDEX IF NOT EXISTS lease_periods_lease ON lease_periods (lease);
CREATE INDEX IF NOT EXISTS lease_periods_session ON lease_periods (session);
CREATE INDEX IF NOT EXISTS lease_periods_ends ON lease_periods (ends);
CREATE TABLE IF NOT EXISTS leases (
  lease TEXT PRIMARY KEY, session TEXT NOT NULL, visit TEXT NOT NULL, ends INTEGER NOT NULL,
  began INTEGER, released INTEGER NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS leases_visit ON leases (session, visit);
CREATE INDEX IF NOT EXISTS leases_ends ON leases (ends);
CREATE TABLE IF NOT EXISTS receipts (id TEXT PRIMARY KEY, body TEXT NOT NULL, received INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS receipts_received ON receipts (received, id);
`;

interface PeriodRow {
  lease: string;
  session: string;
  target: string;
  number: string;
  kind: 'own' | 'shared';
  context: string;
  starts: number;
  ends: number;
}

const toPeriod = (r: PeriodRow): LeasePeriod => ({
  lease: r.lease,
  session: r.session,
  target: r.target,
  number: r.number,
  kind: r.kind,
  context: orderContext(JSON.parse(r.context) as LeasePeriod['context']),
  from: r.starts,
  to: r.ends,
});

/**
 * Creates a record store in a SQLite file, made with its tables when missing (the
 * `better-sqlite3` package, an optional peer dependency, is loaded here: the promise rejects when
 * it is not installed or the file cannot be opened).
 *
 * @example
 * const records = await createSqliteRecordStore({ file: 'consentline.db' });
 */
export async function createSqliteRecordStore(options: SqliteRecordStoreOptions): Promise<RecordStore> {
  const { default: Database } = await import('better-sqlite3');
  const db: SqliteDatabase = new Database(options.file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(SCHEMA);
  // A file made before leases kept when their visit began.
  const columns = db.prepare('PRAGMA table_info(leases)').all() as { name: string }[];
  if (!columns.some((c) => c.name === 'began')) db.exec('ALTER TABLE leases ADD COLUMN began INTEGER');
  if (!columns.some((c) => c.name === 'released'))
    db.exec('ALTER TABLE leases ADD COLUMN released INTEGER NOT NULL DEFAULT 0');
  const insertPeriod = db.prepare(
    'INSERT INTO lease_periods (lease, session, target, number, kind, context, starts, ends) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const insertLease = db.prepare('INSERT INTO leases (lease, session, visit, ends, began) VALUES (?, ?, ?, ?, ?)');
  const leaseOf = db.prepare('SELECT session, ends, released FROM leases WHERE lease = ?');
  const startAll = db.transaction((periods: readonly LeasePeriod[]) => {
    for (const p of periods) {
      const lease = leaseOf.get(p.lease) as { session: string; ends: number; released: number } | undefined;
      if (lease?.session === FORGOTTEN) continue;
      const to = lease?.released ? Math.min(p.to, lease.ends) : p.to;
      insertPeriod.run(p.lease, p.session, p.target, p.number, p.kind, JSON.stringify(p.context), p.from, to);
    }
  });
  const isMark = db.prepare(`SELECT 1 FROM leases WHERE lease = ? AND session = '${FORGOTTEN}'`);
  const startOne = db.transaction((lease: LeaseRecord, periods: readonly LeasePeriod[]): StartLeaseResult => {
    if (lease.named !== undefined && isMark.get(lease.named)) return { kind: 'withdrawn' };
    insertLease.run(lease.lease, lease.session, lease.visit, lease.to, lease.began);
    startAll(periods);
    return { kind: 'started' };
  });
  const setEnd = db.prepare('UPDATE lease_periods SET ends = ? WHERE lease = ?');
  const moveEnd = db.prepare('UPDATE lease_periods SET ends = max(ends, ?) WHERE lease = ?');
  const setLeaseEnd = db.prepare('UPDATE leases SET ends = ?, released = ? WHERE lease = ?');
  // A renewal only moves the end on: two renewals' writes may land in the other order.
  const endAll = db.transaction((to: number, lease: string, released: boolean) => {
    if (released) {
      setEnd.run(to, lease);
      setLeaseEnd.run(to, 1, lease);
      return;
    }
    const row = leaseOf.get(lease) as { ends: number; released: number } | undefined;
    if (row?.released) return;
    const end = Math.max(to, row?.ends ?? to);
    moveEnd.run(end, lease);
    setLeaseEnd.run(end, 0, lease);
  });
  const find = db.prepare('SELECT * FROM lease_periods WHERE number = ? AND ends > ? AND starts <= ? ORDER BY starts');
  const visitOfLease = db.prepare('SELECT visit FROM leases WHERE session = ? AND lease = ?');
  const periodOfLease = db.prepare('SELECT 1 FROM lease_periods WHERE session = ? AND lease = ? LIMIT 1');
  const visitOf = (session: string, lease: string): string | undefined => {
    const row = visitOfLease.get(session, lease) as { visit: string } | undefined;
    if (row) return row.visit;
    return periodOfLease.get(session, lease) ? lease : undefined;
  };
  // When a visit began, as its leases keep it; for one recorded before they did, the start of the
  // periods of its first lease (a visit of periods only, from before leases were recorded), else
  // the end of its earliest lease left.
  const beganOf = db.prepare(`SELECT coalesce(
    (SELECT min(began) FROM leases WHERE session = @session AND visit = @visit),
    (SELECT min(starts) FROM lease_periods WHERE session = @session AND lease = @visit),
    (SELECT min(ends) FROM leases WHERE session = @session AND visit = @visit), 0) AS began`);
  const forgetPeriods = db.prepare(
    'DELETE FROM lease_periods WHERE session = ? AND (lease = ? OR lease IN (SELECT lease FROM leases WHERE session = ? AND visit = ?))',
  );
  const forgetLeases = db.prepare(
    'UPDATE leases SET session = ?, visit = ?, began = NULL, released = 1 WHERE session = ? AND visit = ?',
  );
  const forget = db.transaction((session: string, lease: string): ForgetResult => {
    const visit = visitOf(session, lease);
    if (visit === undefined) return { kind: 'unknown' };
    const periods = forgetPeriods.run(session, visit, session, visit).changes;
    forgetLeases.run(FORGOTTEN, FORGOTTEN, session, visit);
    return { kind: 'forgotten', periods };
  });
  const insertReceipt = db.prepare(
    'INSERT INTO receipts (id, body, received) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING',
  );
  const getReceipt = db.prepare('SELECT body, received FROM receipts WHERE id = ?');
  const page = db.prepare(
    'SELECT id, body, received FROM receipts WHERE received >= ? AND received < ? AND (received > ? OR (received = ? AND id > ?)) ORDER BY received, id LIMIT ?',
  );
  const inUse = db.prepare(
    "SELECT target, number, max(ends) AS ends FROM lease_periods WHERE kind = 'own' AND ends > ? GROUP BY target, number",
  );
  const purgePeriods = db.prepare('DELETE FROM lease_periods WHERE ends < ?');
  const purgeLeases = db.prepare('DELETE FROM leases WHERE ends < ?');
  const purgeReceipts = db.prepare('DELETE FROM receipts WHERE received < ?');

  return {
    async startLease(lease, periods) {
      return startOne(lease, periods);
    },
    async startPeriods(periods) {
      startAll(periods);
    },
    async endPeriods(lease, to, released = false) {
      endAll(to, lease, released);
    },
    async findPeriods(number, at, graceMs) {
      return (find.all(number, at - graceMs, at) as PeriodRow[]).map(toPeriod);
    },
    async numbersInUse(after) {
      const rows = inUse.all(after) as { target: string; number: string; ends: number }[];
      return rows.map((r) => ({ target: r.target, number: r.number, to: r.ends }));
    },
    async findVisit(session, lease) {
      const visit = visitOf(session, lease);
      if (visit === undefined) return isMark.get(lease) ? { kind: 'withdrawn' } : { kind: 'missing' };
      const { began } = beganOf.get({ session, visit }) as { began: number };
      return { kind: 'found', visit, began };
    },
    async forgetVisit(session, lease) {
      return forget(session, lease);
    },
    async addReceipt(receipt, received) {
      const body = JSON.stringify(receipt);
      if (insertReceipt.run(receipt.id, body, received).changes === 1) return { kind: 'added', received };
      const existing = getReceipt.get(receipt.id) as { body: string; received: number };
      return existing.body === body ? { kind: 'duplicate', received: existing.received } : { kind: 'conflict' };
    },
    async findReceipt(id) {
      const row = getReceipt.get(id) as { body: string; received: number } | undefined;
      return row ? { kind: 'found', record: readStoredReceipt(row.body, row.received) } : { kind: 'missing' };
    },
    async listReceipts({ from, to, after, limit }) {
      const afterTime = after ? after.received : -1;
      const afterId = after ? after.id : '';
      return (page.all(from, to, afterTime, afterTime, afterId, limit) as { body: string; received: number }[]).map(
        (r): StoredReceipt => readStoredReceipt(r.body, r.received),
      );
    },
    async purge(periodsBefore, receiptsBefore) {
      // Periods first: a purge cut short leaves no period without its lease's visit.
      const periods = purgePeriods.run(periodsBefore).changes;
      purgeLeases.run(periodsBefore);
      return { periods, receipts: purgeReceipts.run(receiptsBefore).changes };
    },
    async ping() {
      db.prepare('SELECT 1').get();
    },
    async close() {
      db.close();
    },
  };
}
