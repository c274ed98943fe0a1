// The GPP US state sections beyond California, as @iabgpp/cmpapi 3.2 encodes them: field lists and
// widths from the IAB's state specs (https://github.com/InteractiveAdvertisingBureau/Global-Privacy-Platform,
// "Sections/US-States/*"), checked against that library in the tests. Separate from gpp-encode.ts
// so a site that emits only usnat or usca does not download them.
import { encodeBits, type GppFields, type GppSection, type GppSectionName, type GppSignal } from './gpp-encode.js';
import { hasOwn } from '../core/has-own.js';

const SENSITIVE = 'SensitiveDataProcessing';
const CHILD = 'KnownChildSensitiveDataConsents';
const ADDITIONAL = 'AdditionalDataProcessingConsent';
const OPT_OUTS = 'SaleOptOutNotice TargetedAdvertisingOptOutNotice';
const OPTED = 'SaleOptOut TargetedAdvertisingOptOut';

/** One state's section: id, prefix, core fields in encoding order up to the MSPA ones (`Name*n` is a list of n), and whether it has a GPC sub-section. */
interface StateSpec {
  id: number;
  name: string;
  fields: string;
  gpc: boolean;
}

// In section-id order. Every state section is at version 1.
const STATES: StateSpec[] = [
  { id: 9, name: 'usva', fields: `SharingNotice ${OPT_OUTS} ${OPTED} ${SENSITIVE}*8 ${CHILD}`, gpc: false },
  { id: 10, name: 'usco', fields: `SharingNotice ${OPT_OUTS} ${OPTED} ${SENSITIVE}*7 ${CHILD}`, gpc: true },
  {
    id: 11,
    name: 'usut',
    fields: `SharingNotice ${OPT_OUTS} SensitiveDataProcessingOptOutNotice ${OPTED} ${SENSITIVE}*8 ${CHILD}`,
    gpc: false,
  },
  { id: 12, name: 'usct', fields: `SharingNotice ${OPT_OUTS} ${OPTED} ${SENSITIVE}*8 ${CHILD}*3`, gpc: true },
  {
    id: 13,
    name: 'usfl',
    fields: `ProcessingNotice ${OPT_OUTS} ${OPTED} ${SENSITIVE}*8 ${CHILD}*3 ${ADDITIONAL}`,
    gpc: false,
  },
  {
    id: 14,
    name: 'usmt',
    fields: `SharingNotice ${OPT_OUTS} ${OPTED} ${SENSITIVE}*8 ${CHILD}*3 ${ADDITIONAL}`,
    gpc: true,
  },
  {
    id: 15,
    name: 'usor',
    fields: `ProcessingNotice ${OPT_OUTS} ${OPTED} ${SENSITIVE}*11 ${CHILD}*3 ${ADDITIONAL}`,
    gpc: true,
  },
  {
    id: 16,
    name: 'ustx',
    fields: `ProcessingNotice ${OPT_OUTS} ${OPTED} ${SENSITIVE}*8 ${CHILD} ${ADDITIONAL}`,
    gpc: true,
  },
  {
    id: 17,
    name: 'usde',
    fields: `ProcessingNotice ${OPT_OUTS} ${OPTED} ${SENSITIVE}*9 ${CHILD}*5 ${ADDITIONAL}`,
    gpc: true,
  },
  {
    id: 18,
    name: 'usia',
    fields: `ProcessingNotice ${OPT_OUTS} SensitiveDataOptOutNotice ${OPTED} ${SENSITIVE}*8 ${CHILD}`,
    gpc: true,
  },
  {
    id: 19,
    name: 'usne',
    fields: `ProcessingNotice ${OPT_OUTS} ${OPTED} ${SENSITIVE}*8 ${CHILD} ${ADDITIONAL}`,
    gpc: true,
  },
  {
    id: 20,
    name: 'usnh',
    fields: `ProcessingNotice ${OPT_OUTS} ${OPTED} ${SENSITIVE}*8 ${CHILD}*3 ${ADDITIONAL}`,
    gpc: true,
  },
  {
    id: 21,
    name: 'usnj',
    fields: `ProcessingNotice ${OPT_OUTS} ${OPTED} ${SENSITIVE}*10 ${CHILD}*5 ${ADDITIONAL}`,
    gpc: true,
  },
  {
    id: 22,
    name: 'ustn',
    fields: `ProcessingNotice ${OPT_OUTS} ${OPTED} ${SENSITIVE}*8 ${CHILD} ${ADDITIONAL}`,
    gpc: true,
  },
  {
    id: 23,
    name: 'usmn',
    fields: `ProcessingNotice ${OPT_OUTS} ${OPTED} ${SENSITIVE}*8 ${CHILD} ${ADDITIONAL}`,
    gpc: true,
  },
];

