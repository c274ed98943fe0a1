import type { ConsentState } from './types.js';

// What was last sent to each window or event target, by kind of message, kept on the target under
// a registered symbol: every build on the page (the script tag and the npm package, each with a
// store of its own on the one cookie) reads the same record. No page content can set a
// symbol-keyed property.
const SENT: unique symbol = Symbol.for('consentline.sent');

type Target = { [SENT]?: Record<string | symbol, string> };

/**
 * True unless the change `state` carries, sending `message`, is what was last sent to `to` as
 * `kind`. A change is its decision (by id: every store that reads the cookie the decision was
 * written to sees the same id) and the message, so two bridges on one store (a hot module reload,
 * React StrictMode mounting twice) and bridges on two stores that share the cookie send each
 * change once, while a new decision is sent even when it grants what the last one did. A target
 * that cannot keep the record (a frozen one) is sent every change.
 */
export function firstSending(kind: string | symbol, to: object, state: ConsentState, message: unknown): boolean {
  return firstOf(kind, to, (state.decision ? state.decision.id : '') + JSON.stringify(message));
}

/** True unless `change` is what was last sent to `to` as `kind`; records it as the last. */
export function firstOf(kind: string | symbol, to: object, change: string): boolean {
  const target = to as Target;
  try {
    const record = target[SENT] || {};
    if (record[kind] === change) return false;
    record[kind] = change;
    target[SENT] = record;
  } catch {
    // A frozen target (or a record a page script replaced with junk) keeps nothing: sending again
    // beats sending nothing.
  }
  return true;
}

/** Forgets what was sent to `to` as `kind`: its next sending is a first again. */
export function forgetSent(kind: string | symbol, to: object): void {
  try {
    delete (to as Target)[SENT]?.[kind];
  } catch {
    // A frozen target kept nothing to forget.
  }
}
