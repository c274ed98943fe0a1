// Private redis-server and PostgreSQL instances for the server tests: free ports on 127.0.0.1,
// data in a temp folder, stopped by the test. Nothing is skipped: a missing binary fails with a
// message saying which Debian package to install (.ci/run installs both).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';

/** A port nobody listens on now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Resolves once something on `port` answers `probe` with a reply starting with `expect`. */
async function waitFor(port: number, probe: string, expect: string, timeoutMs = 15_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ port, host: '127.0.0.1' }, () => socket.write(probe));
      socket.setTimeout(500, () => socket.destroy());
      socket.once('data', (d) => {
        socket.destroy();
        resolve(d.toString().startsWith(expect));
      });
      socket.once('error', () => resolve(false));
      socket.once('close', () => resolve(false));
    });
    if (ok) return;
    await sleep(50);
  }
  throw new Error(`nothing answered on port ${port} within ${timeoutMs} ms`);
}

const which = (name: string): string | undefined => {
  try {
    return execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
};

/** A private redis-server. */
export interface RedisInstance {
  url: string;
  port: number;
  /** SIGKILL: the data goes with it (no persistence), as after a crash of a cache-only Redis. */
  kill(): Promise<void>;
  /** Starts it again on the same port. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts redis-server on a free port. */
export async function startRedis(): Promise<RedisInstance> {
  const binary = which('redis-server');
  if (!binary)
    throw new Error(
      'redis-server not found: install the Debian package redis-server (the server tests need a real Redis; .ci/run installs it)',
    );
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'consentline-redis-'));
  let child: ChildProcess | undefined;
  const start = async () => {
    child = spawn(
      binary,
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--dir',
        dir,
        '--loglevel',
        'warning',
      ],
      { stdio: 'ignore' },
    );
    await waitFor(port, 'PING\r\n', '+PONG');
  };
  const end = async (signal: NodeJS.Signals) => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((r) => running.once('exit', r));
    running.kill(signal);
    await exited;
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    kill: () => end('SIGKILL'),
    start,
    async stop() {
      await end('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A private PostgreSQL cluster. */
export interface PostgresInstance {
  url: string;
  port: number;
  /** Makes a new empty database named from `prefix` (unique per call) and returns its URL. */
  createDatabase(prefix: string): Promise<string>;
  /** Stops the server (fast shutdown: open connections are cut). */
  halt(): Promise<void>;
  /** Starts it again on the same port. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

const findPgBin = (): string | undefined => {
  const fromEnv = process.env.PG_BIN;
  if (fromEnv && existsSync(join(fromEnv, 'initdb'))) return fromEnv;
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(root, versions[0], 'bin') : undefined;
};

/**
 * Starts PostgreSQL on a free port, in a temp folder. PostgreSQL refuses to run as root: as root
 * the cluster belongs to the `postgres` user (the Debian package makes it) and every command runs
 * as that user through runuser.
 */
export async function startPostgres(): Promise<PostgresInstance> {
  const bin = findPgBin();
  if (!bin)
    throw new Error(
      'PostgreSQL not found (no /usr/lib/postgresql/<version>/bin/initdb, nor PG_BIN): install the Debian package postgresql (the server tests need a real PostgreSQL; .ci/run installs it)',
    );
  const root = process.getuid?.() === 0;
  const runuser = which('runuser');
  if (root && !runuser)
    throw new Error('running as root needs runuser (util-linux) to start PostgreSQL as the postgres user');
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'consentline-pg-'));
  if (root) {
    const ids = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
    let uid: number;
    let gid: number;
    try {
      uid = ids('-u');
      gid = ids('-g');
    } catch {
      throw new Error(
        'running as root, PostgreSQL needs the postgres user: install the Debian package postgresql (it creates that user)',
      );
    }
    chownSync(dir, uid, gid);
  }
  const run = (tool: string, args: string[]) => {
    const command = root
      ? ([runuser as string, ['-u', 'postgres', '--', join(bin, tool), ...args]] as const)
      : ([join(bin, tool), args] as const);
    return execFileSync(command[0], [...command[1]], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  };
  const data = join(dir, 'data');
  run('initdb', ['-D', data, '-U', 'consentline', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  const start = async () => {
    run('pg_ctl', [
      '-D',
      data,
      '-l',
      join(dir, 'log'),
      '-w',
      '-t',
      '30',
      '-o',
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off`,
      'start',
    ]);
  };
  await start();
  const url = `postgres://consentline@127.0.0.1:${port}/postgres`;
  let databases = 0;
  return {
    url,
    port,
    async createDatabase(prefix) {
      const name = `${prefix}${++databases}_${process.hrtime.bigint()}`;
      const { default: pg } = await import('pg');
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query(`CREATE DATABASE ${name}`);
      await client.end();
      return url.replace(/\/postgres$/, `/${name}`);
    },
    async halt() {
      run('pg_ctl', ['-D', data, '-w', '-m', 'fast', 'stop']);
    },
    start,
    async stop() {
      try {
        run('pg_ctl', ['-D', data, '-w', '-m', 'immediate', 'stop']);
      } catch {
        // Already stopped.
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A private PostgreSQL for the calling test file: started before its tests, stopped after them.
 * Returns the instance (read it inside a test or hook, once it has started).
 */
export function usePostgres(): () => PostgresInstance {
  let postgres: PostgresInstance | undefined;
  beforeAll(async () => {
    postgres = await startPostgres();
  }, 60_000);
  // Stopping takes longer than the default hook time on a busy machine (the cluster holds a
  // database per test to remove).
  afterAll(async () => {
    await postgres?.stop();
  }, 60_000);
  return () => postgres as PostgresInstance;
}
