// @vitest-environment happy-dom
// GPP listeners registered by frames over a long session: a frame that is gone loses its listeners
// at the next frame's registration (at most once a second), so frames that come and go (ads,
// widgets re-rendered by an SPA) are not kept alive by the CMP.
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { createConsentStore } from '../../../src/core/store';
import { installGpp } from '../../../src/signals/gpp';

beforeEach(() => {
  // happy-dom cannot load frames; the __gppLocator frame is covered by the browser tests.
  document.body?.remove();
});
afterEach(() => {
  vi.useRealTimers();
  delete (window as { __gpp?: unknown }).__gpp;
});

/** A frame's window as the CMP sees it: `closed` once removed, and the events posted to it. */
const frame = () => ({
  closed: false,
  got: [] as unknown[],
  postMessage(m: unknown) {
    this.got.push(m);
  },
});

test("a removed frame's listeners are dropped at the next registration, well before the frames' cap", () => {
  vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'clearTimeout'] });
  const store = createConsentStore();
  const off = installGpp(store);
  const register = (f: ReturnType<typeof frame>) =>
    window.dispatchEvent(
      new MessageEvent('message', {
        data: { __gppCall: { command: 'addEventListener', callId: 1 } },
        source: f as unknown as Window,
      }),
    );
  const frames = Array.from({ length: 20 }, frame);
  frames.forEach(register);
  expect(frames.every((f) => f.got.length === 1)).toBe(true);
  // Every frame but the last is removed; a second later a new frame registers.
  frames.slice(0, -1).forEach((f) => (f.closed = true));
  vi.advanceTimersByTime(1000);
  const next = frame();
  register(next);
  for (const f of frames) f.got.length = 0;
  store.acceptAll();
  // Only the frames still there hear the change.
  expect(frames.slice(0, -1).every((f) => f.got.length === 0)).toBe(true);
  expect(frames.at(-1)!.got.length).toBeGreaterThan(0);
  expect(next.got.length).toBeGreaterThan(1);
  off();
});

test("a frame's nested frames share its 50 listeners: a frame holding 20 frames cannot take the frames' 500; another frame still registers", () => {
  const off = installGpp(createConsentStore());
  const register = (f: { parent?: unknown }, callId: unknown) =>
    window.dispatchEvent(
      new MessageEvent('message', {
        data: { __gppCall: { command: 'addEventListener', callId } },
        source: f as unknown as Window,
      }),
    );
  const registered = (f: ReturnType<typeof frame>) =>
    f.got.filter((m) => (m as { __gppReturn: { success: boolean } }).__gppReturn.success).length;
  const ad = { ...frame(), parent: window };
  const children = Array.from({ length: 20 }, () => ({ ...frame(), parent: ad }));
  for (const child of children) for (let i = 0; i < 50; i++) register(child, i);
  const vendor = { ...frame(), parent: window };
  register(vendor, 'vendor');
  expect(children.reduce((n, child) => n + registered(child), 0)).toBe(50);
  expect(registered(vendor)).toBe(1);
  off();
});

test("a frame whose document moved to another origin loses its earlier documents' listeners: an ad slot refreshed 60 times still registers, and only the current creative hears events", () => {
  const store = createConsentStore();
  const off = installGpp(store);
  const slot = {
    parent: window,
    got: [] as unknown[],
    to: [] as unknown[],
    postMessage(m: unknown, targetOrigin?: unknown) {
      this.got.push(m);
      this.to.push(targetOrigin);
    },
  };
  const register = (origin: string) =>
    window.dispatchEvent(
      new MessageEvent('message', {
        data: { __gppCall: { command: 'addEventListener', callId: origin } },
        source: slot as unknown as Window,
        origin,
      }),
    );
  for (let i = 0; i < 60; i++) register(`https://creative${i}.example`);
  const last = slot.got.at(-1) as { __gppReturn: { success: boolean } };
  expect(last.__gppReturn.success).toBe(true);
  slot.got.length = 0;
  slot.to.length = 0;
  store.acceptAll();
  expect(slot.got.length).toBeGreaterThan(0);
  expect(new Set(slot.to)).toEqual(new Set(['https://creative59.example']));
  off();
});

test('a listener a frame may not add is answered as CMP API 1.1 says: listenerRegistered, data false, listenerId 0', () => {
  const off = installGpp(createConsentStore());
  const ad = { ...frame(), parent: window };
  for (let i = 0; i <= 50; i++)
    window.dispatchEvent(
      new MessageEvent('message', {
        data: { __gppCall: { command: 'addEventListener', callId: i } },
        source: ad as unknown as Window,
      }),
    );
  const refused = (ad.got.at(-1) as { __gppReturn: { returnValue: unknown; success: boolean; callId: unknown } })
    .__gppReturn;
  expect(refused).toMatchObject({
    returnValue: { eventName: 'listenerRegistered', listenerId: 0, data: false, pingData: { cmpStatus: 'loaded' } },
    success: false,
    callId: 50,
  });
  off();
});
