// Records in PostgreSQL (the `pg` package, an optional peer dependency): for many server
// instances. The tables are made on first use, and made again after a failure, so a server started
// while the database was down serves as soon as it is up.
import type { Pool as PgPool } from 'pg';
import {
  orderContext,
  RecordStoreUnavailable,
  readStoredReceipt,
  type ForgetResult,
  type LeasePeriod,
  type RecordStore,
  type StartLeaseResult,
  FORGOTTEN,
} from './records.js';

/** Rows one statement of a purge deletes at most. */
const PURGE_BATCH = 5000;

/** Options of {@link createPostgresRecordStore}. */
export interface PostgresRecordStoreOptions {
  /** `postgres://user:password@host:port/database`. */
  url: string;
  /** Ms a connection attempt or a query may take before the server answers 503. @default 1000 */
  timeout?: number;
  /** Connections at most. @default 10 */
  max?: number;
}

// Sent as one simple query, so it runs as one transaction; instances starting together on a new
// database take turns (the advisory lock is held to its end), since two concurrent CREATE TABLE IF
// NOT EXISTS of one table both try to make it and one fails on a catalog's unique key.
const SCHEMA = `
SELECT pg_advisory_xact_lock(hashtext('consentline schema'));
CREATE TABLE IF NOT EXISTS consentline_lease_periods (
  lease text NOT NULL, session text NOT NULL, target text NOT NULL, number text NOT NULL,
  kind text NOT NULL, context jsonb NOT NULL, starts bigint NOT NULL, ends bigint NOT NULL);
CREATE INDEX IF NOT EXISTS consentline_lease_periods_number ON consentline_lease_periods (number, ends);
CREATE INDEX IF NOT EXISTS consentline_lease_periods_lease ON consentline_lease_periods (lease);
CREATE INDEX IF NOT EXISTS consentline_lease_periods_session ON consentline_lease_periods (session);
CREATE INDEX IF NOT EXISTS consentline_lease_periods_ends ON consentline_lease_periods (ends);
CREATE TABLE IF NOT EXISTS consentline_leases (
  lease text PRIMARY KEY, session text NOT NULL, visit text NOT NULL, ends bigint NOT NULL, began bigint,
  released boolean NOT NULL DEFAULT false);
ALTER TABLE consentline_leases ADD COLUMN IF NOT EXISTS began bigint;
ALTER TABLE consentline_leases ADD COLUMN IF NOT EXISTS released boolean NOT NULL DEFAULT false;
CREATE INDEX IF NOT EXISTS consentline_leases_visit ON consentline_leases (session, visit);
CREATE INDEX IF NOT EXISTS consentline_leases_ends ON consentline_leases (ends);
CREATE TABLE IF NOT EXISTS consentline_receipts (id text PRIMARY KEY, body text NOT NULL, received bigint NOT NULL);
CREATE INDEX IF NOT EXISTS consentline_receipts_received ON consentline_receipts (received, id);
`;

// The visit of a lease of session $1 ($2, a hash): its recorded visit, else (a lease with periods
// but no row in consentline_leases) the lease itself when it has periods.
const VISIT = `SELECT visit FROM (
  SELECT visit, 0 AS o FROM consentline_leases WHERE session = $1 AND lease = $2
  UNION ALL SELECT lease, 1 FROM consentline_lease_periods WHERE session = $1 AND lease = $2
) c ORDER BY o LIMIT 1`;

// The visit of the lease and when it began, as its leases keep it; for one recorded before they
// did, the start of the periods of its first lease (a visit of periods only, from before leases
// were recorded), else the end of its earliest lease left.
const FIND_VISIT = `WITH v AS (${VISIT})
SELECT v.visit, coalesce(
  (SELECT min(began) FROM consentline_leases l WHERE l.session = $1 AND l.visit = v.visit),
  (SELECT min(starts) FROM consentline_lease_periods p WHERE p.session = $1 AND p.lease = v.visit),
  (SELECT min(ends) FROM consentline_leases l WHERE l.session = $1 AND l.visit = v.visit), 0) AS began
FROM v`;

