// @vitest-environment happy-dom
// What the GPP CMP API leaves for later or out: the __gppLocator frame waits for idle time (creating
// a browsing context is expensive) and is not made on a visit the section does not apply to, and a
// change nobody listens to is not encoded. `__gpp` itself
// answers from the first call. The frame in a real browser, and a child
// frame finding it, are covered by test/browser/signals.spec.ts.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createConsentStore } from '../../../src/core/store';
import { installGpp } from '../../../src/signals/gpp';
import * as encode from '../../../src/signals/gpp-encode';

// Every encoding of a GPP string counted, the encoder itself unchanged.
vi.mock('../../../src/signals/gpp-encode', async (original) => {
  const actual = await original<typeof import('../../../src/signals/gpp-encode')>();
  return { ...actual, encodeGppString: vi.fn(actual.encodeGppString) };
});

type Gpp = (command: string, callback: (data: Record<string, unknown>, ok: boolean) => void) => void;

/** A child frame's window as named access gives it: a window, whose `window` is itself. */
const childWindow = (): Record<string, unknown> => {
  const child: Record<string, unknown> = {};
  child['window'] = child;
  return child;
};

/** A window whose idle callbacks and appended frames the test sees. */
const fakeWindow = (readyState: DocumentReadyState) => {
  const appended: HTMLIFrameElement[] = [];
  const idle: Array<(() => void) | undefined> = [];
  const frames: Record<string, unknown> = {};
  // Its members on its prototype, as a real document's are (the SDK reads them from there).
  const doc = Object.create({
    readyState,
    createElement: (tag: string) => document.createElement(tag),
    body: {
      appendChild: (f: HTMLIFrameElement) => {
        appended.push(f);
        frames[f.name] = childWindow();
        return f;
      },
    },
    documentElement: null,
  }) as object;
  const win = Object.assign(new EventTarget(), {
    document: doc,
    frames,
    requestIdleCallback: (cb: () => void) => idle.push(cb),
    cancelIdleCallback: (id: number) => {
      idle[id - 1] = undefined;
    },
    setTimeout,
    clearTimeout,
  });
  const runIdle = () => idle.splice(0).forEach((cb) => cb?.());
  return { win: win as unknown as Window & { __gpp?: Gpp }, appended, idle, frames, runIdle };
};

const uninstall: Array<() => void> = [];
afterEach(() => {
  while (uninstall.length) uninstall.pop()!();
});

describe('the __gppLocator frame', () => {
  it('waits for idle time; __gpp answers before it', () => {
    const { win, appended, idle, runIdle } = fakeWindow('loading');
    uninstall.push(installGpp(createConsentStore(), { win }));
    let status = '';
    win.__gpp!('ping', (d) => (status = String(d['cmpStatus'])));
    expect(status).toBe('loaded');
    expect(appended).toHaveLength(0);
    expect(idle).toHaveLength(1);
    runIdle();
    expect(appended.map((f) => [f.name, f.hidden])).toEqual([['__gppLocator', true]]);
  });

  it('is not added on a visit the section does not apply to; __gpp still answers', () => {
    const { win, appended, runIdle } = fakeWindow('complete');
    uninstall.push(installGpp(createConsentStore(), { win, applies: () => false }));
    runIdle();
    expect(appended).toHaveLength(0);
    let applicable: unknown;
    win.__gpp!('ping', (d) => (applicable = d['applicableSections']));
    expect(applicable).toEqual([-1]);
  });

  it('is not added when a stub already made one, nor after the cleanup', () => {
    const stubbed = fakeWindow('complete');
    stubbed.frames['__gppLocator'] = childWindow();
    uninstall.push(installGpp(createConsentStore(), { win: stubbed.win }));
    stubbed.runIdle();
    expect(stubbed.appended).toHaveLength(0);

    const early = fakeWindow('loading');
    installGpp(createConsentStore(), { win: early.win })();
    early.runIdle();
    expect(early.appended).toHaveLength(0);
  });
});

describe('a change', () => {
  it('nobody listens to is not encoded; a listener gets it as before', () => {
    const { win } = fakeWindow('complete');
    const store = createConsentStore({ regime: 'opt-out' });
    const encodings = vi.mocked(encode.encodeGppString);
    uninstall.push(installGpp(store, { win }));
    encodings.mockClear();
    store.optOut();
    expect(encodings).not.toHaveBeenCalled();
    const events: string[] = [];
    win.__gpp!('addEventListener', (d) => events.push(String(d['eventName'])));
    encodings.mockClear();
    store.acceptAll();
    expect(events).toEqual(['listenerRegistered', 'signalStatus', 'sectionChange', 'signalStatus']);
    // Once for the change, whatever the number of events and listeners.
    expect(encodings).toHaveBeenCalledTimes(1);
  });
});
