import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../../src/core/config';
import { decodeDecision, encodeDecision } from '../../../src/core/decision';
import { createMemoryStorage } from '../../../src/core/memory-storage';
import { createConsentStore } from '../../../src/core/store';
import { recordFigures } from '../../support/figures';

const NOW = Date.UTC(2026, 5, 1);
const ctx = {
  revision: 1,
  regime: 'opt-in' as const,
  categories: ['analytics', 'advertising', 'social'],
  now: NOW,
  consentDays: 395,
  refusalDays: 182,
};
const valid = encodeDecision({
  schema: 1,
  revision: 1,
  id: 'abcdefghij12',
  time: NOW - 1000,
  expires: NOW + 10 * 86_400_000,
  grants: { analytics: true, advertising: true, social: true },
  method: 'banner',
  gpc: false,
  regime: 'opt-in' as const,
});
const HOSTILE = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'valueOf',
  'hasOwnProperty',
  '<script>alert(1)</script>',
  'javascript:alert(1)',
  '\u202e',
  '\u200b',
  '%00',
  '\u0000',
  '~',
  '|',
  ':',
  'NaN',
  'Infinity',
  '-1',
  '1e309',
  'x'.repeat(100_000),
];

// Mutations of a valid record: truncation, a flipped or inserted character, a field swapped for a
// hostile token. Each result must be either exactly the original decision or no decision.
const mutated = fc.oneof(
  fc.nat({ max: valid.length - 1 }).map((n) => valid.slice(0, n)),
  fc
    .tuple(fc.nat({ max: valid.length - 1 }), fc.string({ maxLength: 3 }))
    .map(([i, s]) => valid.slice(0, i) + s + valid.slice(i + 1)),
  fc.tuple(fc.nat({ max: 7 }), fc.constantFrom(...HOSTILE)).map(([field, token]) => {
    const parts = valid.split('~');
    parts[field] = token;
    return parts.join('~');
  }),
  fc.constantFrom(...HOSTILE),
  fc.string({ maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
);

describe('hostile consent cookie values', () => {
  it('never throw, never grant unless the record is intact (5,000 cases)', () => {
    fc.assert(
      fc.property(mutated, (raw) => {
        const d = decodeDecision(raw, ctx);
        // Only a canonical, intact record decodes (one without the regime field, as made under
        // opt-out); everything else is no decision.
        const parts = raw.split('~');
        if (parts.length === 8) parts.splice(7, 0, 'o');
        if (d !== null) expect(encodeDecision(d)).toBe(parts.join('~'));
        const state = createConsentStore({ storage: createMemoryStorage(raw), now: () => NOW }).get();
        const granted = Object.entries(state.grants)
          .filter(([, granted]) => granted)
          .map(([k]) => k)
          .sort();
        const expected = d ? ['necessary', ...ctx.categories.filter((c) => d.grants[c])].sort() : ['necessary'];
        expect(granted).toEqual(expected);
        expect(state.needsDecision).toBe(d === null);
      }),
      { numRuns: 5000 },
    );
    expect(Object.prototype).not.toHaveProperty('polluted');
    recordFigures('core: consent cookie values', { cases: 5000 });
  });

  it('values of wrong JS types read as no decision', () => {
    for (const raw of [undefined, null, 1, true, {}, [], () => valid, Symbol('x'), { toString: () => valid }]) {
      expect(decodeDecision(raw, ctx)).toBeNull();
    }
  });
});

const jsonish: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom(...HOSTILE),
    fc.string({ maxLength: 30 }),
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
          fc.constantFrom(
            ...HOSTILE.slice(0, 6),
            'regime',
            'revision',
            'categories',
            'cookieName',
            'cookieDomain',
            'consentDays',
            'privacyPolicyUrl',
            'analytics',
            'label',
            'cookies',
            'saleShare',
            'ui',
            'dni',
            'signals',
          ),
          fc.string({ maxLength: 10 }),
        ),
        tie('value'),
      ),
      { maxLength: 6 },
    )
    .map(
      (pairs) =>
        JSON.parse(
          `{${pairs.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v) ?? 'null'}`).join(',')}}`,
        ) as unknown,
    ),
})).value;

describe('hostile script-tag configuration', () => {
  it('never throws, never pollutes Object.prototype, only yields safe values (5,000 cases)', () => {
    fc.assert(
      fc.property(jsonish, (raw) => {
        const warnings: string[] = [];
        const config = validateConfig(raw, (m) => warnings.push(m));
        expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
        expect(Object.getPrototypeOf(config)).toBeNull();
        if (config.regime !== undefined) expect(['opt-in', 'opt-out']).toContain(config.regime);
        if (config.privacyPolicyUrl !== undefined) expect(config.privacyPolicyUrl).toMatch(/^(https?:\/\/|\/|#)/i);
        for (const c of config.categories ?? []) expect(c.id).toMatch(/^[a-z][a-z0-9_-]{0,31}$/);
        // Whatever validated must also build a store that grants nothing before a decision.
        const store = createConsentStore({ categories: config.categories ?? [], revision: config.revision ?? 1 });
        expect(
          Object.entries(store.get().grants)
            .filter(([, g]) => g)
            .map(([k]) => k),
        ).toEqual(['necessary']);
        for (const w of warnings) expect(typeof w).toBe('string');
      }),
      { numRuns: 5000 },
    );
    recordFigures('core: script-tag configs', { cases: 5000 });
  });

  it('warns naming each unknown key and each bad value, and keeps the good ones', () => {
    const warnings: string[] = [];
    const config = validateConfig(
      JSON.parse(
        '{"regime":"opt-out","revision":"7","bogus":1,"__proto__":{"x":1},"privacyPolicyUrl":"javascript:alert(1)","categories":{"analytics":{"label":"<b>Stats</b>","cookies":["_ga*"],"colour":"red"}}}',
      ),
      (m) => warnings.push(m),
    );
    expect({ ...config, categories: config.categories?.map((c) => ({ ...c })) }).toEqual({
      regime: 'opt-out',
      revision: 7,
      categories: [{ id: 'analytics', label: '<b>Stats</b>', cookies: ['_ga*'] }],
    });
    expect(warnings.join('\n')).toMatch(/^bogus: unknown key/m);
    expect(warnings.join('\n')).toMatch(/^__proto__: unknown key/m);
    expect(warnings.join('\n')).toMatch(/^privacyPolicyUrl: invalid value/m);
    expect(warnings.join('\n')).toMatch(/categories\.analytics\.colour: unknown key/);
  });
});

describe('a page that polluted Object.prototype before we load', () => {
  it('still gets opt-in, sale/share flags and no grants without consent', () => {
    const proto = Object.prototype as Record<string, unknown>;
    const keys = ['regime', 'advertising', 'saleShare', 'revision', 'categories', 'analytics', 'gpc'];
    Object.assign(proto, {
      regime: 'opt-out',
      advertising: true,
      analytics: true,
      saleShare: false,
      revision: 9,
      gpc: false,
    });
    try {
      const config = validateConfig({}, () => {});
      expect(config.regime).toBeUndefined();
      expect(config.revision).toBeUndefined();
      const store = createConsentStore({
        categories: config.categories ?? [],
        regime: config.regime ?? 'opt-in',
        gpc: true,
      });
      expect(store.categories.find((c) => c.id === 'advertising')!.saleShare).toBe(true);
      expect(store.get().grants).toEqual({ necessary: true, analytics: false, advertising: false, social: false });
      expect(store.acceptAll().grants['advertising']).toBe(false);
    } finally {
      for (const k of keys) delete proto[k];
    }
  });
});
