// The endpoint and link check in Node's environment (core needs no DOM): a "same-site path" must
// resolve to the page's own origin, whatever a browser's URL parser does with it.
import fc from 'fast-check';
import { describe, expect, it, test } from 'vitest';
import { bool, entries, int, list, oneOf, section, shape, str, url, type Check } from '../../../src/core/validate';

const check = (v: unknown) => {
  const warnings: string[] = [];
  const out = url(v, 'signals.receipts.endpoint', (m) => warnings.push(m));
  return { out, warnings };
};

const ORIGIN = 'https://site.example';

describe('url', () => {
  test.each([
    '/collect/receipts',
    '/pool/',
    '/a/b?c=d&e=%2F%2Fx#f',
    '/..%2f..%2fx',
    '#consent',
    'https://collect.example/receipts',
    'http://localhost:8080/x',
    'https://bücher.example/pfad',
  ])('accepts %j', (v) => {
    expect(check(v)).toEqual({ out: v, warnings: [] });
  });

  const OFF_SITE = [
    '/\\evil.example/x',
    '/\\\\evil.example',
    '\\\\evil.example',
    '//evil.example/x',
    '/\t/evil.example',
    '/\n/evil.example',
    '/\r/evil.example',
    '\t//evil.example',
    '/ /evil.example',
    '/\u0000/evil.example',
    '/\u001f/evil.example',
    '/\u007f/evil.example',
    '/\u0085/evil.example',
    '/\u00a0/evil.example',
    '/\u2028/evil.example',
    '/\u3000/evil.example',
    '/x\\y',
    ' /x',
    '/x ',
  ];
  test.each(OFF_SITE)('refuses %j with a warning naming the key', (v) => {
    expect(check(v)).toEqual({ out: undefined, warnings: ['signals.receipts.endpoint: invalid value, default used'] });
  });

  test("whatever a path is made of, an accepted one resolves to the page origin in a WHATWG URL parser (Node's, as browsers')", () => {
    const unit = fc.constantFrom(
      '/',
      '\\',
      '\t',
      '\n',
      '\r',
      ' ',
      '\u0000',
      '\u00a0',
      '%',
      '2',
      'f',
      'e',
      '.',
      '?',
      '#',
      '@',
      ':',
      'x',
    );
    let accepted = 0;
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 8 }), (tail) => {
        const v = `/${tail}`;
        if (check(v).out === undefined) return;
        accepted++;
        expect(new URL(v, ORIGIN).origin).toBe(ORIGIN);
      }),
      { numRuns: 5000 },
    );
    expect(accepted).toBeGreaterThan(100);
    // And the refused examples above do leave the site in that parser: the reason they are refused.
    const elsewhere = OFF_SITE.filter((v) => new URL(v, ORIGIN).origin !== ORIGIN);
    expect(elsewhere).toEqual(
      expect.arrayContaining([
        '/\\evil.example/x',
        '//evil.example/x',
        '/\t/evil.example',
        '/\n/evil.example',
        '\t//evil.example',
      ]),
    );
  });

  test.each([
    'javascript:alert(1)',
    ' javascript:alert(1)',
    'JaVaScRiPt:alert(1)',
    'data:text/html,<b>x</b>',
    'vbscript:x',
    'https:evil.example',
    'https:/evil.example',
    'https://',
    'https://evil.example/\\x',
    'https://a.example\t.evil.example',
    'evil.example/x',
    '',
  ])('refuses %j', (v) => {
    expect(check(v).out).toBeUndefined();
  });

  test('refuses a URL over 2,000 characters', () => {
    expect(check(`/${'x'.repeat(2000)}`).out).toBeUndefined();
    expect(check(`/${'x'.repeat(1999)}`).out).toBeDefined();
  });

  test.each([null, undefined, 42, {}, ['/x'], true])('refuses a non-string %j', (v) => {
    expect(check(v).out).toBeUndefined();
  });
});

/** What `check` yields for `value` at `path`, and the warnings it gave. */
function run<T>(check: Check<T>, value: unknown, path = 'k') {
  const warnings: string[] = [];
  const out = check(value, path, (m) => warnings.push(m));
  return { out, warnings };
}
const BAD = (path = 'k') => [`${path}: invalid value, default used`];

describe('str', () => {
  it('accepts a string within the length and pattern', () => {
    expect(run(str(3), 'abc')).toEqual({ out: 'abc', warnings: [] });
    expect(run(str(10, /^[a-z]+$/), 'abc')).toEqual({ out: 'abc', warnings: [] });
  });
  it('refuses a longer string, a pattern mismatch or a non-string, naming the key', () => {
    expect(run(str(3), 'abcd')).toEqual({ out: undefined, warnings: BAD() });
    expect(run(str(10, /^[a-z]+$/), 'ab1')).toEqual({ out: undefined, warnings: BAD() });
    expect(run(str(), 1)).toEqual({ out: undefined, warnings: BAD() });
  });
});