// One statement, so the visit is erased whole or not at all. Its leases stay as marks holding only
// their hash (records.ts, FORGOTTEN) until their retention ends.
const FORGET = `WITH v AS (${VISIT}),
l AS (UPDATE consentline_leases SET session = '${FORGOTTEN}', visit = '${FORGOTTEN}', began = NULL, released = true
  WHERE session = $1 AND visit IN (SELECT visit FROM v) RETURNING lease),
p AS (DELETE FROM consentline_lease_periods WHERE session = $1
  AND (lease IN (SELECT visit FROM v) OR lease IN (SELECT lease FROM l)) RETURNING 1)
SELECT (SELECT count(*) FROM v)::int AS known, (SELECT count(*) FROM p)::int AS periods`;

// The lease ($1, a hash) is the mark a withdrawal left of its visit.
const MARK = `SELECT 1 FROM consentline_leases WHERE lease = $1 AND session = '${FORGOTTEN}'`;

// A release ends a lease for good. A renewal moves the end only of a lease not released, and only
// on (two renewals' writes may land in the other order): its periods follow the lease row's
// update, which waits for a concurrent release's row lock and then finds the lease released. (A
// lease recorded only by its periods, from before leases were, has no row to follow.)
const END_RELEASED = `WITH l AS (UPDATE consentline_leases SET ends = $1, released = true WHERE lease = $2)
UPDATE consentline_lease_periods SET ends = $1 WHERE lease = $2`;
const END_RENEWED = `WITH l AS (UPDATE consentline_leases SET ends = greatest(ends, $1) WHERE lease = $2 AND NOT released RETURNING ends)
UPDATE consentline_lease_periods SET ends = greatest(ends, coalesce((SELECT ends FROM l), $1)) WHERE lease = $2
  AND (EXISTS (SELECT 1 FROM l) OR NOT EXISTS (SELECT 1 FROM consentline_leases WHERE lease = $2))`;

// Periods as typed rows of a VALUES list (typed, so that they can be selected from), their
// parameters numbered from `first`.
const PERIOD_TYPES = ['text', 'text', 'text', 'text', 'text', 'jsonb', 'bigint', 'bigint'];
const periodRows = (periods: readonly LeasePeriod[], first: number) => {
  const values: unknown[] = [];
  const rows = periods.map((p, i) => {
    values.push(p.lease, p.session, p.target, p.number, p.kind, JSON.stringify(p.context), p.from, p.to);
    return `(${PERIOD_TYPES.map((type, k) => `$${first + i * 8 + k}::${type}`).join(', ')})`;
  });
  return { rows: rows.join(', '), values };
};
const PERIOD_COLUMNS = '(lease, session, target, number, kind, context, starts, ends)';

interface PeriodRow {
  lease: string;
  session: string;
  target: string;
  number: string;
  kind: 'own' | 'shared';
  context: LeasePeriod['context'];
  starts: string;
  ends: string;
}

/**
 * Creates a record store on PostgreSQL (the `pg` package, an optional peer dependency, is loaded
 * here: the promise rejects when it is not installed). Resolves without connecting; each call
 * connects as needed and makes the tables on first use, and throws {@link RecordStoreUnavailable}
 * while the database cannot be reached (the server answers 503).
 *
 * @example
 * const records = await createPostgresRecordStore({ url: process.env.DATABASE_URL ?? '' });
 */
