import { describe, expect, it } from 'vitest';
import { createClientTable } from '../../src/server/client-table';

interface Entry {
  until: number;
}
const table = (capacity: number) =>
  createClientTable<Entry>({ capacity, make: (now) => ({ until: now + 1000 }), idle: (e, now) => e.until <= now });

describe('createClientTable', () => {
  it('never holds more clients than its capacity, whatever comes', () => {
    const t = table(50);
    for (let i = 0; i < 20_000; i++) t.use(`c${i}`, i % 3000);
    expect(t.size).toBeLessThanOrEqual(50);
  });

  it('gives every newcomer beyond the capacity the one shared entry', () => {
    const t = table(2);
    const a = t.use('a', 0);
    t.use('b', 0);
    const c = t.use('c', 0);
    expect(t.use('d', 0)).toBe(c);
    expect(t.find('d')).toBe(c);
    expect(t.find('a')).toBe(a);
  });

  it('drops idle entries to make room, also behind one that still counts', () => {
    const t = table(3);
    const long = t.use('long', 0);
    long.until = 1_000_000;
    t.use('b', 0);
    t.use('c', 0);
    const own = t.use('d', 5000);
    expect(t.use('e', 5000)).not.toBe(own);
    expect(t.find('long')).toBe(long);
    expect(t.size).toBe(3);
  });

  it('prune drops every idle entry and the idle shared one', () => {
    const t = table(1);
    t.use('a', 0);
    const shared = t.use('b', 0);
    t.prune(2000);
    expect(t.size).toBe(0);
    expect(t.find('b')).toBeUndefined();
    expect(t.use('b', 2000)).not.toBe(shared);
  });
});
