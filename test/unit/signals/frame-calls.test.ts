// @vitest-environment happy-dom
// Frame calls kept while the code answering them is on its way: each child frame of the page has
// one share, whatever it nests; a frame that navigated is answered only if its document asked.
// happy-dom loads no frames: a frame here is a window-like source with a `parent`; the real
// nested frames are in test/browser/addon-loading.spec.ts.
import { describe, expect, it, vi } from 'vitest';
import { answerFrameCalls, frameOf, keepFrameCalls } from '../../../src/signals/frame-calls';
import { frame, post } from '../../support/frame-messages';

const ask = (callId: unknown) => ({ __uspapiCall: { command: 'getUSPData', version: 1, callId } });
const callIds = (kept: Array<{ data: unknown }>) =>
  kept.map((k) => (k.data as ReturnType<typeof ask>).__uspapiCall.callId);

describe('frameOf', () => {
  it("is the page's child frame that holds the window, however deep; the window itself when no frame of the page holds it", () => {
    const ad = frame(window);
    const inner = frame(ad);
    const innermost = frame(inner);
    expect(frameOf(window, ad as unknown as Window)).toBe(ad);
    expect(frameOf(window, inner as unknown as Window)).toBe(ad);
    expect(frameOf(window, innermost as unknown as Window)).toBe(ad);
    // Another tab or a popup (no parent), a window nested in someone else's page, a loop.
    const popup = frame();
    const elsewhere = frame(frame());
    const loop = frame() as { parent: unknown };
    loop.parent = loop;
    for (const w of [popup, elsewhere, loop]) expect(frameOf(window, w as unknown as Window)).toBe(w);
    // Deeper than any page nests its ad or widget frames: a frame of its own.
    let deep: unknown = ad;
    for (let i = 0; i < 30; i++) deep = frame(deep);
    expect(frameOf(window, deep as Window)).toBe(deep);
  });
});

describe('keepFrameCalls', () => {
  it("one frame's nested frames share its 10: a frame holding 15 frames that flood keeps 10 calls, and another frame's call is still kept", () => {
    const take = keepFrameCalls(window, '__uspapi');
    const ad = frame(window);
    const children = Array.from({ length: 15 }, () => frame(ad));
    children.forEach((child, c) => {
      for (let i = 0; i < 10; i++) post(ask(`ad ${c}.${i}`), child);
    });
    const vendor = frame(window);
    post(ask('vendor'), vendor);
    const kept = take();
    expect(kept.filter((k) => k.source === (vendor as unknown)).map((k) => k.data)).toEqual([ask('vendor')]);
    expect(kept.filter((k) => children.includes(k.source as never))).toHaveLength(10);
    expect(kept).toHaveLength(11);
  });

  it("a frame that navigates to another origin: its earlier calls are dropped and the new document has the whole share; its child frame's call stays", () => {
    const take = keepFrameCalls(window, '__uspapi');
    const ad = frame(window);
    const child = frame(ad);
    post(ask('child'), child, 'https://child.example');
    for (let i = 0; i < 9; i++) post(ask(`first ${i}`), ad, 'https://first.example');
    // The frame's next document asks; the child frame's window is a window of its own.
    for (let i = 0; i < 12; i++) post(ask(`second ${i}`), ad, 'https://second.example');
    const kept = take();
    expect(callIds(kept)).toEqual(['child', ...Array.from({ length: 9 }, (_, i) => `second ${i}`)]);
    expect(kept.map((k) => k.origin)).toEqual(['https://child.example', ...Array(9).fill('https://second.example')]);
  });
});

describe('answerFrameCalls', () => {
  it('replies only to the origin that asked, kept calls included; a frame of an opaque origin ("null") is answered with "*"', () => {
    const take = keepFrameCalls(window, '__uspapi');
    const f = frame(window);
    const sandboxed = frame(window);
    post(ask('early'), f, 'https://vendor.example');
    post(ask('opaque'), sandboxed, 'null');
    const stop = answerFrameCalls(window, '__uspapi', (_source, _call, reply) => reply('answer', true), take());
    post(ask('live'), f, 'https://vendor.example');
    stop();
    expect(f.got).toHaveLength(2);
    expect(f.to).toEqual(['https://vendor.example', 'https://vendor.example']);
    expect(sandboxed.to).toEqual(['*']);
  });

  it("parses only a string that mentions the call and is as short as a call: other frames' chatter and megabytes cost no parse", () => {
    const f = frame(window);
    const answered: unknown[] = [];
    const stop = answerFrameCalls(window, '__uspapi', (_source, call, reply) => {
      answered.push(call.command);
      reply('answer', true);
    });
    const parse = vi.spyOn(JSON, 'parse');
    try {
      post(JSON.stringify({ type: 'resize', height: 90, pad: 'x'.repeat(5_000_000) }), f);
      post(JSON.stringify({ ...ask('padded'), pad: ' '.repeat(2_000) }), f);
      expect(parse).not.toHaveBeenCalled();
      post(JSON.stringify(ask('small')), f);
    } finally {
      parse.mockRestore();
      stop();
    }
    expect(answered).toEqual(['getUSPData']);
    expect(f.got).toEqual([
      JSON.stringify({ __uspapiReturn: { returnValue: 'answer', success: true, callId: 'small' } }),
    ]);
  });

  it("answers no call whose callId is more than a call's (a string or number, CMP API 1.1): each reply carries it back, a listener's with every event", () => {
    const f = frame(window);
    const answered: unknown[] = [];
    const stop = answerFrameCalls(window, '__gpp', (_source, call, reply) => {
      answered.push(call.command);
      reply('answer', true);
    });
    const call = (callId: unknown) => ({ __gppCall: { command: 'addEventListener', callId } });
    try {
      post(call('x'.repeat(1_000_000)), f);
      post(call({ pad: 'x'.repeat(1_000_000) }), f);
      post(call(Array(100_000).fill(1)), f);
      post(call('vendor-1'), f);
      post(call(7), f);
    } finally {
      stop();
    }
    expect(answered).toEqual(['addEventListener', 'addEventListener']);
    expect(f.got.map((m) => (m as { __gppReturn: { callId: unknown } }).__gppReturn.callId)).toEqual(['vendor-1', 7]);
  });
});
