// The CLI's configuration: flags, else environment variables, else defaults; and the stores it
// names (`--db sqlite:<file>` or `postgres://…`, `--redis redis://…`, else memory).
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { ClientLimits } from './guard.js';
import { createMemoryLeaseStore, type LeaseStore, type PoolConfig } from './leases.js';
import type { RecordStore } from './records.js';

/** Everything the CLI was told. */
export interface ServerConfig {
  port: number;
  host: string;
  pool: PoolConfig;
  /** `sqlite:<file>` or `postgres://…`. */
  db: string;
  /** `redis://…`, or undefined for leases in memory. */
  redis: string | undefined;
  token: string | undefined;
  origins: string[];
  retentionDays: number;
  receiptRetentionDays: number;
  limits: ClientLimits;
  /** Proxies in front whose `X-Forwarded-For` entries are trusted (0: none). */
  trustProxy: number;
  /** Connections held at once (the Node adapter's `maxConnections`). */
  maxConnections: number;
  dev: boolean;
}

/** The CLI's help text. */
export const USAGE = `consentline-server: session pools, call attribution and consent receipts.

  --numbers <file.json>   { "numbers": { "<target>": ["<tracking>", …] }, "overflow": { "<target>": "<tracking>" } }  (required; CONSENTLINE_NUMBERS)
  --port <n>              default 8787 (CONSENTLINE_PORT, PORT)
  --host <address>        default 127.0.0.1; 0.0.0.0 in a container (CONSENTLINE_HOST)
  --db <url>              sqlite:<file> (default sqlite:consentline.db) or postgres://… (CONSENTLINE_DB)
  --redis <url>           redis://… to share leases between instances; default in memory (CONSENTLINE_REDIS)
  --token <secret>        bearer token of the read APIs; prefer CONSENTLINE_TOKEN (a flag shows in ps)
  --origin <origin>       a site allowed to call the pool and receipts (repeat or comma-separate; CONSENTLINE_ORIGIN)
  --ttl <s>               lease length, default 60 (CONSENTLINE_TTL)
  --quarantine <s>        rest of a number after a lease, default 30 (CONSENTLINE_QUARANTINE)
  --overflow-leases <n>   live leases kept beyond the pool's numbers (an overflow number, or none
                          while all are taken); past them assign answers 429, default 1000
                          (CONSENTLINE_OVERFLOW_LEASES)
  --retention-days <d>    lease periods kept, default 30 (CONSENTLINE_RETENTION_DAYS)
  --receipt-retention-days <d>  consent receipts kept, default 730 (CONSENTLINE_RECEIPT_RETENTION_DAYS)
  --rate <n>              requests per client per minute, default 60, for assign and receipts
                          and, apart, for renew and release
  --client-leases <n>     live leases one client may hold, default 20
                          (with --redis both limits are kept in Redis, shared by the instances; the
                          client hash is keyed with CONSENTLINE_CLIENT_SECRET, else the token)
  --trust-proxy           the client is the last X-Forwarded-For address (behind a load balancer;
                          CONSENTLINE_TRUST_PROXY=1)
  --proxies <n>           behind n proxies (a CDN before a load balancer: 2), the client is the
                          n-th X-Forwarded-For address from the end (CONSENTLINE_TRUST_PROXY=<n>)
  --max-connections <n>   connections held at once, idle ones included, default 10000; keep it
                          below ulimit -n (CONSENTLINE_MAX_CONNECTIONS)
  --dev                   GET /v1/pool/state lists live leases (memory only); never in production
`;

