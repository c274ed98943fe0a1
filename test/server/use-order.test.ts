import { describe, expect, it } from 'vitest';
import { createUseOrder } from '../../src/server/use-order';

describe('createUseOrder', () => {
  it('keeps entries in the order they were last set or touched, the front at hand', () => {
    const order = createUseOrder<number>();
    order.setLast('a', 1);
    order.setLast('b', 2);
    order.setLast('c', 3);
    expect(order.touch('a')).toBe(true);
    order.setLast('b', 20);
    expect([...order.entries()]).toEqual([
      ['c', 3],
      ['a', 1],
      ['b', 20],
    ]);
    expect(order.first()).toEqual({ key: 'c', value: 3 });
    expect(order.delete('c')).toBe(true);
    expect(order.delete('c')).toBe(false);
    expect(order.touch('c')).toBe(false);
    expect(order.first()).toEqual({ key: 'a', value: 1 });
    expect([order.get('b'), order.get('c'), order.size]).toEqual([20, undefined, 2]);
  });

  it('lets a walk delete or move the entry it is on, and visits no entry twice', () => {
    const order = createUseOrder<number>();
    for (const [i, key] of ['a', 'b', 'c', 'd'].entries()) order.setLast(key, i);
    const seen: string[] = [];
    for (const [key, value] of order.entries()) {
      seen.push(key);
      if (value % 2 === 0) order.delete(key);
      else order.touch(key);
    }
    expect(seen).toEqual(['a', 'b', 'c', 'd']);
    expect([...order.entries()].map(([key]) => key)).toEqual(['b', 'd']);
  });

  it('empties and fills again', () => {
    const order = createUseOrder<string>();
    order.setLast('x', 'one');
    order.delete('x');
    expect([order.first(), order.size, [...order.entries()]]).toEqual([undefined, 0, []]);
    order.setLast('y', 'two');
    expect(order.first()).toEqual({ key: 'y', value: 'two' });
  });
});
