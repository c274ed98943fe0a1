// @vitest-environment happy-dom
// Every GPP US section the bridge emits, against the official IAB library as an oracle: each
// string decodes to exactly the intended fields, before and after an opt-out, with and without GPC.
import { GppModel, Sections } from '@iabgpp/cmpapi';
import { describe, expect, test } from 'vitest';
import {
  buildGppSection,
  encodeGppString,
  type GppSection,
  type GppSectionName,
} from '../../../src/signals/gpp-encode';
import { encodeSectionHeader, pickGppSection, US_STATE_SECTIONS } from '../../../src/signals/gpp-states';
import { callGpp, type GppState, libraryEncoding, MSPA_CASES, pingInState, useGppWindow } from '../../support/gpp';

const STATES: Record<string, GppState> = {
  'no decision, opt-out regime': { regime: 'opt-out', out: 2 },
  'no decision, opt-in regime (nothing granted yet)': { regime: 'opt-in', out: 1 },
  accepted: { act: (s) => s.acceptAll(), out: 2 },
  'opted out (Do Not Sell link)': { regime: 'opt-out', act: (s) => s.optOut(), out: 1 },
  'GPC, no decision': { regime: 'opt-out', gpc: true, out: 1 },
  'GPC, then accept all': { regime: 'opt-out', gpc: true, act: (s) => s.acceptAll(), out: 1 },
};

// The library's sections whose published spec and encoding disagree: we send the fallback instead.
const LEFT_OUT = ['usin', 'usky', 'usmd', 'usri'];
const ALL: Array<GppSectionName | GppSection> = ['usnat', 'usca', ...Object.values(US_STATE_SECTIONS)];
const nameOf = (s: GppSectionName | GppSection) => (typeof s === 'string' ? s : s.name);

/**
 * What each field must say, by the state specs: notices given (1) except those about sensitive
 * data (0, not applicable); opt-outs follow the state; sensitive data, known-child, personal-data
 * and additional-processing consents not applicable (0); MSPA not covered (2, modes 0).
 */
function expectedValue(field: string, defaults: unknown, setup: GppState): unknown {
  if (field === 'Version') return defaults;
  if (field === 'GpcSegmentType') return 1;
  if (field === 'Gpc') return setup.gpc ?? false;
  if (field === 'MspaCoveredTransaction') return 2;
  if (field === 'MspaOptOutOptionMode' || field === 'MspaServiceProviderMode') return 0;
  if (/^(SaleOptOut|SharingOptOut|TargetedAdvertisingOptOut)$/.test(field)) return setup.out;
  if (
    /^(SharingNotice|ProcessingNotice|SaleOptOutNotice|SharingOptOutNotice|TargetedAdvertisingOptOutNotice)$/.test(
      field,
    )
  )
    return 1;
  if (
    /^(SensitiveDataProcessingOptOutNotice|SensitiveDataLimitUseNotice|SensitiveDataOptOutNotice|PersonalDataConsents|AdditionalDataProcessingConsent)$/.test(
      field,
    )
  )
    return 0;
  if (/^(SensitiveDataProcessing|KnownChildSensitiveDataConsents)$/.test(field))
    return Array.isArray(defaults) ? defaults.map(() => 0) : 0;
  throw new Error(`no expectation for ${field}`);
}

const keep = useGppWindow();

describe('GPP state sections decoded by @iabgpp/cmpapi', () => {
  test('every US section the library encodes is emitted, or left out with the documented reason', () => {
    const library = Sections.SECTION_ORDER.filter((name) => name.startsWith('us') && name !== 'uspv1');
    expect(library).toHaveLength(21);
    expect([...ALL.map(nameOf), ...LEFT_OUT].sort()).toEqual([...library].sort());
  });

  for (const section of ALL) {
    const name = nameOf(section);
    for (const [label, setup] of Object.entries(STATES)) {
      test(`${name}: ${label}`, () => {
        const { ping: p } = pingInState(setup, { section }, keep);
        const decoded = new GppModel(p['gppString'] as string);
        const id = typeof section === 'string' ? { usnat: 7, usca: 8 }[section] : section.id;
        expect(decoded.getSectionIds()).toEqual([id]);
        expect(p['sectionList']).toEqual([id]);
        expect(p['supportedAPIs']).toEqual([`${id}:${name}`]);
        // Every field the library knows for this section, each with the value the spec calls for.
        const defaults = new GppModel();
        defaults.setFieldValue(name, 'SaleOptOut', 0);
        const fields = defaults.getSection(name) as Record<string, unknown>;
        delete fields['GpcSegmentIncluded'];
        const expected = Object.fromEntries(Object.entries(fields).map(([f, d]) => [f, expectedValue(f, d, setup)]));
        expect(decoded.getSection(name)).toEqual(expected);
        // Byte-for-byte what the IAB library itself encodes for those fields.
        expect(p['gppString']).toBe(libraryEncoding(name, expected));
        // getField answers from the same fields.
        expect(callGpp('getField', `${name}.SaleOptOut`)).toBe(setup.out);
      });
    }
  }

  test('MSPA fields come from configuration in every state section', () => {
    for (const [mspa, [c, o, sp]] of MSPA_CASES) {
      for (const section of Object.values(US_STATE_SECTIONS)) {
        const s = new GppModel(
          encodeGppString(section, buildGppSection(section, { optedOut: false, gpc: false, mspa })),
        ).getSection(section.name) as Record<string, number>;
        expect(
          [s['MspaCoveredTransaction'], s['MspaOptOutOptionMode'], s['MspaServiceProviderMode']],
          section.name,
        ).toEqual([c, o, sp]);
      }
    }
  });

  test('section headers are the library’s for every id', () => {
    for (const section of Object.values(US_STATE_SECTIONS)) {
      const ref = new GppModel();
      ref.setFieldValue(section.name, 'SaleOptOut', 1);
      expect(ref.encode().split('~')[0], section.name).toBe(section.header);
      expect(encodeSectionHeader(section.id)).toBe(section.header);
    }
    for (const [id, name] of [
      [7, 'usnat'],
      [8, 'usca'],
    ] as const) {
      const ref = new GppModel();
      ref.setFieldValue(name, 'SaleOptOut', 1);
      expect(encodeSectionHeader(id)).toBe(ref.encode().split('~')[0]);
    }
  });
});

describe('pickGppSection', () => {
  test('the region hint’s state picks its section; other hints get the fallback', () => {
    const name = (region: string | undefined, fallback?: GppSectionName) =>
      nameOf(pickGppSection(region, fallback ? { fallback } : {}));
    expect(name('US-VA')).toBe('usva');
    expect(name('us-co')).toBe('usco');
    expect(name('US-TX')).toBe('ustx');
    expect(name('US-CA')).toBe('usca');
    // Library and spec disagree for these: the fallback, never a string one side cannot read.
    for (const state of ['IN', 'KY', 'MD', 'RI']) expect(name(`US-${state}`)).toBe('usnat');
    expect(name('US-WA')).toBe('usnat');
    expect(name('US')).toBe('usnat');
    expect(name(undefined)).toBe('usnat');
    expect(name('FR')).toBe('usnat');
    expect(name('US-AK', 'usca')).toBe('usca');
    expect(name('CA-ON')).toBe('usnat');
    expect(name('US-constructor')).toBe('usnat');
    expect(name('US-__proto__')).toBe('usnat');
  });
});
