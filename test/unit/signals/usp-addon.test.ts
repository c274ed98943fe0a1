// @vitest-environment happy-dom
// US Privacy in the script-tag build: `__uspapi` answers from the store at once; its path for
// frames (`__uspapiCall` postMessages, the `__uspapiLocator` frame) comes with dist/gpp.js on a
// visit CCPA applies to. Here the add-on "arrives" as a value already provided, a microtask after
// the SDK starts; the file fetched beside the SDK in Chromium is covered by
// test/browser/addon-loading.spec.ts. happy-dom cannot load frames: a frame here is a window-like
// source that records what it gets.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ScriptConfig } from '../../../src/core/config';
import { provideAddon } from '../../../src/entries/boot/addon';
import { startSignals } from '../../../src/entries/boot/signals';
import { keepFrameCalls } from '../../../src/signals/frame-calls';
import { answerUspFrames } from '../../../src/signals/usp-frames';
import { bootContext } from '../../support/boot-context';
import { frame, post } from '../../support/frame-messages';

type Reply = [data: unknown, ok: boolean];
const w = window as unknown as {
  __uspapi?: (command: string, version: number, callback: (data: unknown, ok: boolean) => void) => void;
};
const registry = () =>
  (window as unknown as Record<symbol, Record<string, unknown> | undefined>)[Symbol.for('consentline.addons')];

const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
  vi.useRealTimers();
  vi.restoreAllMocks();
  const addons = registry();
  for (const key of Object.keys(addons ?? {})) delete addons![key];
});

/** Starts the signal bridge with `config`; `optedOut` stores an opt-out before the SDK's bridge runs. */
const start = (config: ScriptConfig, warnings: string[], optedOut = false) => {
  const ctx = bootContext(config, warnings, {
    prepare: (store) => {
      if (optedOut) store.optOut();
    },
  });
  cleanups.push(startSignals(ctx));
};
const US = { regime: 'opt-out', signals: { usp: true, gpp: false } } as const;

const askUsp = (): Reply[] => {
  const heard: Reply[] = [];
  w.__uspapi!('getUSPData', 1, (d, ok) => heard.push([d, ok]));
  return heard;
};
const ask = (callId: unknown) => ({ __uspapiCall: { command: 'getUSPData', version: 1, callId } });
/** The locator frames appended to the body so far (kept, not connected: happy-dom loads no frames). */
const locatorFrames = () => {
  const appended: string[] = [];
  vi.spyOn(document.body, 'appendChild').mockImplementation((node) => {
    appended.push((node as HTMLIFrameElement).name);
    return node;
  });
  return appended;
};
/** Runs the idle callback the locator frame waits for (happy-dom has no requestIdleCallback: a timer). */
const pastIdle = () => vi.advanceTimersByTime(500);

describe('__uspapi in the script tag', () => {
  it('answers at once from the store, a stored opt-out included, before the add-on can have arrived', () => {
    start(US, [], true);
    expect(askUsp()).toEqual([[{ version: 1, uspString: '1YYN' }, true]]);
  });

  it('a frame asking before the add-on arrived is answered once it has, in the form it asked with; the locator frame follows', async () => {
    vi.useFakeTimers();
    provideAddon('usp', answerUspFrames);
    const locators = locatorFrames();
    const warnings: string[] = [];
    start(US, warnings);
    const f = frame();
    post(ask('early'), f);
    post(JSON.stringify(ask(2)), f);
    expect(f.got).toEqual([]);
    await vi.waitFor(() => expect(f.got).toHaveLength(2));
    post(ask('late'), f);
    const answer = (callId: unknown) => ({
      __uspapiReturn: { returnValue: { version: 1, uspString: '1YNN' }, success: true, callId },
    });
    expect(f.got).toEqual([answer('early'), JSON.stringify(answer(2)), answer('late')]);
    expect(locators).toEqual([]);
    pastIdle();
    expect(locators).toEqual(['__uspapiLocator']);
    expect(warnings).toEqual([]);
  });

  it("a frame that floods calls first does not crowd out a vendor frame's: the vendor's call is answered once the add-on arrives", async () => {
    vi.useFakeTimers();
    provideAddon('usp', answerUspFrames);
    start(US, []);
    const flood = frame();
    const vendor = frame();
    for (let i = 0; i < 200; i++) post(ask(i), flood);
    post(ask('vendor'), vendor);
    await vi.waitFor(() => expect(vendor.got).toHaveLength(1));
    expect(vendor.got).toEqual([
      { __uspapiReturn: { returnValue: { version: 1, uspString: '1YNN' }, success: true, callId: 'vendor' } },
    ]);
    expect(flood.got.length).toBeLessThanOrEqual(10);
  });

  it('when the add-on cannot arrive: a warning, no locator frame, frames unanswered, __uspapi still answering', async () => {
    vi.useFakeTimers();
    const locators = locatorFrames();
    const warnings: string[] = [];
    start(US, warnings);
    const f = frame();
    post(ask(1), f);
    await vi.waitFor(() => expect(warnings).toHaveLength(1));
    expect(warnings[0]).toBe(
      'signals.usp: no SDK <script src> to load gpp.js beside; frames find no __uspapiLocator (__uspapi answers on the page)',
    );
    post(ask(2), f);
    pastIdle();
    expect(f.got).toEqual([]);
    expect(locators).toEqual([]);
    expect(askUsp()).toEqual([[{ version: 1, uspString: '1YNN' }, true]]);
  });

  it('a visit CCPA does not apply to fetches nothing and answers no frame; __uspapi says 1---', async () => {
    vi.useFakeTimers();
    const load = vi.fn(answerUspFrames);
    provideAddon('usp', load);
    const locators = locatorFrames();
    const warnings: string[] = [];
    start({ signals: { usp: true } }, warnings);
    const f = frame();
    post(ask(1), f);
    await Promise.resolve();
    pastIdle();
    expect(load).not.toHaveBeenCalled();
    expect(f.got).toEqual([]);
    expect(locators).toEqual([]);
    expect(askUsp()).toEqual([[{ version: 1, uspString: '1---' }, true]]);
    expect(warnings).toEqual([]);
  });

  it('stopped before the add-on arrives: no __uspapi, nothing started, nothing kept', async () => {
    const load = vi.fn(answerUspFrames);
    provideAddon('usp', load);
    start(US, []);
    cleanups.pop()!();
    await Promise.resolve();
    await Promise.resolve();
    expect(w.__uspapi).toBeUndefined();
    expect(load).not.toHaveBeenCalled();
  });
});

