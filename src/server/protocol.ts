// What crosses the trust boundary: every request body is hostile until it is one of the shapes
// below. Each parser answers a tagged result, never a half-checked object.
import { cleanText, type EncodedTouch, type EncodedVisitContext } from '../core/visit-context.js';

/** A phone number in E.164 form. */
export const E164 = /^\+[1-9]\d{6,14}$/;
/**
 * Reads a phone number from a query parameter: E.164, or E.164 whose `+` a query string decoded as
 * a space (`?number=+15551234567` written unencoded, as a form or a shell user would). One leading
 * space only, in the place of the `+`; anything else is invalid.
 */
export function parseQueryNumber(value: string | null): Parsed<string> {
  const number = value?.startsWith(' ') ? `+${value.slice(1)}` : (value ?? '');
  return E164.test(number) ? { kind: 'ok', value: number } : { kind: 'invalid', reason: 'number must be E.164' };
}
/** A visit's session id, as the SDK makes it (random base-36). */
export const SESSION = /^[a-z0-9]{8,32}$/;
/** A lease id this server made (base64url of 18 random bytes); the client accepts `[\w-]{1,64}`. */
export const LEASE = /^[\w-]{16,64}$/;
/** A decision id of a consent receipt. */
export const DECISION_ID = /^[a-z0-9]{8,32}$/;
const CATEGORY = /^[a-z][\w-]{0,31}$/;
/** How the decision of a receipt was made (the SDK's `DecisionMethod`). */
export type ReceiptMethod = 'banner' | 'preferences' | 'api' | 'close' | 'opt-out' | 'embed';
const METHODS: readonly ReceiptMethod[] = ['banner', 'preferences', 'api', 'close', 'opt-out', 'embed'];
// As many as the SDK accepts in dni.targets.
const MAX_TARGETS = 500;

/** The result of reading a request body. */
export type Parsed<T> = { kind: 'ok'; value: T } | { kind: 'invalid'; reason: string };

const ok = <T>(value: T): Parsed<T> => ({ kind: 'ok', value });
const invalid = <T>(reason: string): Parsed<T> => ({ kind: 'invalid', reason });
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isText = (v: unknown, re: RegExp): v is string => typeof v === 'string' && re.test(v);

/** One arrival as the SDK records it (docs/call-tracking.md, "Visit context"). */
export type Touch = EncodedTouch;

/** The visit context stored with a lease period: the SDK's touches, re-read field by field. */
export type VisitContext = Partial<Pick<EncodedVisitContext, 'f' | 'l'>>;

/**
 * `assign`: a session asks numbers for its page's targets; `lease`, the lease id it holds (from an
 * earlier page or tab), gets that lease back while it lives.
 */
export interface AssignRequest {
  /** The visit's session id (`[a-z0-9]{8,32}`). */
  session: string;
  /** The page's targets (1 to 500 E.164 numbers, each once). */
  targets: string[];
  /** The visit context, re-read field by field (anything else is dropped). */
  context: VisitContext;
  /** The lease id the visit holds, if any. */
  lease?: string;
}

/** `renew`: the lease extended; `targets` are the page's (absent: the last ones asked). */
export interface RenewRequest {
  /** The visit's session id. */
  session: string;
  /** The lease to extend. */
  lease: string;
  /** The page's targets; absent: the last ones asked. */
  targets?: string[];
}

/** `release`: the lease given back; `forget` (on withdrawal) deletes the session's records too. */
export interface ReleaseRequest {
  /** The visit's session id. */
  session: string;
  /** The lease to end (on withdrawal also one that ran out: it proves the visit). */
  lease: string;
  /** The visitor withdrew consent: the lease's visit's records are deleted too. @default false */
  forget: boolean;
}

/** A consent receipt as the SDK sends it (README, "Consent receipts"). */
export interface ConsentReceipt {
  /** Format version. */
  v: 1;
  /** The decision's id (`[a-z0-9]{8,32}`), the receipt's key. */
  id: string;
  /** When the visitor decided, ISO 8601 UTC (at most a minute ahead of the server's clock). */
  time: string;
  /** The site's policy revision the decision answered (a whole number). */
  revision: number;
  /** Granted or not, per category (at most 32). */
  grants: Record<string, boolean>;
  /** How the decision was made. */
  method: ReceiptMethod;
  /** Whether the browser sent Global Privacy Control. */
  gpc: boolean;
  /** The regime the decision was made under; absent from receipts of SDKs that did not send it. */
  regime?: 'opt-in' | 'opt-out';
  /** The site's origin (`https://shop.example`). */
  origin: string;
}

/** An object's names seen so far, or an array (whose strings are values, never names). */
type Frame = { kind: 'object'; names: Set<string> } | { kind: 'array' };

