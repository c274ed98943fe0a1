#!/usr/bin/env node
// `npm run bench:server`: assign and renew through the server's fetch handler, leases in memory and
// in Redis (one instance, and two instances on one Redis), with 1,000 and 100,000 leases held.
// Records go to a store that keeps nothing, so the figures are the pool's. Starts its own private
// redis-server on a free port (the Debian package redis-server must be installed).
//
//   node bench/server-pool.mjs [--ops 2000] [--concurrency 16] [--held 1000,100000] [--rate 1000]
//   node bench/server-pool.mjs --flood 200000 [--overflow-leases 1000]   (only the flood: that many
//     new sessions on Redis, no per-client cap, and what Redis holds after them: live leases and
//     INFO memory used_memory)
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    ops: { type: 'string', default: '2000' },
    concurrency: { type: 'string', default: '16' },
    held: { type: 'string', default: '1000,100000' },
    rate: { type: 'string', default: '1000' },
    flood: { type: 'string', default: '0' },
    'overflow-leases': { type: 'string' },
  },
});
const OPS = Number(values.ops);
const CONCURRENCY = Number(values.concurrency);
const HELD = values.held.split(',').map(Number);
const RATE = Number(values.rate);
const FLOOD = Number(values.flood);
const TARGET = '+15551234567';

let server;
try {
  server = await import('../dist/server/index.js');
} catch {
  console.error('bench:server needs the build: run `npm run build` first');
  process.exit(1);
}
const { createConsentlineServer, createMemoryLeaseStore, createRedisLeaseStore } = server;

const noRecords = {
  startLease: async () => ({ kind: 'started' }),
  startPeriods: async () => {},
  endPeriods: async () => {},
  findPeriods: async () => [],
  findVisit: async () => ({ kind: 'missing' }),
  forgetVisit: async () => ({ kind: 'unknown' }),
  addReceipt: async () => ({ kind: 'added', received: 0 }),
  findReceipt: async () => ({ kind: 'missing' }),
  listReceipts: async () => [],
  purge: async () => ({ periods: 0, receipts: 0 }),
  ping: async () => {},
  close: async () => {},
};

const freePort = () =>
  new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
const pong = (port) =>
  new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' }, () => socket.write('PING\r\n'));
    socket.once('data', (d) => {
      socket.destroy();
      resolve(d.toString().startsWith('+PONG'));
    });
    socket.once('error', () => resolve(false));
  });