/** Fibonacci numbers from F(2) = 1 up to `max`, as the GPP Fibonacci integer encoding uses them. */
function fibonacci(max: number): number[] {
  const f = [1, 2];
  while (f[f.length - 1]! + f[f.length - 2]! <= max) f.push(f[f.length - 1]! + f[f.length - 2]!);
  return f;
}

/** A positive integer in Fibonacci coding: its Zeckendorf bits, lowest term first, then a closing 1. */
function encodeFibonacci(n: number): string {
  const f = fibonacci(n);
  const bits = f.map(() => '0');
  let rest = n;
  for (let i = f.length - 1; i >= 0; i--) {
    if (f[i]! <= rest) {
      bits[i] = '1';
      rest -= f[i]!;
    }
  }
  // The table may end above n's highest term (fibonacci(1) is [1, 2]): that bit is not written.
  return bits.join('').replace(/0+$/, '') + '1';
}

/** The GPP header for a string carrying one section: Type 3, Version 1, and a Fibonacci range of one id (count 1, not a range). */
export function encodeSectionHeader(id: number): string {
  return encodeBits('000011' + '000001' + '000000000001' + '0' + encodeFibonacci(id));
}

/**
 * One listed core field's value, by its name. Values: 0 not applicable, 1 yes (notice given /
 * opted out), 2 no. Notices are given (the bridge provides the opt-out), except those about
 * sensitive data; sensitive data, known-child and additional-processing consents are not
 * applicable: the SDK processes none of them.
 */
function fieldValue(name: string, optedOut: boolean): number {
  if (name.endsWith('OptOut')) return optedOut ? 1 : 2;
  return name.endsWith('Notice') && !name.startsWith('Sensitive') ? 1 : 0;
}

/** The sub-sections of a state section for `signal`: core (Version, the listed fields, MSPA), then GPC where the section has it. */
function buildState(spec: StateSpec, signal: GppSignal): GppFields[] {
  const { covered = false, optOutMode = false, serviceProviderMode = false } = signal.mspa ?? {};
  const core: GppFields = { Version: 1 };
  for (const field of spec.fields.split(' ')) {
    const [name, count] = field.split('*') as [string, string | undefined];
    const value = fieldValue(name, signal.optedOut);
    core[name] = count ? Array<number>(Number(count)).fill(value) : value;
  }
  // MSPA fields are set explicitly (never the library's "signatory" default): 1 yes, 2 no; the
  // modes are not applicable (0) unless the transaction is covered.
  core['MspaCoveredTransaction'] = covered ? 1 : 2;
  core['MspaOptOutOptionMode'] = covered ? (optOutMode ? 1 : 2) : 0;
  core['MspaServiceProviderMode'] = covered ? (serviceProviderMode ? 1 : 2) : 0;
  return spec.gpc ? [core, { GpcSegmentType: 1, Gpc: signal.gpc }] : [core];
}

/**
 * Every US state section the bridge can emit besides `usca`, keyed by prefix (`usva`, `usco`, …).
 * Indiana, Kentucky, Maryland and Rhode Island are left out on purpose: their published specs
 * open the section with a header (SectionID, Version, SubSections) that @iabgpp/cmpapi 3.2 does
 * not encode, so one side could not read what the other wrote; those states get the fallback.
 */
// (Pure: an app that imports another part of consentline/signals drops the table.)
export const US_STATE_SECTIONS: Readonly<Record<string, GppSection>> = /* @__PURE__ */ Object.fromEntries(
  /* @__PURE__ */ STATES.map((spec) => [
    spec.name,
    {
      name: spec.name,
      id: spec.id,
      header: encodeSectionHeader(spec.id),
      build: (signal: GppSignal) => buildState(spec, signal),
    },
  ]),
);

/** Options of {@link pickGppSection}. */
export interface PickGppSectionOptions {
  /** The section for a US visit whose state has no section here, or a hint without a state. @default 'usnat' */
  fallback?: GppSectionName | undefined;
}

/**
 * The GPP section for a region hint: `US-VA` → `usva`, `US-CA` → `usca`, any other hint → the
 * fallback (`usnat` unless configured). Case-insensitive. Whether a US section applies at all is
 * `installGpp`'s `applies`.
 *
 * @example
 * installGpp(store, { section: pickGppSection('US-VA') }); // usva
 */
export function pickGppSection(
  region: string | undefined,
  options: PickGppSectionOptions = {},
): GppSection | GppSectionName {
  const { fallback = 'usnat' } = options;
  const [country, state = ''] = (region ?? '').toLowerCase().split('-');
  const name = `us${state}`;
  if (country !== 'us') return fallback;
  if (name === 'usca') return name;
  return hasOwn(US_STATE_SECTIONS, name) ? US_STATE_SECTIONS[name]! : fallback;
}