describe('bool', () => {
  it('accepts booleans and the strings "true" / "false" from data attributes', () => {
    expect([true, false, 'true', 'false'].map((v) => run(bool, v).out)).toEqual([true, false, true, false]);
  });
  it('refuses anything else', () => {
    for (const v of ['yes', 1, 0, '', null]) expect(run(bool, v)).toEqual({ out: undefined, warnings: BAD() });
  });
});

describe('int', () => {
  it('accepts an integer in range, as a number or a numeric string', () => {
    expect(run(int(1, 395), 182).out).toBe(182);
    expect(run(int(1, 395), '395').out).toBe(395);
    expect(run(int(-5, 5), '-5').out).toBe(-5);
  });
  it('refuses out of range, fractions, non-numeric strings and over-long digit strings', () => {
    for (const v of [0, 396, 1.5, '1.5', '1e2', ' 1', '00000000001', NaN, Infinity, null]) {
      expect(run(int(1, 395), v).out, String(v)).toBeUndefined();
    }
  });
});

describe('oneOf', () => {
  it('accepts only the listed strings', () => {
    const regime = oneOf('opt-in', 'opt-out');
    expect(run(regime, 'opt-out').out).toBe('opt-out');
    expect(run(regime, 'OPT-OUT')).toEqual({ out: undefined, warnings: BAD() });
    expect(run(regime, 'toString').out).toBeUndefined();
  });
});

describe('list', () => {
  it('keeps valid items, drops invalid ones with a warning naming the index', () => {
    expect(run(list(str(2)), ['a', 'abc', 'b'], 'paths')).toEqual({ out: ['a', 'b'], warnings: BAD('paths[1]') });
  });
  it('refuses a non-array or one over the maximum length', () => {
    expect(run(list(str(), 2), ['a', 'b', 'c'])).toEqual({ out: undefined, warnings: BAD() });
    expect(run(list(str()), 'a')).toEqual({ out: undefined, warnings: BAD() });
  });
});

describe('shape', () => {
  const schema = shape({ a: int(0, 9), b: bool });

  it('keeps known keys that check, warns about and ignores unknown ones, and drops bad values', () => {
    const { out, warnings } = run(schema, { a: 3, b: 'nope', c: 1 }, 'ui');
    expect({ ...out }).toEqual({ a: 3 });
    expect(warnings).toEqual(['ui.b: invalid value, default used', 'ui.c: unknown key, ignored']);
  });

  it('names keys from the top without a leading dot', () => {
    expect(run(schema, { z: 1 }, '').warnings).toEqual(['z: unknown key, ignored']);
  });

  it('returns an object with no prototype, so a polluted Object.prototype reads as missing', () => {
    const { out } = run(schema, { a: 1 });
    expect(Object.getPrototypeOf(out)).toBeNull();
    const hostile = run(schema, JSON.parse('{"__proto__": {"b": true}, "constructor": 1}'));
    expect(hostile.out!.b).toBeUndefined();
    expect(hostile.warnings).toEqual(['k.__proto__: unknown key, ignored', 'k.constructor: unknown key, ignored']);
  });

  it('refuses a non-object', () => {
    for (const v of [null, [], 'x', 1]) expect(run(schema, v)).toEqual({ out: undefined, warnings: BAD() });
  });
});

describe('entries', () => {
  const check = entries(/^[a-z]+$/, int(0, 9), 2);

  it('returns checked [key, value] pairs, warning about bad keys and values', () => {
    expect(run(check, { a: 1, B: 2 }, 'cats')).toEqual({ out: [['a', 1]], warnings: ['cats.B: invalid key, ignored'] });
    expect(run(check, { a: 10 }, 'cats')).toEqual({ out: [], warnings: BAD('cats.a') });
  });

  it('reads at most `max` keys and warns that the rest were ignored', () => {
    expect(run(check, { a: 1, b: 2, c: 3 }, 'cats')).toEqual({
      out: [
        ['a', 1],
        ['b', 2],
      ],
      warnings: ['cats: 3 given, the first 2 kept'],
    });
  });

  it('refuses a non-object', () => {
    expect(run(check, [1])).toEqual({ out: undefined, warnings: BAD() });
  });
});

describe('section', () => {
  it('passes a plain object through for another part to check, and refuses anything else', () => {
    const value = { x: 1 };
    expect(run(section, value).out).toBe(value);
    expect(run(section, [value])).toEqual({ out: undefined, warnings: BAD() });
  });
});
