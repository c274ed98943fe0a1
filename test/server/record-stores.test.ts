// One script of record-store operations run on SQLite and on a real PostgreSQL: every answer must be
// the same, byte for byte once serialised, whatever the engine.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createPostgresRecordStore,
  createSqliteRecordStore,
  type LeasePeriod,
  type RecordStore,
} from '../../src/server/index';
import { sessionId, T0, TARGET } from './support/harness';
import { startPostgres, type PostgresInstance } from './support/services';

let postgres: PostgresInstance;
beforeAll(async () => {
  postgres = await startPostgres();
}, 60_000);
afterAll(async () => {
  await postgres?.stop();
});

const openPostgres = async (): Promise<RecordStore> => {
  const name = `conf_${process.hrtime.bigint()}`;
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: postgres.url });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  return createPostgresRecordStore({ url: postgres.url.replace(/\/postgres$/, `/${name}`), timeout: 10_000 });
};

/** Runs `script` on both engines and returns what each answered, serialised. */
const onBoth = async (script: (records: RecordStore) => Promise<unknown[]>): Promise<[string, string]> => {
  const sqlite = await createSqliteRecordStore({ file: ':memory:' });
  const pg = await openPostgres();
  try {
    return [JSON.stringify(await script(sqlite)), JSON.stringify(await script(pg))];
  } finally {
    await Promise.all([sqlite.close(), pg.close()]);
  }
};

const period = (lease: string, extra: Partial<LeasePeriod> = {}): LeasePeriod => ({
  lease,
  session: sessionId(1),
  target: TARGET,
  number: '+18885550101',
  kind: 'own',
  context: {},
  from: T0,
  to: T0 + 60_000,
  ...extra,
});

describe('SQLite and PostgreSQL record stores', () => {
  it('answer a visit context in one order, its text whole', async () => {
    const context = {
      f: {
        t: T0,
        p: '/landing/日本語/עברית/e\u0301',
        q: { utm_source: 'google', gclid: 'Cj0KCQ', utm_medium: 'cpc', a: '😀 x', z: '' },
        r: 'www.google.com',
      },
      l: { t: T0 + 1, p: '/', q: {} },
    };
    const [sqlite, pg] = await onBoth(async (records) => {
      await records.startLease({ lease: 'h1', session: sessionId(1), visit: 'h1', began: T0, to: T0 + 60_000 }, [
        period('h1', { context }),
      ]);
      return [await records.findPeriods('+18885550101', T0 + 1000, 0)];
    });
    expect(pg).toBe(sqlite);
    // The parameters by name, every character kept.
    const q = { a: '😀 x', gclid: 'Cj0KCQ', utm_medium: 'cpc', utm_source: 'google', z: '' };
    expect(sqlite).toContain(JSON.stringify({ f: { ...context.f, q }, l: context.l }));
  });

  it('answer every read the same after one script of writes', async () => {
    const receipt = (id: string, origin = 'https://shop.example') => ({
      v: 1 as const,
      id,
      time: new Date(T0 - 1000).toISOString(),
      revision: 2,
      grants: { analytics: true, constructor: false },
      method: 'banner' as const,
      gpc: false,
      origin,
    });
    const [sqlite, pg] = await onBoth(async (records) => {
      const answers: unknown[] = [];
      const other = sessionId(2);
      await records.startLease({ lease: 'h1', session: sessionId(1), visit: 'h1', began: T0, to: T0 + 60_000 }, [
        period('h1'),
      ]);
      await records.startLease({ lease: 'h2', session: sessionId(1), visit: 'h1', began: T0, to: T0 + 120_000 }, [
        period('h2', { from: T0 + 60_000, to: T0 + 120_000, number: '+18885550102' }),
      ]);
      await records.startLease({ lease: 'h3', session: other, visit: 'h3', began: T0 + 5, to: T0 + 60_000 }, [
        period('h3', { session: other, kind: 'shared', number: '+18009990000' }),
        period('h3', { session: other, target: '+15557654321', kind: 'shared', number: '+18009990000' }),
      ]);
      await records.endPeriods('h3', T0 + 30_000, true);
      await records.endPeriods('h3', T0 + 90_000);
      answers.push(await records.findPeriods('+18885550101', T0 + 60_000, 0));
      answers.push(await records.findPeriods('+18885550101', T0 + 60_000 + 29_999, 30_000));
      answers.push(await records.findPeriods('+18009990000', T0 + 20_000, 0));
      answers.push(await records.findPeriods('+18009990000', T0 + 50_000, 0));
      answers.push(await records.findVisit(sessionId(1), 'h2'), await records.findVisit(other, 'h2'));
      for (const id of ['aaaaaaaa01', 'aaaaaaaa03', 'aaaaaaaa02', 'zzzzzzzz01', '0000000001'])
        answers.push(await records.addReceipt(receipt(id), T0 + 1000));
      answers.push(await records.addReceipt(receipt('aaaaaaaa01'), T0 + 2000));
      answers.push(await records.addReceipt(receipt('aaaaaaaa01', `https://${'a'.repeat(280)}.example`), T0 + 2000));
      answers.push(await records.listReceipts({ from: T0, to: T0 + 1001, limit: 2 }));
      answers.push(
        await records.listReceipts({
          from: T0,
          to: T0 + 1001,
          after: { received: T0 + 1000, id: 'aaaaaaaa02' },
          limit: 10,
        }),
      );
      answers.push(await records.findReceipt('aaaaaaaa03'), await records.findReceipt("x' OR '1'='1"));
      answers.push(await records.forgetVisit(other, 'h1'), await records.forgetVisit(sessionId(1), 'h2'));
      answers.push(await records.findPeriods('+18885550101', T0 + 1000, 0));
      answers.push(await records.purge(T0 + 60_001, T0 + 1001));
      answers.push(await records.listReceipts({ from: 0, to: T0 + 10_000, limit: 10 }));
      return answers;
    });
    expect(pg).toBe(sqlite);
  });
});