const whole = (value: string | undefined, name: string, fallback: number): number => {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name}: expected a number, got ${JSON.stringify(value)}`);
  return n;
};

// `--proxies <n>`, else `--trust-proxy` (one), else CONSENTLINE_TRUST_PROXY (a count; 1 is one).
const readProxies = (count: string | undefined, trust: boolean | undefined, env: string | undefined): number => {
  const written = count ?? (trust ? '1' : env);
  if (written === undefined || written === '') return 0;
  const n = Number(written);
  if (!Number.isInteger(n) || n < 0 || n > 10)
    throw new Error(`--proxies: expected a whole number from 0 to 10, got ${JSON.stringify(written)}`);
  return n;
};

/** Reads a numbers file: `{ "numbers": {…}, "overflow": {…} }`. */
export function readNumbersFile(file: string): Pick<PoolConfig, 'numbers' | 'overflow'> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`--numbers: cannot read ${file}: ${(error as Error).message}`);
  }
  const { numbers, overflow = {} } = (parsed ?? {}) as {
    numbers?: PoolConfig['numbers'];
    overflow?: PoolConfig['overflow'];
  };
  if (!numbers) throw new Error(`--numbers: ${file} has no "numbers"`);
  return { numbers, overflow };
}

const readMaxConnections = (written: string | undefined): number => {
  const n = whole(written, '--max-connections', 10_000);
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`--max-connections: expected a whole number above 0, got ${JSON.stringify(written)}`);
  return n;
};

/** Parses flags and environment into a configuration; a mistake throws an Error naming the flag. */
export function readServerConfig(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): ServerConfig {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      numbers: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      db: { type: 'string' },
      redis: { type: 'string' },
      token: { type: 'string' },
      origin: { type: 'string', multiple: true },
      ttl: { type: 'string' },
      quarantine: { type: 'string' },
      'overflow-leases': { type: 'string' },
      'retention-days': { type: 'string' },
      'receipt-retention-days': { type: 'string' },
      rate: { type: 'string' },
      'client-leases': { type: 'string' },
      'trust-proxy': { type: 'boolean' },
      proxies: { type: 'string' },
      'max-connections': { type: 'string' },
      dev: { type: 'boolean' },
    },
  });
  const numbersFile = values.numbers ?? env.CONSENTLINE_NUMBERS;
  if (!numbersFile) throw new Error('--numbers <file.json> is required');
  const origins = (values.origin ?? (env.CONSENTLINE_ORIGIN ? [env.CONSENTLINE_ORIGIN] : []))
    .flatMap((o) => o.split(','))
    .map((o) => o.trim())
    .filter(Boolean);
  for (const o of origins) {
    if (new URL(o).origin !== o) throw new Error(`--origin: ${o} is not an origin (scheme://host[:port], no path)`);
  }
  const db = values.db ?? env.CONSENTLINE_DB ?? 'sqlite:consentline.db';
  if (!/^(sqlite:|postgres(ql)?:\/\/)/.test(db)) throw new Error('--db: expected sqlite:<file> or postgres://…');
  const perMinute = whole(values.rate ?? env.CONSENTLINE_RATE, '--rate', 60);
  return {
    port: whole(values.port ?? env.CONSENTLINE_PORT ?? env.PORT, '--port', 8787),
    host: values.host ?? env.CONSENTLINE_HOST ?? '127.0.0.1',
    pool: {
      ...readNumbersFile(numbersFile),
      ttl: whole(values.ttl ?? env.CONSENTLINE_TTL, '--ttl', 60),
      quarantine: whole(values.quarantine ?? env.CONSENTLINE_QUARANTINE, '--quarantine', 30),
      overflowLeases: whole(values['overflow-leases'] ?? env.CONSENTLINE_OVERFLOW_LEASES, '--overflow-leases', 1000),
    },
    db,
    redis: values.redis ?? env.CONSENTLINE_REDIS,
    token: values.token ?? env.CONSENTLINE_TOKEN,
    origins,
    retentionDays: whole(values['retention-days'] ?? env.CONSENTLINE_RETENTION_DAYS, '--retention-days', 30),
    receiptRetentionDays: whole(
      values['receipt-retention-days'] ?? env.CONSENTLINE_RECEIPT_RETENTION_DAYS,
      '--receipt-retention-days',
      730,
    ),
    limits: {
      perMinute,
      burst: Math.max(1, Math.ceil(perMinute / 2)),
      leases: whole(values['client-leases'] ?? env.CONSENTLINE_CLIENT_LEASES, '--client-leases', 20),
      // Environment only: a flag would show in ps.
      secret: env.CONSENTLINE_CLIENT_SECRET || undefined,
    },
    trustProxy: readProxies(values.proxies, values['trust-proxy'], env.CONSENTLINE_TRUST_PROXY),
    maxConnections: readMaxConnections(values['max-connections'] ?? env.CONSENTLINE_MAX_CONNECTIONS),
    dev: values.dev ?? false,
  };
}

/** Opens the stores a configuration names, loading only the packages they need. */
export async function openStores(
  config: Pick<ServerConfig, 'pool' | 'db' | 'redis'>,
  onStatus: (status: 'up' | 'down', detail: string) => void = () => {},
): Promise<{ leases: LeaseStore; records: RecordStore }> {
  const leases = config.redis
    ? await (await import('./redis-leases.js')).createRedisLeaseStore({
        url: config.redis,
        pool: config.pool,
        onStatus,
      })
    : createMemoryLeaseStore(config.pool);
  const records = config.db.startsWith('sqlite:')
    ? await (await import('./sqlite-records.js')).createSqliteRecordStore({ file: config.db.slice('sqlite:'.length) })
    : await (await import('./postgres-records.js')).createPostgresRecordStore({ url: config.db });
  return { leases, records };
}
