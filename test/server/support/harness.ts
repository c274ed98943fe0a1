// Drives a server in-process through its fetch handler, with a clock the test moves.
import { randomBytes } from 'node:crypto';
import {
  createConsentlineServer,
  createMemoryLeaseStore,
  createPostgresRecordStore,
  createRedisLeaseStore,
  createSqliteRecordStore,
  type ConsentlineServer,
  type ConsentlineServerOptions,
  type LeaseStore,
  type LogEntry,
  type PoolConfig,
  type RecordStore,
} from '../../../src/server/index';
import { afterAll, beforeAll } from 'vitest';
import { startPostgres, startRedis, type PostgresInstance, type RedisInstance } from './services';

export const T0 = Date.UTC(2030, 0, 15, 10, 0, 0);
export const TARGET = '+15551234567';
export const OTHER_TARGET = '+15557654321';

/** A clock for the server under test. */
export interface Clock {
  now(): number;
  advance(ms: number): void;
  set(ms: number): void;
}

export function createClock(start = T0): Clock {
  let t = start;
  return {
    now: () => t,
    advance: (ms) => {
      t += ms;
    },
    set: (ms) => {
      t = ms;
    },
  };
}

/** A server under test with helpers for its endpoints. */
export interface Harness {
  server: ConsentlineServer;
  clock: Clock;
  logs: LogEntry[];
  /** POSTs a JSON body (as text/plain, as the SDK does) to /v1/pool/<op>. */
  pool(
    op: 'assign' | 'renew' | 'release',
    body: unknown,
    address?: string,
  ): Promise<{ status: number; body: any; headers: Headers }>;
  post(
    path: string,
    body: unknown,
    init?: { address?: string; headers?: Record<string, string> },
  ): Promise<{ status: number; body: any; headers: Headers }>;
  get(path: string, token?: string): Promise<{ status: number; body: any; text: string; headers: Headers }>;
  /** A POST whose body arrives only when `arrive()` is called, as from a slow client. */
  slow(path: string, body: unknown): { arrive(): void; done: ReturnType<Harness['post']> };
}

export function createHarness(options: Omit<ConsentlineServerOptions, 'now' | 'log'> & { clock?: Clock }): Harness {
  const clock = options.clock ?? createClock();
  const logs: LogEntry[] = [];
  const server = createConsentlineServer({
    ...options,
    now: clock.now,
    log: (e) => logs.push(e),
    purgeEveryMs: 3_600_000,
  });
  const read = async (response: Response) => {
    const text = await response.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // NDJSON or empty: the text is the body.
    }
    return { status: response.status, body, text, headers: response.headers };
  };
  const post: Harness['post'] = async (path, body, init = {}) =>
    read(
      await server.fetch(
        new Request(`http://consentline.test${path}`, {
          method: 'POST',
          body: typeof body === 'string' ? body : JSON.stringify(body),
          headers: { 'content-type': 'text/plain;charset=UTF-8', ...init.headers },
        }),
        { address: init.address ?? '203.0.113.7' },
      ),
    );
  const slow: Harness['slow'] = (path, body) => {
    let arrive = () => {};
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        arrive = () => {
          controller.enqueue(new TextEncoder().encode(JSON.stringify(body)));
          controller.close();
        };
      },
    });
    const request = new Request(`http://consentline.test${path}`, {
      method: 'POST',
      body: stream,
      headers: { 'content-type': 'text/plain;charset=UTF-8' },
      duplex: 'half',
    } as RequestInit);
    return { arrive: () => arrive(), done: server.fetch(request, { address: '203.0.113.7' }).then(read) };
  };
  return {
    server,
    clock,
    logs,
    slow,
    pool: (op, body, address) => post(`/v1/pool/${op}`, body, address === undefined ? {} : { address }),
    post,
    get: async (path, token) =>
      read(
        await server.fetch(
          new Request(`http://consentline.test${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} }),
          { address: '203.0.113.7' },
        ),
      ),
  };
}

/** A session id as the SDK makes it. */
export const sessionId = (n: number | string): string => `s${String(n).padStart(11, '0')}`.replace(/[^a-z0-9]/g, 'x');

/** Tracking numbers +1888555xxxx. */
export const trackingNumbers = (count: number, base = 0): string[] =>
  Array.from({ length: count }, (_, i) => `+1888${String(5_000_000 + base + i).padStart(7, '0')}`);

/**
 * A Redis lease store under `prefix`, returned once a ping answers (connected and configured). A
 * generous command timeout: these tests are about the protocol, on a machine that may be busy.
 */
export async function connectRedisLeaseStore(url: string, pool: PoolConfig, prefix: string): Promise<LeaseStore> {
  const store = await createRedisLeaseStore({ url, pool, prefix, timeout: 10_000 });
  for (let i = 0; i < 100; i++) {
    if (
      await store.ping().then(
        () => true,
        () => false,
      )
    )
      break;
    await new Promise((r) => setTimeout(r, 20));
  }
  return store;
}

/**
 * Makers of a new, empty record store per engine: SQLite in memory, and PostgreSQL in a database
 * of its own (named from `prefix`) on the instance `postgres()` answers, so tests never see each
 * other's rows.
 */
export const recordStoreMakers = (
  postgres: () => PostgresInstance,
  prefix: string,
): Record<string, () => Promise<RecordStore>> => ({
  sqlite: () => createSqliteRecordStore({ file: ':memory:' }),
  postgres: async () => createPostgresRecordStore({ url: await postgres().createDatabase(prefix), timeout: 10_000 }),
});

/**
 * Makers of a new lease store per engine: in memory, and on the Redis `redis()` answers under a
 * prefix of its own (starting with `prefix`), so tests never see each other's keys.
 */
export const leaseStoreMakers = (
  redis: () => RedisInstance,
  prefix: string,
): Record<string, (pool: PoolConfig) => Promise<LeaseStore>> => ({
  memory: async (pool) => createMemoryLeaseStore(pool),
  redis: (pool) =>
    createRedisLeaseStore({
      url: redis().url,
      pool,
      prefix: `${prefix}${randomBytes(4).toString('hex')}:`,
      timeout: 10_000,
    }),
});

/** Every pair of a lease store's name and a record store's name. */
export const storePairs = (leases: object, records: object): (readonly [string, string])[] =>
  Object.keys(leases).flatMap((l) => Object.keys(records).map((r) => [l, r] as const));

/**
 * A private PostgreSQL and Redis for the calling test file (started before its tests, stopped
 * after them), with makers of each kind of store on them (named from `prefix`) and every pair.
 */
export function useStorePairs(prefix: string) {
  let postgres: PostgresInstance | undefined;
  let redis: RedisInstance | undefined;
  beforeAll(async () => {
    [postgres, redis] = await Promise.all([startPostgres(), startRedis()]);
  }, 60_000);
  // As usePostgres: stopping may outlast the default hook time on a busy machine.
  afterAll(async () => {
    await Promise.all([postgres?.stop(), redis?.stop()]);
  }, 60_000);
  const leaseStores = leaseStoreMakers(() => redis as RedisInstance, prefix);
  const recordStores = recordStoreMakers(() => postgres as PostgresInstance, prefix);
  return { leaseStores, recordStores, pairs: storePairs(leaseStores, recordStores) };
}
