// Hostile input across the parts, as properties (fast-check): landing URLs, referrers and hashes
// into the DNI visit context (and its stored form), pool replies, and the parts' configuration
// sections. The browser suites (test/browser/privacy-hostile.spec.ts) try the same kinds of input
// end to end; these try many more of them. The core's own cookie and config properties are in
// test/unit/core/hostile.property.test.ts. Every case counts in the guarantees tally.
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { validateConfig } from '../../../src/core/config';
import {
  CLICK_IDS,
  UTM,
  formatVisitContext,
  parseVisitContext,
  readVisitContext,
  type Touch,
} from '../../../src/dni/context';
import { E164 } from '../../../src/dni/match';
import { parsePoolReply } from '../../../src/dni/pool';
import { classifySource, matchRule } from '../../../src/dni/source';
import { validateSignalsConfig } from '../../../src/signals/config';
import { recordFigures } from '../../support/figures';

// Thousands of cases with 10 kB values: seconds on a loaded 2-core CI machine, not milliseconds.
vi.setConfig({ testTimeout: 60_000 });

const TOKENS = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  'javascript:alert(1)',
  'data:text/html,<b>x</b>',
  '\u202e',
  '\u200b\u200c\u200d\ufeff',
  '\u0000',
  '\u001f',
  '%3Cscript%3E',
  '%00',
  '%',
  '&',
  '=',
  '#',
  '?',
  '__proto__',
  'constructor',
  'toString',
  '`',
  "'",
  '\\',
  '\ud800',
  'x'.repeat(10_240),
];
const hostileText = fc.oneof(
  fc.constantFrom(...TOKENS),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.array(fc.constantFrom(...TOKENS), { maxLength: 4 }).map((a) => a.join('')),
);
const KEYS = [...UTM, ...CLICK_IDS, 'x', '__proto__', 'constructor', 'utm_source[]', 'UTM_SOURCE'];
const enc = (s: string) => {
  try {
    return encodeURIComponent(s);
  } catch {
    return escape(s); // lone surrogates: what a hand-made link would carry
  }
};
const landing = fc
  .record({
    params: fc.array(fc.tuple(fc.constantFrom(...KEYS), hostileText), { maxLength: 8 }),
    path: hostileText,
    hash: hostileText,
  })
  .map(
    ({ params, path, hash }) =>
      `https://shop.example/${enc(path)}?${params.map(([k, v]) => `${k}=${enc(v)}`).join('&')}#${enc(hash)}`,
  );
const referrer = fc.oneof(
  fc.constant(''),
  hostileText,
  hostileText.map((t) => `https://evil.example/${enc(t)}?q=${enc(t)}`),
  hostileText.map((t) => `https://${t}/`),
  hostileText.map((t) => `javascript:${t}`),
  fc.constantFrom(
    'https://www.google.com/',
    'https://shop.example/',
    'data:text/html,x',
    'http://[::1]/',
    'https://xn--80ak6aa92e.com/',
  ),
);

