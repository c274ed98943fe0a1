// Records in a SQLite file (the `better-sqlite3` package, an optional peer dependency): the
// embedded default for one machine. Synchronous underneath, so each call is atomic by itself.
import type { Database as SqliteDatabase } from 'better-sqlite3';
import { readStoredReceipt, type LeasePeriod, type RecordStore, type StoredReceipt } from './records.js';

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
  context: JSON.parse(r.context) as LeasePeriod['context'],
  from: r.starts,
  to: r.ends,
});

/** Creates a record store in a SQLite file (made with its tables when missing). */
export async function createSqliteRecordStore(options: SqliteRecordStoreOptions): Promise<RecordStore> {
  const { default: Database } = await import('better-sqlite3');
  const db: SqliteDatabase = new Database(options.file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(SCHEMA);
  const insertPeriod = db.prepare(
    'INSERT INTO lease_periods (lease, session, target, number, kind, context, starts, ends) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const startAll = db.transaction((periods: readonly LeasePeriod[]) => {
    for (const p of periods)
      insertPeriod.run(p.lease, p.session, p.target, p.number, p.kind, JSON.stringify(p.context), p.from, p.to);
  });
  const setEnd = db.prepare('UPDATE lease_periods SET ends = ? WHERE lease = ?');
  const find = db.prepare('SELECT * FROM lease_periods WHERE number = ? AND ends >= ? AND starts <= ? ORDER BY starts');
  const forget = db.prepare(
    'DELETE FROM lease_periods WHERE session = ? AND EXISTS (SELECT 1 FROM lease_periods WHERE session = ? AND lease = ?)',
  );
  const insertReceipt = db.prepare(
    'INSERT INTO receipts (id, body, received) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING',
  );
  const getReceipt = db.prepare('SELECT body, received FROM receipts WHERE id = ?');
  const page = db.prepare(
    'SELECT id, body, received FROM receipts WHERE received >= ? AND received < ? AND (received > ? OR (received = ? AND id > ?)) ORDER BY received, id LIMIT ?',
  );
  const purgePeriods = db.prepare('DELETE FROM lease_periods WHERE ends < ?');
  const purgeReceipts = db.prepare('DELETE FROM receipts WHERE received < ?');

  return {
    async startPeriods(periods) {
      startAll(periods);
    },
    async endPeriods(lease, to) {
      setEnd.run(to, lease);
    },
    async findPeriods(number, at, graceMs) {
      return (find.all(number, at - graceMs, at) as PeriodRow[]).map(toPeriod);
    },
    async forgetSession(session, lease) {
      return forget.run(session, session, lease).changes;
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
      return { periods: purgePeriods.run(periodsBefore).changes, receipts: purgeReceipts.run(receiptsBefore).changes };
    },
    async ping() {
      db.prepare('SELECT 1').get();
    },
    async close() {
      db.close();
    },
  };
}
