// The visit context: what a landing says about where the visitor came from (docs/call-tracking.md,
// "Visit context"). Readable types for code, and the compact form it is written down in: in the
// SDK's storage (localStorage), in the pool protocol's `assign` (the SDK sends it, a pool server
// reads it) and in the server's lease periods (the attribution API answers it). One definition
// for both sides; pure, so the browser SDK and consentline/server (Node) both compile it.

/** One arrival. */
export interface Touch {
  /** When, ms since epoch. */
  time: number;
  /** Landing path. */
  path: string;
  /** Allow-listed landing parameters (UTM values, click ids, configured extras). */
  params: Record<string, string>;
  /** Referrer host, when another site sent the visitor. */
  referrer?: string;
}

/** The context kept for a visitor while the DNI category is granted. */
export interface VisitContext {
  /** Random session id. */
  session: string;
  /** First touch. */
  first: Touch;
  /** Latest non-direct touch. */
  latest?: Touch;
  /**
   * The visit's latest session-pool lease id: an assign names it (a server gives a live lease back
   * only to its holder), and a withdrawal on any later page names it so the server forgets the visit.
   */
  lease?: string;
}

/** A touch, compact: `t` time, `p` path, `q` params, `r` referrer host. */
export interface EncodedTouch {
  /** When, ms since epoch ({@link Touch.time}). */
  t: number;
  /** Landing path ({@link Touch.path}). */
  p: string;
  /** Allow-listed landing parameters ({@link Touch.params}). */
  q: Record<string, string>;
  /** Referrer host, when another site sent the visitor ({@link Touch.referrer}). */
  r?: string;
}

/** A visit context, compact: `id` session, `f` first touch, `l` latest touch (the lease travels apart). */
export interface EncodedVisitContext {
  /** Random session id ({@link VisitContext.session}). */
  id: string;
  /** First touch. */
  f: EncodedTouch;
  /** Latest non-direct touch, when there is one. */
  l?: EncodedTouch;
}

/** The compact form of a touch. */
export const encodeTouch = (touch: Touch): EncodedTouch => {
  const { time: t, path: p, params: q, referrer: r } = touch;
  return r ? { t, p, q, r } : { t, p, q };
};

/** The compact form of a visit context, as `assign` sends it and storage keeps it (without its lease). */
export function encodeVisitContext(context: VisitContext): EncodedVisitContext {
  const { session: id, first, latest } = context;
  const f = encodeTouch(first);
  return latest ? { id, f, l: encodeTouch(latest) } : { id, f };
}

/**
 * Strips markup characters, quotes and controls (C0 and C1, the bidirectional overrides and
 * isolates, which reorder what a dashboard shows, and the line and paragraph separators), then caps
 * the length: every value is hostile text.
 * Half of a surrogate pair (one the cap cut, or one sent alone) is dropped: JSON holding one is
 * refused by some stores (PostgreSQL's jsonb), which would fail every assign of the visit.
 */
export const cleanText = (v: unknown, max = 100): string =>
  typeof v === 'string'
    ? v
        .replace(/[\0-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069<>"'`\\]/g, '')
        .slice(0, max)
        .replace(/\p{Cs}/gu, '')
    : '';