async function startRedis() {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'consentline-bench-redis-'));
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
    { stdio: 'ignore' },
  );
  child.on('error', () => {
    console.error('redis-server not found: install the Debian package redis-server');
    process.exit(1);
  });
  for (let i = 0; i < 200 && !(await pong(port)); i++) await new Promise((r) => setTimeout(r, 50));
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: () => {
      child.kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const numbers = (count) => Array.from({ length: count }, (_, i) => `+1888${String(1_000_000 + i).padStart(7, '0')}`);
const session = (prefix, i) => `${prefix}${i.toString(36).padStart(10, '0')}`;
const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function makeInstances(kind, redisUrl, pool, prefix) {
  const count = kind === 'redis ×2' ? 2 : 1;
  const out = [];
  for (let i = 0; i < count; i++) {
    const leases =
      kind === 'memory'
        ? createMemoryLeaseStore(pool)
        : await createRedisLeaseStore({ url: redisUrl, pool, prefix, timeout: 5000 });
    for (
      let k = 0;
      k < 200 &&
      (await leases.ping().then(
        () => false,
        () => true,
      ));
      k++
    )
      await new Promise((r) => setTimeout(r, 20));
    out.push({
      leases,
      handler: createConsentlineServer({
        leases,
        records: noRecords,
        limits: { perMinute: 1e12, burst: 1e12, leases: 1e12 },
        log: () => {},
      }),
    });
  }
  return out;
}

async function call(handler, op, body) {
  const t = performance.now();
  const res = await handler.fetch(
    new Request(`http://bench/v1/pool/${op}`, { method: 'POST', body: JSON.stringify(body) }),
    { address: '192.0.2.1' },
  );
  const reply = res.status === 200 ? await res.json() : undefined;
  if (res.status !== 200) throw new Error(`${op} answered ${res.status} ${await res.text()}`);
  return { ms: performance.now() - t, reply };
}

// Closed loop: `concurrency` requests in flight until `ops` are done.
async function closedLoop(instances, ops, make) {
  const latencies = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let i = next++; i < ops; i = next++) {
        const { handler } = instances[i % instances.length];
        const [op, body] = make(i);
        latencies.push((await call(handler, op, body)).ms);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { perSecond: Math.round(ops / seconds), p50: pct(latencies, 50), p99: pct(latencies, 99) };
}

// Open loop: requests started at a fixed rate, whatever the latency, for `ops` requests.
async function paced(instances, ops, rate, make) {
  const latencies = [];
  const started = performance.now();
  const pending = [];
  for (let i = 0; i < ops; i++) {
    const due = started + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const [op, body] = make(i);
    pending.push(call(instances[i % instances.length].handler, op, body).then((r) => latencies.push(r.ms)));
  }
  await Promise.all(pending);
  latencies.sort((a, b) => a - b);
  return { p50: pct(latencies, 50), p99: pct(latencies, 99) };
}

// A flood of new sessions (one client, its cap off: as from as many addresses) against a pool of
// 100 numbers and an overflow number, then what Redis holds: its live leases and used_memory.
async function flood(redisUrl) {
  const { Redis } = await import('ioredis');
  const admin = new Redis(redisUrl);
  const usedMemory = async () => Number(/used_memory:(\d+)/.exec(await admin.info('memory'))[1]);
  const prefix = 'flood:';
  const pool = { numbers: { [TARGET]: numbers(100) }, overflow: { [TARGET]: '+18005550199' }, ttl: 3600 };
  if (values['overflow-leases'] !== undefined) pool.overflowLeases = Number(values['overflow-leases']);
  const instances = await makeInstances('redis ×1', redisUrl, pool, prefix);
  const before = await usedMemory();
  const statuses = new Map();
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let i = next++; i < FLOOD; i = next++) {
        const res = await instances[0].handler.fetch(
          new Request('http://bench/v1/pool/assign', {
            method: 'POST',
            body: JSON.stringify({ session: session('f', i), targets: [TARGET] }),
          }),
          { address: '192.0.2.1' },
        );
        await res.arrayBuffer();
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const after = await usedMemory();
  const leases = await admin.zcard(`${prefix}expiry`);
  for (const { handler } of instances) await handler.close();
  admin.disconnect();
  const mb = (b) => `${(b / 1048576).toFixed(1)} MB`;
  console.log(
    `\nFlood: ${FLOOD.toLocaleString('en-US')} assigns of new sessions in ${seconds.toFixed(0)} s, pool of 100 numbers and an overflow number, ttl 3600 s, overflow leases: ${values['overflow-leases'] ?? 'default'}.`,
  );
  console.log(`  answers: ${[...statuses].map(([s, n]) => `${s} × ${n.toLocaleString('en-US')}`).join(', ')}`);
  console.log(`  live leases in Redis: ${leases.toLocaleString('en-US')}`);
  console.log(
    `  used_memory: ${mb(before)} before, ${mb(after)} after (${Math.round((after - before) / Math.max(leases, 1))} B a lease)`,
  );
}

if (FLOOD > 0) {
  const redis = await startRedis();
  try {
    await flood(redis.url);
  } finally {
    redis.stop();
  }
  process.exit(0);
}

const rows = [];
const redis = await startRedis();
try {
  for (const kind of ['memory', 'redis ×1', 'redis ×2']) {
    for (const held of HELD) {
      const prefix = `b${rows.length}:`;
      const pool = { numbers: { [TARGET]: numbers(held + OPS + 500 + RATE * 3 + 10) }, ttl: 3600, quarantine: 30 };
      const instances = await makeInstances(kind, redis.url, pool, prefix);
      // Leases held before measuring, put straight into the store.
      const leases = [];
      const base = Date.now();
      for (let i = 0; i < held; i += 500) {
        const batch = Array.from({ length: Math.min(500, held - i) }, (_, k) =>
          instances[0].leases.assign({
            session: session('h', i + k),
            targets: [TARGET],
            id: `held-lease-${i + k}-xxxxxxxx`,
            now: base,
          }),
        );
        for (const result of await Promise.all(batch)) if (result.kind === 'ok') leases.push(result.lease);
      }
      // Warm-up (JIT, connections, script cache), then a collection, so each row starts level.
      await closedLoop(instances, 500, (i) => ['assign', { session: session('w', i), targets: [TARGET] }]);
      globalThis.gc?.();
      const assign = await closedLoop(instances, OPS, (i) => [
        'assign',
        { session: session('a', i), targets: [TARGET] },
      ]);
      const renew = await closedLoop(instances, OPS, (i) => {
        const l = leases[(i * 7919) % leases.length];
        return ['renew', { session: l.session, lease: l.id, targets: [TARGET] }];
      });
      const row = { kind, held, assign, renew };
      if (kind !== 'memory')
        row.pacedAssign = await paced(instances, RATE * 3, RATE, (i) => [
          'assign',
          { session: session('p', i), targets: [TARGET] },
        ]);
      rows.push(row);
      for (const { handler } of instances) await handler.close();
      process.stderr.write(`${kind} with ${held} held: done\n`);
    }
  }
} finally {
  redis.stop();
}

const ms = (v) => v.toFixed(2);
console.log(
  `\nPool operations through the fetch handler, ${OPS} each, ${CONCURRENCY} in flight (closed loop); paced: ${RATE} assigns/s for 3 s (open loop).\n`,
);
console.log(
  '| leases | held | assign/s | assign p50 ms | assign p99 ms | renew/s | renew p50 ms | renew p99 ms | paced assign p50 ms | paced assign p99 ms |',
);
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const r of rows) {
  const paced = r.pacedAssign ? `${ms(r.pacedAssign.p50)} | ${ms(r.pacedAssign.p99)}` : '– | –';
  console.log(
    `| ${r.kind} | ${r.held.toLocaleString('en-US')} | ${r.assign.perSecond} | ${ms(r.assign.p50)} | ${ms(r.assign.p99)} | ${r.renew.perSecond} | ${ms(r.renew.p50)} | ${ms(r.renew.p99)} | ${paced} |`,
  );
}
console.log('\np99 ratio, 100,000 vs 1,000 held (target ≤ 1.5):');
for (const kind of ['memory', 'redis ×1', 'redis ×2']) {
  const small = rows.find((r) => r.kind === kind && r.held === HELD[0]);
  const large = rows.find((r) => r.kind === kind && r.held === HELD[HELD.length - 1]);
  if (small && large && small !== large)
    console.log(
      `  ${kind}: assign ${(large.assign.p99 / small.assign.p99).toFixed(2)}×, renew ${(large.renew.p99 / small.renew.p99).toFixed(2)}×`,
    );
}
process.exit(0);
