// The visit context as it is written down: compact, in the SDK's storage (localStorage), in the
// pool protocol's `assign` (the SDK sends it, a pool server reads it) and in the server's lease
// periods (the attribution API answers it). One definition for both sides; pure, so the browser
// SDK and consentline/server (Node) both compile it. What the fields mean: docs/call-tracking.md.

/** One arrival, compact: `t` time (ms since epoch), `p` landing path, `q` allow-listed landing parameters, `r` referrer host. */
export interface EncodedTouch {
  t: number;
  p: string;
  q: Record<string, string>;
  r?: string;
}

/**
 * A visit context, compact: `id` the random session id, `f` the first touch, `l` the latest
 * non-direct touch, `lease` the visit's latest pool lease id (stored only; never sent in `assign`'s
 * context, whose body names it apart).
 */
export interface EncodedVisitContext {
  id: string;
  f: EncodedTouch;
  l?: EncodedTouch;
  lease?: string;
}

/** Strips markup characters, quotes and controls, then caps the length: every value is hostile text. */
export const cleanText = (v: unknown, max = 100): string => (typeof v === 'string' ? v.replace(/[\0-\x1f\x7f<>"'`\\]/g, '').slice(0, max) : '');
