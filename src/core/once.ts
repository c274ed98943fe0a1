/** The last consent state sent to each window or event target, per kind of message (see {@link firstSending}). */
export type Sent = WeakMap<object, object>;

/**
 * True unless `state` was the last state sent to `to`. The store makes a new state object on
 * every change, so sending the same one again is a duplicate: two bridges on one store (a hot
 * module reload, React StrictMode mounting twice) send each change once. Held weakly.
 */
export function firstSending(sent: Sent, state: object, to: object): boolean {
  if (sent.get(to) === state) return false;
  sent.set(to, state);
  return true;
}