// The first name given twice in one object of a JSON text that parsed. JSON.parse keeps the last
// value, another reader (a proxy, a log pipeline, a court's expert) may keep the first: such a body
// says two things (RFC 8259 section 4; I-JSON, RFC 7493, refuses it). Names are compared decoded,
// so an escaped spelling of a name is the same name.
function repeatedName(text: string): string | undefined {
  const frames: Frame[] = [];
  let nameNext = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      let end = i + 1;
      while (text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      const frame = frames[frames.length - 1];
      if (nameNext && frame?.kind === 'object') {
        const name = JSON.parse(text.slice(i, end + 1)) as string;
        if (frame.names.has(name)) return name;
        frame.names.add(name);
      }
      nameNext = false;
      i = end;
    } else if (c === '{') {
      frames.push({ kind: 'object', names: new Set() });
      nameNext = true;
    } else if (c === '[') {
      frames.push({ kind: 'array' });
      nameNext = false;
    } else if (c === '}' || c === ']') {
      frames.pop();
      nameNext = false;
    } else if (c === ',') {
      nameNext = frames[frames.length - 1]?.kind === 'object';
    }
  }
  return undefined;
}

/** Parses a JSON text; a body that is not JSON, or names a field twice in one object, is invalid. */
export function parseJson(text: string): Parsed<unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch {
    return invalid('body is not JSON');
  }
  const repeated = repeatedName(text);
  if (repeated !== undefined) return invalid(`body names ${JSON.stringify(repeated.slice(0, 40))} twice in one object`);
  return ok(value);
}

const readTargets = (v: unknown): string[] | undefined =>
  Array.isArray(v) && v.length >= 1 && v.length <= MAX_TARGETS && v.every((t) => isText(t, E164))
    ? [...new Set(v as string[])]
    : undefined;

// A half of a surrogate pair: a cap counted in UTF-16 units (the SDK's, and cleanText's) can cut
// a character in two. PostgreSQL's jsonb refuses such text, and it is no text in any store.
const HALF_CHARACTER = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const cleanStored = (v: unknown, max: number): string => cleanText(v, max).replace(HALF_CHARACTER, '');

// A touch is rebuilt from its known fields only: anything else the body carries is dropped, so
// nothing a client invents (an IP address, a user agent) can reach storage through it.
const readTouch = (v: unknown): Touch | undefined => {
  if (!isRecord(v) || typeof v.t !== 'number' || !Number.isFinite(v.t)) return undefined;
  const q: Record<string, string> = {};
  if (isRecord(v.q)) {
    for (const [key, value] of Object.entries(v.q).slice(0, 20)) {
      const name = cleanStored(key, 32);
      const text = cleanStored(value, 100);
      if (name && text) q[name] = text;
    }
  }
  const touch: Touch = { t: Math.trunc(v.t), p: cleanStored(v.p, 200), q };
  const host = typeof v.r === 'string' ? v.r.toLowerCase() : '';
  if (host.length <= 253 && /^[a-z0-9.-]+$/.test(host)) touch.r = host;
  return touch;
};

const readContext = (v: unknown): VisitContext => {
  const context: VisitContext = {};
  if (!isRecord(v)) return context;
  const f = readTouch(v.f);
  const l = readTouch(v.l);
  if (f) context.f = f;
  if (l) context.l = l;
  return context;
};

/** Reads an `assign` body. */
export function parseAssign(body: unknown): Parsed<AssignRequest> {
  if (!isRecord(body) || !isText(body.session, SESSION)) return invalid('session must match [a-z0-9]{8,32}');
  const targets = readTargets(body.targets);
  if (!targets) return invalid(`targets must be 1 to ${MAX_TARGETS} E.164 numbers`);
  const request: AssignRequest = { session: body.session, targets, context: readContext(body.context) };
  if (body.lease === undefined) return ok(request);
  if (!isText(body.lease, LEASE)) return invalid('lease must be a lease id');
  return ok({ ...request, lease: body.lease });
}

/** Reads a `renew` body. */
export function parseRenew(body: unknown): Parsed<RenewRequest> {
  if (!isRecord(body) || !isText(body.session, SESSION) || !isText(body.lease, LEASE))
    return invalid('session and lease are required');
  if (body.targets === undefined) return ok({ session: body.session, lease: body.lease });
  const targets = readTargets(body.targets);
  if (!targets) return invalid(`targets must be 1 to ${MAX_TARGETS} E.164 numbers`);
  return ok({ session: body.session, lease: body.lease, targets });
}

/** Reads a `release` body. */
export function parseRelease(body: unknown): Parsed<ReleaseRequest> {
  if (!isRecord(body) || !isText(body.session, SESSION) || !isText(body.lease, LEASE))
    return invalid('session and lease are required');
  if (body.forget !== undefined && typeof body.forget !== 'boolean') return invalid('forget must be a boolean');
  return ok({ session: body.session, lease: body.lease, forget: body.forget === true });
}

