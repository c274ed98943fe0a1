// The per-client limits in memory under a flood of distinct clients (a /48 or larger of IPv6 gives
// one attacker millions of /64s): the tables stay bounded, a client already limited stays limited,
// and newcomers beyond the bound share one allowance instead of each getting a fresh one.
import { describe, expect, it } from 'vitest';
import { createClientGuard } from '../../src/server/guard';

const T = 1_900_000_000_000;
const flood = (n: number) => Array.from({ length: n }, (_, i) => `flood-${i}`);

describe('createClientGuard under a flood of distinct clients', () => {
  it('gives clients beyond the bound one shared allowance, not a fresh one each', async () => {
    const guard = createClientGuard({ perMinute: 1, burst: 2, leases: 3, clients: 100 });
    let granted = 0;
    for (const client of flood(10_000)) if (await guard.take(client, T)) granted++;
    // 100 clients with an allowance of their own, then one shared allowance of 2.
    expect(granted).toBe(102);
  });

  it('keeps a client that used up its allowance limited through the flood', async () => {
    const guard = createClientGuard({ perMinute: 1, burst: 2, leases: 3, clients: 100 });
    await guard.take('abuser', T);
    await guard.take('abuser', T);
    expect(await guard.take('abuser', T)).toBe(false);
    for (const client of flood(10_000)) await guard.take(client, T + 1);
    expect(await guard.take('abuser', T + 2)).toBe(false);
  });

  it('keeps a client at its lease cap at the cap through the flood; newcomers beyond the bound share one cap', async () => {
    const guard = createClientGuard({ perMinute: 1, burst: 2, leases: 3, clients: 100 });
    const end = T + 60_000;
    for (const s of ['a', 'b', 'c']) expect(await guard.admit('holder', s, end, T)).toBe(true);
    let admitted = 0;
    for (const client of flood(10_000)) if (await guard.admit(client, `s-${client}`, end, T + 1)) admitted++;
    expect(await guard.admit('holder', 'd', end, T + 2)).toBe(false);
    // 99 clients with a place of their own (the holder has the 100th), then one shared cap of 3.
    expect(admitted).toBe(99 + 3);
  });

  it('makes room again for clients whose entries no longer limit anything, without waiting for a purge', async () => {
    const guard = createClientGuard({ perMinute: 60, burst: 2, leases: 3, clients: 100 });
    for (const client of flood(100)) await guard.take(client, T);
    // Two seconds later every allowance is full again: a newcomer gets one of its own.
    let granted = 0;
    for (const client of flood(200).slice(100)) if (await guard.take(client, T + 2000)) granted++;
    expect(granted).toBe(100);
  });
});