// What is allowed to come out of the visit context: no markup, quotes or controls, capped.
const UNSAFE = /[\0-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069<>"'`\\]/;
function checkTouch(t: Touch | undefined): void {
  if (!t) return;
  expect(t.path.length).toBeLessThanOrEqual(200);
  expect(UNSAFE.test(t.path)).toBe(false);
  for (const [k, v] of Object.entries(t.params)) {
    expect([...UTM, ...CLICK_IDS]).toContain(k);
    expect(v.length).toBeLessThanOrEqual(100);
    expect(UNSAFE.test(v)).toBe(false);
  }
  if (t.referrer !== undefined) expect(t.referrer).toMatch(/^[a-z0-9.-]{1,253}$/);
}

describe('hostile landing URLs, referrers and hashes (DNI visit context)', () => {
  it('never throw; values are allow-listed, stripped and capped; the stored form reads back clean and stable (3,000 cases)', () => {
    fc.assert(
      fc.property(landing, referrer, (url, ref) => {
        const c = readVisitContext({ url, referrer: ref, id: 'abcdefgh12345678', now: 1_700_000_000_000 });
        checkTouch(c.first);
        checkTouch(c.latest);
        const raw = formatVisitContext(c);
        expect(raw.length).toBeLessThan(3000);
        // Stored and read back, it is still clean, and stable from then on (reading may normalise
        // once, e.g. a path `/.` to `/`).
        const once = parseVisitContext(raw)!;
        expect(once.session).toBe(c.session);
        checkTouch(once.first);
        checkTouch(once.latest);
        expect(parseVisitContext(formatVisitContext(once))).toEqual(once);
        // Classification and rules see only the cleaned values and never throw.
        classifySource(c.latest ?? c.first);
        matchRule(
          [
            { utm_source: '<script>', number: '+18889990000' },
            { referrer: 'search', number: '+18889990001' },
          ],
          c,
        );
      }),
      // Cases this property found: a host stripped to `0` (read back as `0.0.0.0`), a path `/.'`.
      {
        numRuns: 3000,
        examples: [
          ['https://shop.example/?#', 'https://0`/'],
          ["https://shop.example/.'?#", 'https:///'],
        ],
      },
    );
    expect(Object.prototype).not.toHaveProperty('x');
    recordFigures('hostile: landing URLs and referrers (DNI context)', { cases: 3000 });
  });

  it('a forged stored context (markup, wrong types, __proto__) is cleaned again or dropped (2,000 cases)', () => {
    const value = fc.oneof(
      hostileText,
      fc.integer(),
      fc.constant(null),
      fc.boolean(),
      fc.array(hostileText, { maxLength: 2 }),
      fc.dictionary(fc.constantFrom(...KEYS), hostileText, { maxKeys: 4 }),
    );
    const touch = fc.record(
      { t: fc.oneof(fc.integer(), hostileText), p: value, q: value, r: value },
      { requiredKeys: [] },
    );
    const forged = fc.oneof(
      fc
        .record(
          {
            id: fc.oneof(hostileText, fc.constant('abcdefgh12345678')),
            f: fc.oneof(touch, value),
            l: fc.oneof(touch, value),
          },
          { requiredKeys: ['id'] },
        )
        .map((o) => JSON.stringify(o)),
      hostileText,
      fc.constantFrom(
        '{"__proto__":{"id":"abcdefgh12345678"}}',
        '{"id":"abcdefgh12345678","f":{"t":1,"p":"/","q":{"__proto__":{"gclid":"x"}}}}',
        'null',
        '[]',
        '1',
        '"x"',
      ),
    );
    fc.assert(
      fc.property(forged, (raw) => {
        const c = parseVisitContext(raw);
        if (c) {
          expect(c.session).toMatch(/^[a-z0-9]{8,32}$/);
          checkTouch(c.first);
          checkTouch(c.latest);
        }
      }),
      { numRuns: 2000 },
    );
    expect(Object.prototype).not.toHaveProperty('gclid');
    recordFigures('hostile: stored DNI context', { cases: 2000 });
  });

  it('a stored context without a session id is dropped', () => {
    expect(parseVisitContext('{"f":{"t":0,"p":"/","q":{}}}')).toBeNull();
  });
});

const jsonish: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    hostileText,
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    tie('object'),
  ),
  object: fc
    .array(
      fc.tuple(
        fc.oneof(
          fc.constantFrom('numbers', 'lease', 'ttl', 'status', '+15551234567', '__proto__', 'constructor', 'prototype'),
          hostileText,
        ),
        tie('value'),
      ),
      { maxLength: 5 },
    )
    .map(
      (pairs) =>
        JSON.parse(
          `{${pairs.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v) ?? 'null'}`).join(',')}}`,
        ) as unknown,
    ),
})).value;

describe('hostile pool replies', () => {
  it('only a reply naming configured targets with E.164 numbers, a clean lease and a sane ttl is accepted (3,000 cases)', () => {
    const targets = ['+15551234567'];
    const good = { numbers: { '+15551234567': '+18885550101' }, lease: 'a1', ttl: 60, status: 'ok' };
    const reply = fc.oneof(
      jsonish,
      fc.tuple(fc.constantFrom('numbers', 'lease', 'ttl', 'status'), jsonish).map(([k, v]) => ({ ...good, [k]: v })),
      fc.tuple(hostileText, jsonish).map(([k, v]) => ({ ...good, numbers: { ...good.numbers, [k]: v } })),
      hostileText.map((t) => JSON.parse(JSON.stringify({ ...good, numbers: { '+15551234567': t } }))),
    );
    fc.assert(
      fc.property(reply, (v) => {
        const r = parsePoolReply(v, targets);
        if (r) {
          expect(Object.keys(r.numbers).every((k) => targets.includes(k))).toBe(true);
          expect(Object.values(r.numbers).every((n) => typeof n === 'string' && E164.test(n))).toBe(true);
          expect(r.lease).toMatch(/^[\w-]{1,64}$/);
          expect(r.ttl).toBeGreaterThanOrEqual(10);
          expect(r.ttl).toBeLessThanOrEqual(86400);
          expect(['ok', 'overflow', 'exhausted']).toContain(r.status);
        }
      }),
      { numRuns: 3000 },
    );
    recordFigures('hostile: pool replies', { cases: 3000 });
  });
});

describe('hostile configuration of the parts', () => {
  const section = fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: 'small' },
      hostileText,
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
      fc.array(tie('value'), { maxLength: 3 }),
      tie('object'),
    ),
    object: fc
      .array(
        fc.tuple(
          fc.oneof(
            fc.constantFrom(
              '__proto__',
              'constructor',
              'prototype',
              'regions',
              'region',
              'gpcText',
              'consentMode',
              'gpp',
              'usp',
              'receipts',
              'endpoint',
              'map',
              'mspa',
              'section',
              'waitForUpdate',
              'US',
              'US-CA',
            ),
            hostileText,
          ),
          tie('value'),
        ),
        { maxLength: 5 },
      )
      .map(
        (pairs) =>
          JSON.parse(
            `{${pairs.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v) ?? 'null'}`).join(',')}}`,
          ) as unknown,
      ),
  })).object;

  it('signals sections: never throw, never pollute, endpoints only http(s) or a path, regimes only the two (2,000 cases)', () => {
    fc.assert(
      fc.property(section, (raw) => {
        const warnings: string[] = [];
        const c = validateSignalsConfig(raw, (m) => warnings.push(m)) as Record<string, unknown>;
        const endpoint = (c['receipts'] as { endpoint?: string } | undefined)?.endpoint;
        if (endpoint !== undefined) expect(endpoint).toMatch(/^(https?:\/\/|\/(?!\/)|#)/i);
        const regions = c['regions'] as Array<[string, string]> | Record<string, string> | undefined;
        for (const v of Object.values(regions ?? {}))
          expect(['opt-in', 'opt-out']).toContain(Array.isArray(v) ? v[1] : v);
        // Through the core's validator too, as the script tag does.
        validateConfig(
          {
            signals: raw,
            ui: raw,
            dni: raw,
            categories: raw,
            privacyPolicyUrl: (raw as Record<string, unknown>)?.['endpoint'],
          },
          () => {},
        );
      }),
      { numRuns: 2000 },
    );
    expect(Object.prototype).not.toHaveProperty('US');
    expect(Object.prototype).not.toHaveProperty('endpoint');
    recordFigures('hostile: parts configuration', { cases: 2000 });
  });
});