export async function createPostgresRecordStore(options: PostgresRecordStoreOptions): Promise<RecordStore> {
  const { url, timeout = 1000, max = 10 } = options;
  const { default: pg } = await import('pg');
  const pool: PgPool = new pg.Pool({
    connectionString: url,
    max,
    connectionTimeoutMillis: timeout,
    query_timeout: timeout,
    idleTimeoutMillis: 10_000,
  });
  // An idle connection that the database closes (a restart) reports here; the pool replaces it.
  pool.on('error', () => {});
  let schema: Promise<void> | undefined;
  const ensureSchema = async (): Promise<void> => {
    schema ??= pool.query(SCHEMA).then(() => undefined);
    await schema.catch((error: unknown) => {
      schema = undefined;
      throw error;
    });
  };
  // An outage is a lost or refused connection (a system error such as ECONNREFUSED, or SQLSTATE
  // class 08), the server short of resources or shutting down (53, 57: a statement timeout too) or
  // failing (58). Any other SQLSTATE (constraint, syntax, data such as a NUL in text) is a bug and
  // keeps its message: answered 503, the client would retry it for ever.
  const failure = (error: unknown): Error => {
    const code = (error as { code?: string }).code ?? '';
    if (/^[0-9A-Z]{5}$/.test(code) && !/^(08|53|57|58)/.test(code)) return error as Error;
    return new RecordStoreUnavailable((error as Error).message);
  };
  const query = async <R extends object>(
    text: string,
    values: unknown[] = [],
  ): Promise<{ rows: R[]; rowCount: number }> => {
    try {
      await ensureSchema();
      const result = await pool.query<R>(text, values);
      return { rows: result.rows, rowCount: result.rowCount ?? 0 };
    } catch (error) {
      throw failure(error);
    }
  };
  type Query = <R extends object>(text: string, values: unknown[]) => Promise<{ rows: R[] }>;
  // A transaction holding the session's visit lock: a withdrawal and a new lease of one session
  // take turns, and each statement after the lock sees what the other committed (read committed),
  // so a withdrawal finds the lease written before it, and a lease finds the withdrawal before it.
  const underSessionLock = async <T>(session: string, run: (q: Query) => Promise<T>): Promise<T> => {
    try {
      await ensureSchema();
      const client = await pool.connect();
      // A connection lost mid-transaction fails the query under way; the event needs a listener.
      const lost = () => {};
      client.on('error', lost);
      try {
        await client.query('BEGIN');
        await client.query("SELECT pg_advisory_xact_lock(hashtext('consentline visit'), hashtext($1))", [session]);
        const result = await run(async (text, values) => ({ rows: (await client.query(text, values)).rows }));
        await client.query('COMMIT');
        client.off('error', lost);
        client.release();
        return result;
      } catch (error) {
        // A connection whose transaction is in an unknown state is not given back to the pool.
        client.off('error', lost);
        client.release(error as Error);
        throw error;
      }
    } catch (error) {
      throw failure(error);
    }
  };

  return {
    startLease: (lease, periods) =>
      underSessionLock(lease.session, async (q): Promise<StartLeaseResult> => {
        if (lease.named !== undefined) {
          const mark = await q(MARK, [lease.named]);
          if (mark.rows.length) return { kind: 'withdrawn' };
        }
        const insertLease =
          'INSERT INTO consentline_leases (lease, session, visit, ends, began) VALUES ($1, $2, $3, $4, $5)';
        const leaseValues = [lease.lease, lease.session, lease.visit, lease.to, lease.began];
        const rest = periodRows(periods, 6);
        if (!periods.length) await q(insertLease, leaseValues);
        else
          await q(
            `WITH l AS (${insertLease}) INSERT INTO consentline_lease_periods ${PERIOD_COLUMNS} VALUES ${rest.rows}`,
            [...leaseValues, ...rest.values],
          );
        return { kind: 'started' };
      }),
    async startPeriods(periods) {
      const first = periods[0];
      if (!first) return;
      // The lease row's lock waits for a release under way, whose end then applies, or for a
      // withdrawal, which leaves no row: nothing is written then.
      const rest = periodRows(periods, 2);
      await query(
        `WITH r AS (SELECT session, ends, released FROM consentline_leases WHERE lease = $1 FOR SHARE)
INSERT INTO consentline_lease_periods ${PERIOD_COLUMNS}
SELECT v.lease, v.session, v.target, v.number, v.kind, v.context, v.starts,
  CASE WHEN (SELECT released FROM r) THEN least(v.ends, (SELECT ends FROM r)) ELSE v.ends END
FROM (VALUES ${rest.rows}) AS v ${PERIOD_COLUMNS}
WHERE NOT EXISTS (SELECT 1 FROM r WHERE session = '${FORGOTTEN}')`,
        [first.lease, ...rest.values],
      );
    },
    async endPeriods(lease, to, released = false) {
      await query(released ? END_RELEASED : END_RENEWED, [to, lease]);
    },
    async findPeriods(number, at, graceMs) {
      const { rows } = await query<PeriodRow>(
        'SELECT * FROM consentline_lease_periods WHERE number = $1 AND ends > $2 AND starts <= $3 ORDER BY starts',
        [number, at - graceMs, at],
      );
      return rows.map((r) => ({
        lease: r.lease,
        session: r.session,
        target: r.target,
        number: r.number,
        kind: r.kind,
        context: orderContext(r.context),
        from: Number(r.starts),
        to: Number(r.ends),
      }));
    },
    async findVisit(session, lease) {
      const { rows } = await query<{ visit: string; began: string }>(FIND_VISIT, [session, lease]);
      const row = rows[0];
      if (row) return { kind: 'found', visit: row.visit, began: Number(row.began) };
      const mark = await query(MARK, [lease]);
      return mark.rowCount ? { kind: 'withdrawn' } : { kind: 'missing' };
    },
    forgetVisit: (session, lease) =>
      underSessionLock(session, async (q): Promise<ForgetResult> => {
        const { rows } = await q<{ known: number; periods: number }>(FORGET, [session, lease]);
        const row = rows[0];
        return row && row.known > 0 ? { kind: 'forgotten', periods: row.periods } : { kind: 'unknown' };
      }),
    async addReceipt(receipt, received) {
      const body = JSON.stringify(receipt);
      const inserted = await query(
        'INSERT INTO consentline_receipts (id, body, received) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING',
        [receipt.id, body, received],
      );
      if (inserted.rowCount === 1) return { kind: 'added', received };
      const { rows } = await query<{ body: string; received: string }>(
        'SELECT body, received FROM consentline_receipts WHERE id = $1',
        [receipt.id],
      );
      const existing = rows[0];
      return existing && existing.body === body
        ? { kind: 'duplicate', received: Number(existing.received) }
        : { kind: 'conflict' };
    },
    async findReceipt(id) {
      const { rows } = await query<{ body: string; received: string }>(
        'SELECT body, received FROM consentline_receipts WHERE id = $1',
        [id],
      );
      const row = rows[0];
      return row ? { kind: 'found', record: readStoredReceipt(row.body, Number(row.received)) } : { kind: 'missing' };
    },
    async listReceipts({ from, to, after, limit }) {
      const { rows } = await query<{ body: string; received: string }>(
        'SELECT body, received FROM consentline_receipts WHERE received >= $1 AND received < $2 AND (received, id) > ($3, $4) ORDER BY received, id LIMIT $5',
        [from, to, after ? after.received : -1, after ? after.id : '', limit],
      );
      return rows.map((r) => readStoredReceipt(r.body, Number(r.received)));
    },
    async numbersInUse(after) {
      const { rows } = await query<{ target: string; number: string; ends: string }>(
        "SELECT target, number, max(ends) AS ends FROM consentline_lease_periods WHERE kind = 'own' AND ends > $1 GROUP BY target, number",
        [after],
      );
      return rows.map((r) => ({ target: r.target, number: r.number, to: Number(r.ends) }));
    },
    async purge(periodsBefore, receiptsBefore) {
      // A part at a time: a backlog (retention shortened, a server long stopped) deleted in one
      // statement would outlast the query time, fail at every purge, and never be deleted.
      const purgeAll = async (table: string, column: string, before: number): Promise<number> => {
        let removed = 0;
        for (;;) {
          const { rowCount } = await query(
            `DELETE FROM ${table} WHERE ctid = ANY(ARRAY(SELECT ctid FROM ${table} WHERE ${column} < $1 LIMIT ${PURGE_BATCH}))`,
            [before],
          );
          removed += rowCount;
          if (rowCount < PURGE_BATCH) return removed;
        }
      };
      // Periods first: a purge cut short leaves no period without its lease's visit.
      const periods = await purgeAll('consentline_lease_periods', 'ends', periodsBefore);
      await purgeAll('consentline_leases', 'ends', periodsBefore);
      const receipts = await purgeAll('consentline_receipts', 'received', receiptsBefore);
      return { periods, receipts };
    },
    async ping() {
      await query('SELECT 1');
    },
    async close() {
      await pool.end();
    },
  };
}
