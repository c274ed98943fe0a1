// The IAB APIs' path for frames (GPP CMP API 1.1, USP API 1.0): a script in a frame finds the
// window holding the API by its child frame named `<api>Locator`, posts
// `{ <api>Call: { command, parameter, version, callId } }` to it and gets
// `{ <api>Return: { returnValue, success, callId } }` back, as a JSON string when it asked with one.
// Every other window's message is hostile input: anything else is ignored, and nothing escapes.
import { hasOwn } from '../core/has-own.js';
import { docOf } from '../dom/document.js';
import type { Callback } from './callback.js';

/** One call over postMessage, as a frame sent it (any field may be junk). */
export interface FrameCall {
  command?: unknown;
  parameter?: unknown;
  version?: unknown;
}

/**
 * A message kept for answerFrameCalls: the call it carries (no more), the window that sent it and
 * the origin of the document that did. Its names are a MessageEvent's: the SDK keeps these and the
 * add-on reads them, each built on its own.
 */
export interface KeptCall {
  data: unknown;
  source: MessageEventSource | null;
  origin: string;
}

// Calls kept for code still on its way: enough for every frame of a page asking once; a flood
// beyond that is dropped rather than held in memory.
const KEEP = 100;
// One frame's share of them (a vendor asks once or twice): a frame flooding calls must not push
// out another frame's. The share is the page's child frame's, its own frames' calls included:
// each nested frame is a window of its own, and one third-party frame holding ten frames must not
// take ten shares.
const KEEP_PER_FRAME = 10;
// Deeper than this, a window counts as a frame of its own (nesting this deep is not a page's ad or
// widget frame); the walk up stays short whatever a page nests.
const MAX_DEPTH = 20;
// A call is tens of characters. Each kept message is a copy the page would otherwise let go, so a
// frame posting megabytes that mention the API must not get them held until the add-on arrives:
// only the call's own fields are kept, and only when they are this small.
const KEEP_CHARS = 1024;
const small = (v: unknown): boolean =>
  v == null || typeof v === 'number' || typeof v === 'boolean' || (typeof v === 'string' && v.length <= KEEP_CHARS);

/** Whether a string message may be a call: it mentions `key` and is no longer than a call. */
const mayBeCall = (data: string, key: string): boolean => data.length <= KEEP_CHARS && data.includes(key);

/** The call a message holds, as the kept copy carries it; none when it holds none or too much to keep. */
function callToKeep(data: unknown, key: string): unknown {
  if (typeof data === 'string') return mayBeCall(data, key) ? data : undefined;
  // Own property only, as answerFrameCalls reads it.
  const c: unknown =
    typeof data === 'object' && data && hasOwn(data, key) ? (data as Record<string, unknown>)[key] : undefined;
  if (typeof c !== 'object' || !c) return undefined;
  const { command, parameter, version, callId } = c as FrameCall & { callId?: unknown };
  return [command, parameter, version, callId].every(small)
    ? { [key]: { command, parameter, version, callId } }
    : undefined;
}

/**
 * The child frame of `win` that `source` is, or that holds it however deeply nested: the frame a
 * share is counted for. `source` itself when it is in no frame of `win` (`win` itself, its parent,
 * a popup) or nested deeper than MAX_DEPTH. A window's `parent` is readable across origins.
 */
export function frameOf(win: Window, source: WindowProxy): WindowProxy {
  let w = source;
  for (let depth = 0; depth < MAX_DEPTH; depth++) {
    const parent = w.parent as WindowProxy | null | undefined;
    if (parent === win) return w;
    // The top window is its own parent.
    if (!parent || parent === w) break;
    w = parent;
  }
  return source;
}

/** Where a reply goes: only the document that asked (a frame that navigated since gets nothing), or any for an opaque origin, which cannot be named. */
const replyOrigin = (origin: string): string => (origin && origin !== 'null' ? origin : '*');

/**
 * Answers `<api>Call` messages on `win` with `answer`, the `early` ones (see keepFrameCalls) first;
 * `source` is the window that asked, absent when the page posted to itself (code that could call
 * the API directly), and `origin` its document's. Returns the cleanup.
 */
