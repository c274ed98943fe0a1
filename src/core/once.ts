import type { ConsentState } from './types.js';

// What was last sent to each window or event target, by kind of message, kept on the target under
// a registered symbol: every build on the page (the script tag and the npm package, each with a
// store of its own on the one cookie) reads the same record. No page content can set a
// symbol-keyed property.
const SENT: unique symbol = Symbol.for('consentline.sent');

type SentRecord = Record<string | symbol, string>;

/**
 * True unless the change `state` carries, sending `message`, is what was last sent to `to` as
 * `kind`. A change is its decision (by id: every store that reads the cookie the decision was
 * written to sees the same id) and the message, so two bridges on one store (a hot module reload,
 * React StrictMode mounting twice) and bridges on two stores that share the cookie send each
 * change once, while a new decision is sent even when it grants what the last one did. A target
 * that cannot keep the record (a frozen one) is sent every change.
 */
export function firstSending(kind: string | symbol, to: object, state: ConsentState, message: unknown): boolean {
  const change = `${state.decision ? state.decision.id : ''} ${JSON.stringify(message)}`;
  const held = (to as { [SENT]?: unknown })[SENT];
  const record: SentRecord =
    typeof held === 'object' && held !== null ? (held as SentRecord) : (Object.create(null) as SentRecord);
  if (record[kind] === change) return false;
  try {
    record[kind] = change;
    if (held !== record) Object.defineProperty(to, SENT, { value: record, configurable: true });
  } catch {
    // A frozen target keeps no record: sending again beats sending nothing.
  }
  return true;
}
