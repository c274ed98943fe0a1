// The memory store's quarantine: each number freed when its own rest ends, in whatever order the
// rests were noted.
import { describe, expect, it } from 'vitest';
import { createRestQueue } from '../../src/server/rest-queue';

/** A repeatable sequence of numbers in [0, 1). */
const seeded = (start: number) => {
  let seed = start;
  return () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
};

// Notes rests at random steps, ends some early (`takeBack`: the share of resting numbers taken
// back at each step, one in three of them noted again later), and checks at each step that exactly
// the numbers whose rest has ended are given back.
const check = (seed: number, takeBack: number) => {
  const random = seeded(seed);
  const queue = createRestQueue();
  const resting = new Map<string, number>();
  let now = 0;
  for (let step = 0; step < 2000; step++) {
    for (let i = Math.floor(random() * 4); i > 0; i--) {
      const number = `+1888${String(step * 10 + i).padStart(7, '0')}`;
      const until = now + Math.floor(random() * 200) - 50;
      queue.add(number, until);
      resting.set(number, until);
    }
    for (const [n] of [...resting].filter(() => random() < takeBack)) {
      expect(queue.remove(n)).toBe(true);
      resting.delete(n);
      if (random() < 0.3) {
        queue.add(n, now + 100);
        resting.set(n, now + 100);
      }
    }
    expect(queue.remove('+10000000000')).toBe(false);
    now += Math.floor(random() * 20);
    const due = [...resting].filter(([, until]) => until <= now).map(([n]) => n);
    expect(queue.takeDue(now).sort()).toEqual(due.sort());
    for (const n of due) resting.delete(n);
    expect(queue.list().sort()).toEqual([...resting.keys()].sort());
    for (const [n, until] of resting) expect(queue.endOf(n)).toBe(until);
    expect(queue.endOf('+10000000000')).toBeUndefined();
  }
};

describe('createRestQueue', () => {
  it('gives back exactly the numbers whose rest has ended, at every step, whatever the order noted', () => {
    check(7, 0);
  });

  it('gives back neither a number taken out of its rest nor too early the others, whatever is taken', () => {
    check(11, 0.1);
  });
});
