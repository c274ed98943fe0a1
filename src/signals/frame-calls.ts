// The IAB APIs' path for frames (GPP CMP API 1.1, USP API 1.0): a script in a frame finds the
// window holding the API by its child frame named `<api>Locator`, posts
// `{ <api>Call: { command, parameter, version, callId } }` to it and gets
// `{ <api>Return: { returnValue, success, callId } }` back, as a JSON string when it asked with one.
// Every other window's message is hostile input: anything else is ignored, and nothing escapes.
import { docOf } from '../dom/document.js';
import type { Callback } from './callback.js';

/** One call over postMessage, as a frame sent it (any field may be junk). */
export interface FrameCall {
  command?: unknown;
  parameter?: unknown;
  version?: unknown;
}

// Calls kept for code still on its way: enough for every frame of a page asking once; a flood
// beyond that is dropped rather than held in memory.
const KEEP = 100;

/**
 * Answers `<api>Call` messages on `win` with `answer`, the `early` ones (see keepFrameCalls) first;
 * `source` is the window that asked, absent when the page posted to itself (code that could call
 * the API directly). Returns the cleanup.
 */
export function answerFrameCalls(
  win: Window,
  api: string,
  answer: (source: WindowProxy | undefined, call: FrameCall, reply: Callback) => void,
  early: readonly MessageEvent[] = [],
): () => void {
  const onMessage = (e: MessageEvent): void => {
    try {
      let msg: unknown = e.data;
      const asString = typeof msg === 'string';
      if (asString) msg = JSON.parse(msg as string);
      const c = (msg as Record<string, unknown> | null)?.[`${api}Call`] as (FrameCall & { callId?: unknown }) | null;
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
 * Keeps the messages on `win` that may be `<api>Call`s (at most 100), for answerFrameCalls once the
 * code answering them has arrived. Returns `take`, which stops keeping and hands the kept ones over.
 */
export function keepFrameCalls(win: Window, api: string): () => MessageEvent[] {
  const key = `${api}Call`;
  const kept: MessageEvent[] = [];
  const keep = (e: MessageEvent): void => {
    try {
      const data: unknown = e.data;
      const mentions =
        typeof data === 'string' ? data.includes(key) : typeof data === 'object' && !!data && key in data;
      if (mentions && kept.length < KEEP) kept.push(e);
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
