// Visit context: what a landing says about where the visitor came from, and nothing else (no IP,
// user agent, fingerprint or other vendors' cookies). Every value is hostile text: allow-listed,
// stripped of markup and control characters, length-capped.
import { randomId } from '../core/random-id.js';
import { cleanText, encodeVisitContext, type Touch, type VisitContext } from '../core/visit-context.js';

export type { Touch, VisitContext };

/** A lease id as the pool client accepts it. */
export const LEASE_ID = /^[\w-]{1,64}$/;
/** A visit's session id, as the pool server takes it. */
export const SESSION_ID = /^[a-z0-9]{8,32}$/;

/**
 * The built-in ad click ids, each with the source it names (source.ts), in the order they are
 * looked for.
 */
export const CLICK_SOURCES: Readonly<Record<string, string>> = {
  gclid: 'google',
  gbraid: 'google',
  wbraid: 'google',
  dclid: 'google',
  msclkid: 'bing',
  fbclid: 'facebook',
  ttclid: 'tiktok',
  li_fat_id: 'linkedin',
  twclid: 'x',
};
// (Pure: a file that uses none of this, as dist/dni-pool.js, drops it.)
/** Ad click ids, kept only while advertising is granted and no opt-out or GPC applies. */
export const CLICK_IDS = /* @__PURE__ */ Object.keys(CLICK_SOURCES);
export const UTM = ['utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content', 'utm_id'];
// What a landing keeps unless told otherwise.
const DEFAULT_PARAMS: readonly string[] = [...UTM, ...CLICK_IDS];

export { cleanText };

// A host with anything outside [a-z0-9.-] is dropped, not stripped: stripping `0"` to `0` would
// store a host that the URL parser reads back as `0.0.0.0`.
const cleanHost = (v: unknown): string => {
  const h = String(v).toLowerCase();
  return h.length <= 253 && /^[a-z0-9.-]+$/.test(h) ? h : '';
};

// Two-part public suffixes: a generic second-level label under a country code (co.uk, com.au,
// ne.jp, com.my, co.th, gob.mx …); a full public-suffix list is far too big to ship. (Private
// suffixes such as github.io are not known: their sites count as one.)
const SUFFIXES = /\.(?:com|co|net|org|edu|gov|gob|go|ac|ne|or|ltd|me|nhs|nic|mil)\.[a-z]{2}$/;
/** The registrable part of a host: `news.bbc.co.uk` → `bbc.co.uk`, `www.google.com` → `google.com`; an IP address whole. */
export function registrableHost(host: string): string {
  const h = host.toLowerCase().replace(/\.$/, '');
  return /\.\d+$|:/.test(h)
    ? h
    : h
        .split('.')
        .slice(SUFFIXES.test(h) ? -3 : -2)
        .join('.');
}

/** Options of {@link readVisitContext}. */
export interface ReadVisitContextOptions {
  /** The landing URL. */
  url: string;
  /** The referrer URL. @default '' */
  referrer?: string;
  /** Parameters to keep: UTM values, click ids and extras. @default UTM and CLICK_IDS */
  params?: readonly string[];
  /** The stored context, if any; its session, first touch and lease are kept. @default null */
  previous?: VisitContext | null;
  /** @default Date.now() */
  now?: number;
  /** Session id for a new context. @default random */
  id?: string;
}

/** Whether a touch carries no campaign, click id or outside referrer. */
export const isDirect = (t: Touch): boolean => !t.referrer && !Object.keys(t.params).length;

/**
 * Reads a landing into a visit context: the first touch is kept from `previous`, the landing
 * becomes the latest touch when it is not direct. A referrer on the same registrable host (the
 * site's own subdomains) is not a touch.
 */
export function readVisitContext(options: ReadVisitContextOptions): VisitContext {
  const { url, referrer = '', params = DEFAULT_PARAMS, previous = null, now = Date.now(), id = randomId() } = options;
  const u = new URL(url);
  // Null prototype: a parameter named `__proto__` is a key like any other, not the prototype.
  const q: Record<string, string> = Object.create(null);
  for (const k of params) {
    const v = cleanText(u.searchParams.get(k));
    if (v) q[k] = v;
  }
  const t: Touch = { time: now, path: cleanText(u.pathname, 200), params: q };
  // Not even tried without a referrer: a thrown error costs milliseconds in the consent call.
  // The site's own other hosts (shop.example → www.example) are not a touch: a visitor moving
  // between them must keep the ad that brought them.
  if (referrer) {
    try {
      const r = new URL(referrer);
      const host = cleanHost(r.hostname);
      if (/^https?:$/.test(r.protocol) && host && registrableHost(host) !== registrableHost(u.hostname))
        t.referrer = host;
    } catch {
      // Not a URL: a direct arrival.
    }
  }
  const latest = isDirect(t) ? previous?.latest : t;
  const lease = previous?.lease;
  return {
    session: previous?.session ?? id,
    first: previous?.first ?? t,
    ...(latest ? { latest } : {}),
    ...(lease ? { lease } : {}),
  };
}

// How far ahead of this clock a stored time may be: another tab's clock, or this one corrected
// by NTP since. Anything later was not written by us, and would never expire.
const CLOCK_SKEW_MS = 5 * 60_000;

/**
 * The stored form of a context: its compact form ({@link encodeVisitContext}) and its lease. The
 * inverse of {@link parseVisitContext}.
 */
export const formatVisitContext = (context: VisitContext): string =>
  JSON.stringify(
    context.lease ? { ...encodeVisitContext(context), lease: context.lease } : encodeVisitContext(context),
  );

/**
 * Parses a stored context (its compact form), cleaning every value again and keeping only
 * `params`; anything malformed is null. A touch timed later than `now` plus a few minutes of clock
 * skew is malformed: a first touch from the future would keep the context from ever expiring.
 */
export function parseVisitContext(
  raw: string | null | undefined,
  params: readonly string[] = DEFAULT_PARAMS,
  now = Date.now(),
): VisitContext | null {
  if (!raw) return null;
  try {
    const o = JSON.parse(raw);
    // Re-read through readVisitContext on an IPv6-literal landing host: a stored referrer host never
    // contains brackets, so it can never be mistaken for the landing site and dropped.
    const touch = (
      t: { t?: unknown; p?: unknown; q?: Record<string, string>; r?: string } | undefined,
    ): Touch | undefined =>
      t && typeof t.t === 'number' && Number.isFinite(t.t) && t.t <= now + CLOCK_SKEW_MS
        ? readVisitContext({
            url: `http://[::]${cleanText(t.p, 200) || '/'}?${new URLSearchParams(t.q)}`,
            referrer: t.r ? `http://${t.r}/` : '',
            params,
            now: t.t,
          }).first
        : undefined;
    const first = touch(o.f);
    const latest = touch(o.l);
    const lease = typeof o.lease === 'string' && LEASE_ID.test(o.lease) ? { lease: o.lease as string } : {};
    // A latest touch left with nothing (its only mark a click id no longer kept) is no touch.
    return first && typeof o.id === 'string' && SESSION_ID.test(o.id)
      ? { session: o.id, first, ...(latest && !isDirect(latest) ? { latest } : {}), ...lease }
      : null;
  } catch {
    return null;
  }
}