export function answerFrameCalls(
  win: Window,
  api: string,
  answer: (source: WindowProxy | undefined, call: FrameCall, reply: Callback, origin: string) => void,
  early: readonly KeptCall[] = [],
): () => void {
  const onMessage = (e: KeptCall): void => {
    try {
      let msg: unknown = e.data;
      const key = `${api}Call`;
      const asString = typeof msg === 'string';
      // Every frame's messages come here (ad and widget frames post JSON strings all the time): only
      // a string that mentions the call and is as short as one is parsed, as keepFrameCalls keeps.
      if (asString) msg = mayBeCall(msg as string, key) ? JSON.parse(msg as string) : null;
      // Own property only: on a page with a polluted Object.prototype every message would carry a call.
      const c = (typeof msg === 'object' && msg && hasOwn(msg, key) ? (msg as Record<string, unknown>)[key] : null) as
        | (FrameCall & { callId?: unknown })
        | null;
      const source = e.source as WindowProxy | null;
      const callId = c?.callId;
      // The reply carries callId back, a listener's with every event: a frame's megabytes there
      // would be copied back to it on each. The spec's callId is a string or a number.
      if (!c || typeof c !== 'object' || !source || !small(callId)) return;
      answer(
        source === win ? undefined : source,
        c,
        (returnValue, success) => {
          const reply = { [`${api}Return`]: { returnValue, success, callId } };
          source.postMessage(asString ? JSON.stringify(reply) : reply, replyOrigin(e.origin));
        },
        e.origin,
      );
    } catch {
      // Junk over postMessage is ignored.
    }
  };
  early.forEach(onMessage);
  win.addEventListener('message', onMessage);
  return () => win.removeEventListener('message', onMessage);
}

/**
 * Keeps the calls posted to `win` that may be `<api>Call`s (at most 100, at most 10 from any one
 * child frame of `win` and the frames it holds, each only its call's own small fields), for
 * answerFrameCalls once the code answering them has arrived. Returns `take`, which stops keeping
 * and hands the kept ones over.
 *
 * A frame that navigates is the same window with another document. The calls its earlier document
 * made are dropped when the window posts from another origin (that document is gone, and its calls
 * must not hold the new one's share), and any reply goes only to the origin that asked (see
 * answerFrameCalls). A navigation within one origin cannot be told apart: its earlier calls are
 * answered to the new document, which ignores replies to calls it did not make (they carry the
 * callIds it did not send).
 */
export function keepFrameCalls(win: Window, api: string): () => KeptCall[] {
  const key = `${api}Call`;
  let kept: Array<KeptCall & { _private_frame: WindowProxy }> = [];
  const keep = (e: MessageEvent): void => {
    try {
      const { source, origin } = e;
      // A message without a window to answer is never answered (see answerFrameCalls).
      if (!source) return;
      // Any message from another origin shows that the window's earlier document is gone.
      kept = kept.filter((k) => k.source !== source || k.origin === origin);
      const frame = frameOf(win, source as WindowProxy);
      if (kept.length >= KEEP || kept.filter((k) => k._private_frame === frame).length >= KEEP_PER_FRAME) return;
      const data = callToKeep(e.data, key);
      if (data !== undefined) kept.push({ data, source, origin, _private_frame: frame });
    } catch {
      // The page's own event with hostile data: answerFrameCalls would ignore it too.
    }
  };
  win.addEventListener('message', keep);
  return () => {
    win.removeEventListener('message', keep);
    return kept.splice(0);
  };
}

/**
 * Adds the hidden `<api>Locator` frame in idle time, on a visit `applies` says the API applies to,
 * unless the page has one. Creating an iframe costs tens of milliseconds (23–180 ms measured in
 * headless Chromium 156), so it waits for idle time instead of delaying the banner; frames that
 * look before then retry, as with the IAB stubs' own frames. Returns the cleanup.
 */
export function addLocatorFrame(win: Window, api: string, applies: () => boolean): () => void {
  const name = `${api}Locator`;
  const doc = win.document;
  let frame: HTMLIFrameElement | undefined;
  const add = (): void => {
    try {
      // Only a frame of that name is one (a stub's): `<div id="__gppLocator">` is
      // `window.__gppLocator` by named access too, yet a frame from another origin sees only the
      // page's child frames by name. A child frame wins named access, so an element never hides one.
      const found = (win.frames as unknown as Record<string, { window?: unknown } | undefined>)[name];
      if (!applies() || (found && found.window === found)) return;
      frame = docOf(doc, 'createElement').call(doc, 'iframe') as HTMLIFrameElement;
      frame.name = name;
      frame.hidden = true;
      (docOf(doc, 'body') || docOf(doc, 'documentElement')).appendChild(frame);
    } catch {
      // An idle callback's exception would reach the page; without the frame, frames find no API.
    }
  };
  const ric = (win as { requestIdleCallback?: (cb: () => void, o: { timeout: number }) => number }).requestIdleCallback;
  const idle = ric ? ric(add, { timeout: 2000 }) : win.setTimeout(add, 200);
  return () => {
    if (ric) (win as unknown as { cancelIdleCallback(id: number): void }).cancelIdleCallback(idle);
    else win.clearTimeout(idle);
    frame?.remove();
  };
}
