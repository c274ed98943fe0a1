// @vitest-environment happy-dom
// The US Privacy API for frames: the USP API 1.0 requires "a proxy for postMessage events targeted
// to the __uspapi interface sent from within nested iframes" (`__uspapiCall` → `__uspapiReturn`).
// happy-dom cannot load frames: a frame here is a window-like source that records what it gets;
// the __uspapiLocator frame itself is covered by the browser tests.
import { afterEach, expect, test } from 'vitest';
import { createConsentStore } from '../../../src/core/store';
import { installUspapi } from '../../../src/signals/usp';
import { frame, post } from '../../support/frame-messages';

const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

test('a frame asking getUSPData over postMessage gets the string back, in the form it asked with', () => {
  const store = createConsentStore({ regime: 'opt-out' });
  cleanups.push(installUspapi(store));
  const f = frame();
  post({ __uspapiCall: { command: 'getUSPData', version: 1, callId: 'a' } }, f);
  store.optOut();
  post(JSON.stringify({ __uspapiCall: { command: 'getUSPData', version: 1, callId: 2 } }), f);
  expect(f.got).toEqual([
    { __uspapiReturn: { returnValue: { version: 1, uspString: '1YNN' }, success: true, callId: 'a' } },
    JSON.stringify({ __uspapiReturn: { returnValue: { version: 1, uspString: '1YYN' }, success: true, callId: 2 } }),
  ]);
});

test('any other command, version or junk gets a failure or nothing; nothing throws', () => {
  cleanups.push(installUspapi(createConsentStore()));
  const f = frame();
  post({ __uspapiCall: { command: 'constructor', version: 1, callId: 1 } }, f);
  post({ __uspapiCall: { command: 'getUSPData', version: 2, callId: 2 } }, f);
  for (const junk of ['{', 'null', 5, null, { __uspapiCall: null }, { __uspapiCall: 'getUSPData' }]) post(junk, f);
  post({ __uspapiCall: { command: 'getUSPData', version: 1, callId: 3 } }, null);
  expect(f.got).toEqual([
    { __uspapiReturn: { returnValue: null, success: false, callId: 1 } },
    { __uspapiReturn: { returnValue: null, success: false, callId: 2 } },
  ]);
});

test('the cleanup stops answering frames', () => {
  installUspapi(createConsentStore())();
  const f = frame();
  post({ __uspapiCall: { command: 'getUSPData', version: 1, callId: 1 } }, f);
  expect(f.got).toEqual([]);
});

test('on a page with a polluted Object.prototype, a message that carries no call of its own is not answered', () => {
  cleanups.push(installUspapi(createConsentStore()));
  const proto = Object.prototype as Record<string, unknown>;
  proto['__uspapiCall'] = { command: 'getUSPData', version: 1 };
  try {
    const f = frame();
    post({ chatter: 1 }, f);
    post('{"chatter":2}', f);
    expect(f.got).toEqual([]);
  } finally {
    delete proto['__uspapiCall'];
  }
});

test("the page's own call with a version that cannot be a number (a Symbol, an object whose valueOf throws) gets a failure, never an exception", () => {
  cleanups.push(installUspapi(createConsentStore()));
  const usp = (window as unknown as { __uspapi(c: unknown, v: unknown, cb: (d: unknown, ok: boolean) => void): void })
    .__uspapi;
  const heard: unknown[] = [];
  const hostile = [
    Symbol('1'),
    {
      valueOf() {
        throw new Error('valueOf');
      },
    },
  ];
  for (const version of hostile) expect(() => usp('getUSPData', version, (d, ok) => heard.push([d, ok]))).not.toThrow();
  usp('getUSPData', '1', (_d, ok) => heard.push(ok));
  expect(heard).toEqual([[null, false], [null, false], true]);
});

test('a site hint (applies) that throws takes neither __uspapi nor its frame path down: CCPA then applies, as GPP takes it', () => {
  const store = createConsentStore({ regime: 'opt-out' });
  store.optOut();
  cleanups.push(
    installUspapi(store, {
      applies: () => {
        throw new Error('site bug');
      },
    }),
  );
  const got: unknown[] = [];
  const uspapi = (window as unknown as { __uspapi(c: string, v: number, cb: (d: unknown, ok: boolean) => void): void })
    .__uspapi;
  expect(() => uspapi('getUSPData', 1, (d, ok) => got.push([d, ok]))).not.toThrow();
  const f = frame();
  post({ __uspapiCall: { command: 'getUSPData', version: 1, callId: 'f' } }, f);
  expect(got).toEqual([[{ version: 1, uspString: '1YYN' }, true]]);
  expect(f.got).toEqual([
    { __uspapiReturn: { returnValue: { version: 1, uspString: '1YYN' }, success: true, callId: 'f' } },
  ]);
});
