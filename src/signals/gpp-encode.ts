// Our own small encoder for the two GPP sections built in. Field lists and widths follow the IAB
// specs (https://github.com/InteractiveAdvertisingBureau/Global-Privacy-Platform, "Sections/US-National"
// and "Sections/US-States/CA"); the official @iabgpp/cmpapi decodes every string in our tests. The
// other state sections (gpp-states.ts) bring their own builder, so sites without them pay nothing.

/** The GPP sections built into the bridge. */
export type GppSectionName = 'usnat' | 'usca';
/** A decoded sub-section: field name → value, as `getSection` returns it. */
export type GppFields = Record<string, number | boolean | number[]>;

/** A section beyond the built-in ones (see `US_STATE_SECTIONS`): what the bridge needs to emit it. */
export interface GppSection {
  /** Client-side API prefix, e.g. `usva`. */
  readonly name: string;
  /** Section id from the IAB's list (9 usva, 10 usco…). */
  readonly id: number;
  /** The header sub-string of a GPP string that carries this section alone, base64url-coded. */
  readonly header: string;
  /** The section's sub-sections (core, then GPC where it has one) for `signal`, in encoding order. */
  build(signal: GppSignal): GppFields[];
}

/** MSPA participation (Multi-State Privacy Agreement). */
export interface MspaOptions {
  /** The transaction is covered by the MSPA. @default false */
  covered?: boolean;
  /** Opt-Out Option Mode (only meaningful when covered). @default false */
  optOutMode?: boolean;
  /** Service Provider Mode (only meaningful when covered). @default false */
  serviceProviderMode?: boolean;
}

/** What the section says: derived from the consent state by the caller. */
export interface GppSignal {
  /** Every sale/share category is denied (an opt-out, GPC, or no permission yet). */
  optedOut: boolean;
  /** A GPC signal is present. */
  gpc: boolean;
  /** @default not covered */
  mspa?: MspaOptions | undefined;
}

/** Section id and the constant header section for a string that carries only that section. */
export const GPP_SECTIONS: Record<GppSectionName, readonly [id: number, header: string]> = {
  // Header bits: Id 3 (6 bits), Version 1 (6), SectionIds as a Fibonacci range: count 1 (12 bits),
  // single-value flag 0, then 7 = F(2)+F(4) → 01011 or 8 = F(5) → 000011; padded and base64url-coded.
  usnat: [7, 'DBABLA'],
  usca: [8, 'DBABBg'],
};

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Bits → base64url, padded with zeros to a whole byte and then a whole character, as the IAB encoder does. */
export function encodeBits(bits: string): string {
  while (bits.length % 8) bits += '0';
  while (bits.length % 6) bits += '0';
  let out = '';
  for (let i = 0; i < bits.length; i += 6) out += B64[parseInt(bits.slice(i, i + 6), 2)];
  return out;
}

// Core sub-section fields in usnat encoding order; `-` marks the ones usca does not have.
const CORE =
  'Version -SharingNotice SaleOptOutNotice SharingOptOutNotice -TargetedAdvertisingOptOutNotice -SensitiveDataProcessingOptOutNotice SensitiveDataLimitUseNotice SaleOptOut SharingOptOut -TargetedAdvertisingOptOut SensitiveDataProcessing KnownChildSensitiveDataConsents PersonalDataConsents MspaCoveredTransaction MspaOptOutOptionMode MspaServiceProviderMode'.split(
    ' ',
  );

/**
 * The core and GPC sub-sections of `section`, in encoding order. Values: 0 not applicable, 1 yes
 * (notice given / opted out / covered), 2 no. Notices are given (the bridge provides the opt-out);
 * sensitive data and known-child fields are not applicable: the SDK processes neither.
 */
export function buildGppSection(section: GppSectionName | GppSection, signal: GppSignal): GppFields[] {
  if (typeof section === 'object') return section.build(signal);
  const { covered = false, optOutMode = false, serviceProviderMode = false } = signal.mspa ?? {};
  const out = signal.optedOut ? 1 : 2;
  const nat = section === 'usnat';
  const zeros = (n: number) => Array<number>(n).fill(0);
  // Values in CORE order (the usca ones skip the `-` entries).
  const values = [
    nat ? 2 : 1,
    1,
    1,
    1,
    1,
    0,
    0,
    out,
    out,
    out,
    zeros(nat ? 16 : 9),
    zeros(nat ? 3 : 2),
    0,
    covered ? 1 : 2,
    covered ? 2 - +optOutMode : 0,
    covered ? 2 - +serviceProviderMode : 0,
  ];
  const core: GppFields = {};
  CORE.forEach((k, i) => {
    if (k[0] !== '-') core[k] = values[i]!;
    else if (nat) core[k.slice(1)] = values[i]!;
  });
  return [core, { GpcSegmentType: 1, Gpc: signal.gpc }];
}

/** Encodes a sub-section (any section's): Version and GpcSegmentType aside, every field is 2 bits (lists: 2 bits per item); Gpc is 1 bit. */
function encodeFields(fields: GppFields): string {
  let bits = '';
  for (const [name, value] of Object.entries(fields)) {
    for (const v of ([] as Array<number | boolean>).concat(value)) {
      bits += typeof v === 'boolean' ? +v : v.toString(2).padStart(name === 'Version' ? 6 : 2, '0');
    }
  }
  return encodeBits(bits);
}

/** The full GPP string (header `~` section) for one section. */
export function encodeGppString(section: GppSectionName | GppSection, fields: readonly GppFields[]): string {
  return `${typeof section === 'object' ? section.header : GPP_SECTIONS[section][1]}~${fields.map(encodeFields).join('.')}`;
}
