// The endpoint and link check in Node's environment (core needs no DOM): a "same-site path" must
// resolve to the page's own origin, whatever a browser's URL parser does with it.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { url } from '../../../src/core/validate';

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

  test('whatever a path is made of, an accepted one resolves to the page origin in a WHATWG URL parser (Node\'s, as browsers\')', () => {
    const unit = fc.constantFrom('/', '\\', '\t', '\n', '\r', ' ', '\u0000', '\u00a0', '%', '2', 'f', 'e', '.', '?', '#', '@', ':', 'x');
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
    expect(elsewhere).toEqual(expect.arrayContaining(['/\\evil.example/x', '//evil.example/x', '/\t/evil.example', '/\n/evil.example', '\t//evil.example']));
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
