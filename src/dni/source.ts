// Names where a visit came from, and picks the rule that decides its number.
import { hasOwn } from '../core/has-own.js';
import { CLICK_IDS, CLICK_SOURCES, isDirect, registrableHost, type Touch, type VisitContext } from './context.js';
import { E164 } from './match.js';

export { registrableHost };

/** A source as the built-in classifier names it. */
export interface SourceInfo {
  /** e.g. `google`, `facebook`, `bbc.co.uk`, `(direct)`. */
  source: string;
  /** e.g. `cpc`, `organic`, `social`, `referral`, `(none)`. */
  medium: string;
  /** `search`, `social` or ''. */
  group: string;
}

/**
 * A source rule: every condition given must hold; `number` (one E.164 for every target, or one
 * per target) and/or `pool` say what the visit gets. Conditions compare case-insensitively and
 * `*` means "present": UTM values, `clickId` (a name or `*`), `referrer` (host, registrable host,
 * `search` or `social`), `source`/`medium`/`group` (the built-in classifier), `path` (a prefix),
 * `param` (an allow-listed landing parameter present) and `direct`.
 */
export interface SourceRule {
  /** The landing URL's `utm_source` value, or `*` for any. */
  utm_source?: string;
  /** The landing URL's `utm_medium` value, or `*` for any. */
  utm_medium?: string;
  /** The landing URL's `utm_campaign` value, or `*` for any. */
  utm_campaign?: string;
  /** The landing URL's `utm_term` value, or `*` for any. */
  utm_term?: string;
  /** The landing URL's `utm_content` value, or `*` for any. */
  utm_content?: string;
  /** A click-id parameter kept on the landing URL, e.g. `gclid`, or `*` for any click id. */
  clickId?: string;
  /** The referrer's host (`m.facebook.com`), registrable host (`facebook.com`) or group (`search`, `social`), or `*` for any referrer. */
  referrer?: string;
  /** The source the built-in classifier names, e.g. `google`, `bbc.co.uk`, `(direct)`. */
  source?: string;
  /** The medium the built-in classifier names, e.g. `cpc`, `organic`, `social`, `referral`, `(none)`. */
  medium?: string;
  /** The group the built-in classifier names: `search` or `social`. */
  group?: string;
  /** A prefix of the landing page's path, e.g. `/offers/`. */
  path?: string;
  /** A kept landing parameter that must be present (one named in `params`, a UTM value or a click id), or `*` for any. */
  param?: string;
  /** `true` for a direct visit (no referrer and no kept landing parameter), `false` for any other. */
  direct?: boolean;
  /** The tracking number: one E.164 for every target, or `{ target: number }`. */
  number?: string | Record<string, string>;
  /** Ask the session pool for a number (the `number` above is the fallback). */
  pool?: boolean;
}

// Brands by group: a bare name matches that registrable name on any public suffix (google.de,
// google.co.uk); a dotted one must match exactly.
const BRANDS: Readonly<Record<string, readonly string[]>> = {
  search: 'google bing yahoo duckduckgo baidu yandex ecosia naver seznam qwant startpage brave.com'.split(' '),
  social:
    'facebook instagram linkedin lnkd.in tiktok twitter x t.co youtube youtu.be pinterest reddit threads.net snapchat'.split(
      ' ',
    ),
};
const ALIAS: Record<string, string> = { t: 'x', twitter: 'x', lnkd: 'linkedin', youtu: 'youtube' };

interface Brand {
  /** e.g. `google`, `x`. */
  readonly _private_name: string;
  /** `search` or `social`. */
  readonly _private_group: string;
}

/** A host's (or source name's) brand, e.g. `google` in `search`; undefined for none. */
function brandOf(host: string): Brand | undefined {
  const reg = registrableHost(host);
  for (const group in BRANDS) {
    const brand = BRANDS[group]?.find((b) => (b.includes('.') ? b === reg : b === reg.split('.')[0]));
    if (!brand) continue;
    const name = brand.split('.')[0] as string;
    return { _private_name: ALIAS[name] ?? name, _private_group: group };
  }
  return undefined;
}

/**
 * Classifies a touch: UTM values first, then a click id, then the referrer's registrable host
 * (never a substring: `notgoogle.example` is not Google), else direct.
 */
export function classifySource(touch: Touch | undefined): SourceInfo {
  const q = touch?.params ?? {};
  const r = touch?.referrer;
  const click = CLICK_IDS.find((id) => q[id]);
  const info = (source: string, medium: string): SourceInfo => ({
    source,
    medium,
    group: brandOf(source)?._private_group ?? '',
  });
  if (q['utm_source']) return info(q['utm_source'].toLowerCase(), q['utm_medium']?.toLowerCase() || '(none)');
  // Facebook adds fbclid to every outbound link, paid or not.
  if (click) return info(CLICK_SOURCES[click] as string, click === 'fbclid' ? 'social' : 'cpc');
  if (!r) return info('(direct)', '(none)');
  const brand = brandOf(r);
  if (brand) return info(brand._private_name, brand._private_group === 'search' ? 'organic' : 'social');
  return info(registrableHost(r), 'referral');
}

const isE164 = (n: unknown): boolean => typeof n === 'string' && E164.test(n);

/**
 * Whether a rule's `number` can be shown: one E.164, or E.164 targets each mapped to one. Anything
 * else refuses the rule whole: matching, it would stop the rules after it and show no number.
 */
const usable = (n: unknown): boolean =>
  isE164(n) ||
  (!!n &&
    typeof n === 'object' &&
    !Array.isArray(n) &&
    Object.entries(n).every(([target, number]) => isE164(target) && isE164(number)));

const same = (want: string, have: string | undefined): boolean =>
  have !== undefined && have !== '' && (want === '*' || want.toLowerCase() === have.toLowerCase());

/**
 * The first rule whose conditions all hold for the visit's latest non-direct touch (or its first
 * touch) and whose `number`, when it has one, is E.164 (one, or one per E.164 target): a rule
 * with any other is skipped whole. Rules see only what the context holds, so click ids count only
 * when they were kept; `clickIds` are the names `clickId: '*'` stands for (the built-in ones and
 * the site's own). A condition this does not know (a prototype key such as `constructor` in
 * parsed JSON) holds for no visit.
 */
export function matchRule(
  rules: readonly SourceRule[],
  context: VisitContext,
  clickIds: readonly string[] = CLICK_IDS,
): SourceRule | undefined {
  const t = context.latest ?? context.first;
  const info = classifySource(t);
  const q = t.params;
  const test = (k: string, v: unknown): boolean => {
    if (k === 'number') return v === undefined || usable(v);
    if (k === 'pool') return true;
    if (k === 'direct') return v === isDirect(t);
    const w = String(v);
    // A kept parameter of one of these names (in any letter case) is present.
    const has = (names: readonly string[]) => Object.keys(q).some((c) => q[c] && names.some((n) => same(n, c)));
    if (k.startsWith('utm_')) return same(w, q[k]);
    if (k === 'clickId') return has(w === '*' ? clickIds : [w]);
    // The referrer's own group: a visit tagged utm_source=fb from m.facebook.com is still `social`.
    if (k === 'referrer')
      return (
        !!t.referrer &&
        [t.referrer, registrableHost(t.referrer), brandOf(t.referrer)?._private_group].some((h) => same(w, h))
      );
    if (k === 'path') return t.path.toLowerCase().startsWith(w.toLowerCase());
    if (k === 'param') return has([w]);
    return hasOwn(info, k) && same(w, (info as unknown as Record<string, string>)[k]);
  };
  return rules.find((r) => Object.entries(r).every(([k, v]) => test(k, v)));
}
