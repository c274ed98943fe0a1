import { afterEach, describe, expect, it, vi } from 'vitest';
import { createNumberMatcher, type NumberMatcher } from '../../../src/dni/match';

// 500 US numbers, +15551000000 + 1999·i: the same national length as the single target, so any
// work that grew with the number of targets would show in the counts below.
const numbers = Array.from({ length: 500 }, (_, i) => `+1555${String(1000000 + 1999 * i).padStart(7, '0')}`);
const written = (e164: string) => `(${e164.slice(2, 5)}) ${e164.slice(5, 8)}-${e164.slice(8)}`;
const one = createNumberMatcher([numbers[0]!]);
const many = createNumberMatcher(numbers);
const tracking = (i: number) => `+1888${String(1000000 + i).padStart(7, '0')}`;

// The texts a page holds: prose, digits that are no target, a target among other digits.
const TEXTS = [
  'Open Monday to Friday, 9–5. Free parking behind the shop, order 12345 or ISBN 978-0-306-40615-7.',
  'Order 555-123-9999, ref 123-4567, call 555 999 0000 or 2024-01-05',
  `Call ${written(numbers[0]!)} today, or fax 555-999-0000 (order 123456789012345).`,
  `tel:${numbers[0]}`,
];

interface Work {
  /** Regular-expression executions (every test, match and replace runs `exec`). */
  execs: number;
  /**
   * The length of the patterns executed, summed: what the engine may try at each position of the
   * text grows with it (one alternation of every target would grow with their number).
   */
  size: number;
  /** Map look-ups (the national numbers, and the built patterns). */
  lookups: number;
}

// Counts the work one call does, by the calls it makes to the engine's own `exec` and `Map#get`.
const work = (fn: () => unknown): Work => {
  const exec = vi.spyOn(RegExp.prototype, 'exec');
  const get = vi.spyOn(Map.prototype, 'get');
  try {
    fn();
    const size = exec.mock.contexts.reduce<number>((n, re) => n + (re as RegExp).source.length, 0);
    return { execs: exec.mock.calls.length, size, lookups: get.mock.calls.length };
  } finally {
    exec.mockRestore();
    get.mockRestore();
  }
};

afterEach(() => vi.restoreAllMocks());

describe('matching cost does not grow with the number of targets', () => {
  const calls: Array<[string, (m: NumberMatcher, text: string) => unknown]> = [
    ['maybe', (m, text) => m.maybe(text)],
    ['test', (m, text) => m.test(text)],
    ['replace', (m, text) => m.replace(text, () => tracking(0))],
    ['replaceHref', (m, text) => m.replaceHref(text, () => tracking(0))],
  ];

  it.each(calls)('%s: the same regular-expression runs and look-ups with 500 targets as with one', (_, call) => {
    for (const text of TEXTS) {
      // (Once before counting: a pattern built on first use is then cached alike in both.)
      call(one, text);
      call(many, text);
      const single = work(() => call(one, text));
      const five = work(() => call(many, text));
      expect(five, text).toEqual(single);
      expect(single.execs, text).toBeGreaterThan(0);
    }
  });

  it('a text with no digit run costs one pre-filter run and no look-up, however many targets', () => {
    const text = 'Open Monday to Friday; free parking behind the shop.';
    expect(work(() => many.maybe(text))).toEqual(work(() => one.maybe(text)));
    expect(work(() => many.maybe(text))).toMatchObject({ execs: 1, lookups: 0 });
  });

  it('every one of 500 targets is found and gets its own number', () => {
    const pick = (t: { e164: string }) => tracking(numbers.indexOf(t.e164));
    for (const i of [0, 1, 249, 250, 498, 499]) {
      const n = numbers[i]!;
      expect(many.replace(`Call ${written(n)} now`, pick)).toBe(`Call ${written(tracking(i))} now`);
      expect(many.replaceHref(`tel:${n}`, pick)).toBe(`tel:${tracking(i)}`);
    }
    // Several in one text, in any order; a number that is no target stays.
    const text = `${written(numbers[499]!)} / ${written(numbers[3]!)} / (555) 999-0000`;
    expect(many.replace(text, pick)).toBe(`${written(tracking(499))} / ${written(tracking(3))} / (555) 999-0000`);
  });
});
