// The USP API's path for frames (USP API 1.0, "a proxy for postMessage events targeted to the
// __uspapi interface sent from within nested iframes"). The script tag keeps it out of the SDK's
// file: dist/gpp.js carries it, fetched on a visit CCPA applies to (see boot/usp.ts).
import { addLocatorFrame, answerFrameCalls, type KeptCall } from './frame-calls.js';
import type { Uspapi } from './usp.js';

/**
 * Answers `__uspapiCall` postMessages with `api`, `early` first (calls kept before this ran, see
 * keepFrameCalls), and adds the `__uspapiLocator` frame in idle time on a visit `applies` says CCPA
 * applies to. A visit CCPA does not apply to gets no locator frame (it costs tens of
 * milliseconds): a frame finding no USP API learns what `1---` would tell it. Returns the cleanup.
 */
export function answerUspFrames(
  win: Window,
  api: Uspapi,
  applies: () => boolean,
  early: readonly KeptCall[] = [],
): () => void {
  const stopFrames = answerFrameCalls(win, '__uspapi', (_frame, c, reply) => api(c.command, c.version, reply), early);
  const stopLocator = addLocatorFrame(win, '__uspapi', applies);
  return () => {
    stopFrames();
    stopLocator();
  };
}
