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

/** A message kept for answerFrameCalls: the call it carries (no more) and the window that sent it. */
export interface KeptCall {
  data: unknown;
  source: MessageEventSource | null;
}

// Calls kept for code still on its way: enough for every frame of a page asking once; a flood
// beyond that is dropped rather than held in memory.
const KEEP = 100;
// One frame's share of them (a vendor asks once or twice): a frame flooding calls must not push
// out another frame's.
const KEEP_PER_FRAME = 10;
// A call is tens of characters. Each kept message is a copy the page would otherwise let go, so a
// frame posting megabytes that mention the API must not get them held until the add-on arrives:
// only the call's own fields are kept, and only when they are this small.
const KEEP_CHARS = 1024;
const small = (v: unknown): boolean =>
  v == null || typeof v === 'number' || typeof v === 'boolean' || (typeof v === 'string' && v.length <= KEEP_CHARS);

/** The call a message holds, as the kept copy carries it; none when it holds none or too much to keep. */
function callToKeep(data: unknown, key: string): unknown {
  if (typeof data === 'string') return data.length <= KEEP_CHARS && data.includes(key) ? data : undefined;
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
 * Answers `<api>Call` messages on `win` with `answer`, the `early` ones (see keepFrameCalls) first;
 * `source` is the window that asked, absent when the page posted to itself (code that could call
 * the API directly). Returns the cleanup.
 */
export function answerFrameCalls(
  win: Window,
  api: string,
  answer: (source: WindowProxy | undefined, call: FrameCall, reply: Callback) => void,
  early: readonly KeptCall[] = [],
): () => void {
  const onMessage = (e: KeptCall): void => {
    try {
      let msg: unknown = e.data;
      const asString = typeof msg === 'string';
      if (asString) msg = JSON.parse(msg as string);
      const key = `${api}Call`;
      // Own property only: on a page with a polluted Object.prototype every message would carry a call.
      const c = (typeof msg === 'object' && msg && hasOwn(msg, key) ? (msg as Record<string, unknown>)[key] : null) as
        | (FrameCall & { callId?: unknown })
        | null;
      const source = e.source as WindowProxy | null;
      if (!c || typeof c !== 'object' || !source) return;
      const callId = c.callId;
      answer(source === win ? undefined : source, c, (returnValue, success) => {
        const reply = { [`${api}Return`]: { returnValue, success, callId } };
        source.postMessage(asString ? JSON.stringify(reply) : reply, '*');
      });
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
 * window, each only its call's own small fields), for answerFrameCalls once the code answering
 * them has arrived. Returns `take`, which stops keeping and hands the kept ones over.
 */
export function keepFrameCalls(win: Window, api: string): () => KeptCall[] {
  const key = `${api}Call`;
  const kept: KeptCall[] = [];
  const keep = (e: MessageEvent): void => {
    try {
      const { source } = e;
      // A message without a window to answer is never answered (see answerFrameCalls).
      if (!source || kept.length >= KEEP || kept.filter((k) => k.source === source).length >= KEEP_PER_FRAME) return;
      const data = callToKeep(e.data, key);
      if (data !== undefined) kept.push({ data, source });
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