describe('frame calls kept for the add-on', () => {
  it('keeps only messages that may be calls of that API, at most 100, and stops keeping when taken', () => {
    const take = keepFrameCalls(window, '__uspapi');
    const frames = Array.from({ length: 15 }, frame);
    const f = frames[0]!;
    post({ __gppCall: { command: 'ping' } }, f);
    post('{"other":1}', f);
    post(null, f);
    for (let i = 0; i < 150; i++) post(ask(i), frames[i % frames.length]);
    const kept = take();
    post(ask('after'), f);
    expect(kept).toHaveLength(100);
    expect(kept.map((e) => (e.data as ReturnType<typeof ask>).__uspapiCall.callId)).toEqual([...Array(100).keys()]);
    expect(take()).toEqual([]);
  });

  it('one frame flooding keeps at most 10 of its calls: the calls of every other frame are still kept', () => {
    const take = keepFrameCalls(window, '__uspapi');
    const flood = frame();
    const vendor = frame();
    for (let i = 0; i < 150; i++) post(ask(`flood ${i}`), flood);
    post(ask('vendor'), vendor);
    post(ask('no window'), null);
    const kept = take();
    const from = (f: unknown) => kept.filter((e) => e.source === f);
    expect(from(flood)).toHaveLength(10);
    expect(from(vendor).map((e) => e.data)).toEqual([ask('vendor')]);
    expect(kept).toHaveLength(11);
  });

  it('holds the call only, never the rest of a huge message, while the add-on is on its way', () => {
    const take = keepFrameCalls(window, '__uspapi');
    const f = frame();
    const junk = 'x'.repeat(1_000_000);
    post({ ...ask('object'), junk }, f);
    post({ __uspapiCall: { ...ask('inner').__uspapiCall, junk } }, f);
    post({ __uspapiCall: { command: 'getUSPData', version: 1, callId: junk } }, f);
    post(JSON.stringify({ ...ask('string'), junk }), f);
    post(JSON.stringify(ask('small')), f);
    const kept = take();
    expect(JSON.stringify(kept.map((e) => e.data)).length).toBeLessThan(1000);
    expect(kept.map((e) => e.data)).toEqual([ask('object'), ask('inner'), JSON.stringify(ask('small'))]);
  });

  it('keeps no message whose call is only inherited from a polluted Object.prototype', () => {
    const proto = Object.prototype as Record<string, unknown>;
    proto['__uspapiCall'] = { command: 'getUSPData', version: 1 };
    try {
      const take = keepFrameCalls(window, '__uspapi');
      const f = frame();
      for (let i = 0; i < 100; i++) post({ chatter: i }, f);
      post(ask('real'), f);
      expect(take().map((e) => e.data)).toEqual([ask('real')]);
    } finally {
      delete proto['__uspapiCall'];
    }
  });

  it("the page's own event with data that throws on inspection is ignored, never thrown into the page", () => {
    const take = keepFrameCalls(window, '__uspapi');
    const hostile = new Proxy(
      {},
      {
        has() {
          throw new Error('trap');
        },
      },
    );
    expect(() => post(hostile, window)).not.toThrow();
    expect(take()).toEqual([]);
  });
});