// A date, or a date and time with its zone: a time without one reads as the server's local time,
// so two servers (or one moved to another zone) would answer one query differently. A space
// before the offset is a `+` a query string decoded.
const ZONED_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|[+ -]\d{2}:\d{2}))?$/;

/**
 * Reads an ISO 8601 time with its zone (`Z` or `±hh:mm`), or a date alone (midnight UTC), as ms
 * since epoch. A day or time that does not exist (February 31, 24:00) is invalid, as Date.parse
 * would move it to another day.
 */
export function parseTime(text: unknown): Parsed<number> {
  const match = typeof text === 'string' ? ZONED_TIME.exec(text) : null;
  if (!match) return invalid('expected an ISO 8601 time with its zone (Z or ±hh:mm), or a date');
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map((v) => Number(v ?? 0)) as number[];
  const ms = Number((match[7] ?? '0').padEnd(3, '0'));
  const zone = match[8] ?? 'Z';
  const at = new Date(Date.UTC(year!, month! - 1, day!, hour!, minute!, second!, ms));
  const exists =
    at.getUTCFullYear() === year &&
    at.getUTCMonth() === month! - 1 &&
    at.getUTCDate() === day &&
    at.getUTCHours() === hour &&
    at.getUTCMinutes() === minute &&
    at.getUTCSeconds() === second;
  const offset = /^([+ -])(\d{2}):(\d{2})$/.exec(zone);
  const offsetHours = Number(offset?.[2] ?? 0);
  const offsetMinutes = Number(offset?.[3] ?? 0);
  if (!exists || offsetHours > 23 || offsetMinutes > 59) return invalid('expected a day and time that exist');
  const sign = offset?.[1] === '-' ? -1 : 1;
  return ok(at.getTime() - sign * (offsetHours * 60 + offsetMinutes) * 60_000);
}

const RECEIPT_KEYS = ['v', 'id', 'time', 'revision', 'grants', 'method', 'gpc', 'regime', 'origin'];
const REGIMES = ['opt-in', 'opt-out'];
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?Z$/;

const readOrigin = (v: unknown): string | undefined => {
  if (typeof v !== 'string' || v.length > 300) return undefined;
  try {
    const url = new URL(v);
    return /^https?:$/.test(url.protocol) && url.origin === v ? v : undefined;
  } catch {
    return undefined;
  }
};

/**
 * Reads a consent receipt strictly: exactly the SDK's fields, each of its type, a decision time no
 * later than `now` plus a minute of clock skew. Anything else is refused rather than cleaned, as a
 * receipt is proof and must be stored as sent.
 */
export function parseReceipt(body: unknown, now: number): Parsed<ConsentReceipt> {
  if (!isRecord(body)) return invalid('a receipt is a JSON object');
  const extra = Object.keys(body).filter((k) => !RECEIPT_KEYS.includes(k));
  if (extra.length) return invalid(`unknown field ${extra[0]}`);
  const { v, id, time, revision, grants, method, gpc, regime } = body;
  if (v !== 1) return invalid('v must be 1');
  if (!isText(id, DECISION_ID)) return invalid('id must match [a-z0-9]{8,32}');
  const decided = parseTime(time);
  if (!isText(time, ISO_TIME) || decided.kind === 'invalid' || decided.value > now + 60_000)
    return invalid('time must be an ISO 8601 UTC time, not in the future');
  if (typeof revision !== 'number' || !Number.isInteger(revision) || revision < 0 || revision > 1e9)
    return invalid('revision must be a whole number');
  if (!isRecord(grants) || Object.keys(grants).length > 32)
    return invalid('grants must be an object of at most 32 categories');
  for (const [category, granted] of Object.entries(grants)) {
    if (!CATEGORY.test(category) || typeof granted !== 'boolean')
      return invalid('each grant is a category name and a boolean');
  }
  if (!METHODS.includes(method as ConsentReceipt['method']))
    return invalid(`method must be one of ${METHODS.join(', ')}`);
  if (typeof gpc !== 'boolean') return invalid('gpc must be a boolean');
  if (regime !== undefined && !REGIMES.includes(regime as string))
    return invalid(`regime must be one of ${REGIMES.join(', ')}`);
  const origin = readOrigin(body.origin);
  if (!origin) return invalid('origin must be an http(s) origin');
  return ok({
    v: 1,
    id,
    time,
    revision,
    grants: grants as Record<string, boolean>,
    method: method as ConsentReceipt['method'],
    gpc,
    ...(regime !== undefined && { regime: regime as NonNullable<ConsentReceipt['regime']> }),
    origin,
  });
}
