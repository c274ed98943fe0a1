// @vitest-environment happy-dom
// GPP in the script-tag build: on a visit US rules apply to, a stub of `__gpp` is there from the
// SDK's first task and keeps every call, in order, for dist/gpp.js; on any other visit there is no
// `__gpp`. US Privacy, when configured, is installed at once on every visit (its path for frames
// comes with dist/gpp.js: usp-addon.test.ts). The add-on fetched beside the SDK in Chromium is
// covered by test/browser/addon-loading.spec.ts.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ScriptConfig } from '../../../src/core/config';
import { createConsentStore } from '../../../src/core/store';
import { provideAddon } from '../../../src/entries/boot/addon';
import type { BootContext } from '../../../src/entries/boot/context';
import { loadGpp } from '../../../src/entries/boot/gpp-loader';
import { installGppStub } from '../../../src/entries/boot/gpp-stub';
import { createLater, deferListeners } from '../../../src/entries/boot/later';
import { startSignals } from '../../../src/entries/boot/signals';
import { installGpp } from '../../../src/signals/gpp';
import { pickGppSection } from '../../../src/signals/gpp-states';
import { answerUspFrames } from '../../../src/signals/usp-frames';
import { bootContext } from '../../support/boot-context';

type Reply = [data: unknown, ok: boolean];
type Gpp = (command: string, callback?: (data: unknown, ok: boolean) => void, parameter?: unknown) => unknown;
type UsWindow = {
  __gpp?: Gpp;
  __uspapi?: (command: string, version: number, callback: (data: unknown, ok: boolean) => void) => void;
};
const w = window as unknown as UsWindow;
const registry = () =>
  (window as unknown as Record<symbol, Record<string, unknown> | undefined>)[Symbol.for('consentline.addons')];

/** Calls `api` (the page's `__gpp` by default) as a tag does and collects what its callback hears. */
const askGpp = (command: string, parameter?: unknown, api: Gpp = w.__gpp!): Reply[] => {
  const heard: Reply[] = [];
  api(command, (data, ok) => heard.push([data, ok]), ...(parameter === undefined ? [] : [parameter]));
  return heard;
};
const status = () => (askGpp('ping')[0]![0] as { cmpStatus: string }).cmpStatus;

const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
  delete w.__gpp;
  delete w.__uspapi;
  const addons = registry();
  for (const key of Object.keys(addons ?? {})) delete addons![key];
  document.body?.remove();
  vi.restoreAllMocks();
});

const context = (config: ScriptConfig, warnings: string[], region?: string): BootContext =>
  bootContext(config, warnings, { region });

/** The event names a callback heard, with the CMP status each carried. */
const events = (heard: Reply[]) =>
  heard.map(([e]) => {
    const ev = e as { eventName: string; data: unknown; pingData: { cmpStatus: string } };
    return `${ev.eventName} ${String(ev.data)} ${ev.pingData.cmpStatus}`;
  });

describe('the __gpp stub', () => {
  it("answers the generic commands at once, as IAB's stub code does", () => {
    const stub = installGppStub(window, 42);
    cleanups.push(stub.remove);
    expect(askGpp('ping')[0]![0]).toMatchObject({ cmpStatus: 'stub', signalStatus: 'not ready', cmpId: 42 });
    const first = askGpp('addEventListener');
    const second = askGpp('addEventListener');
    expect(events(first)).toEqual(['listenerRegistered true stub']);
    expect((second[0]![0] as { listenerId: number }).listenerId).toBe(2);
    expect(askGpp('removeEventListener', 2)).toEqual([[true, true]]);
    expect(askGpp('removeEventListener', 2)).toEqual([[false, true]]);
    for (const command of ['hasSection', 'getSection', 'getField'])
      expect(askGpp(command, 'usnat')).toEqual([[null, false]]);
    expect(w.__gpp!('queue')).toEqual([]);
  });

  it('pings with applicableSections [0], the CMP API 1.1 value while a stub stands in (a section id is not known yet), failed or not', () => {
    const stub = installGppStub(window, 0);
    cleanups.push(stub.remove);
    expect(askGpp('ping')[0]![0]).toMatchObject({ cmpStatus: 'stub', applicableSections: [0] });
    expect((askGpp('addEventListener')[0]![0] as { pingData: unknown }).pingData).toMatchObject({
      applicableSections: [0],
    });
    stub.fail();
    expect(askGpp('ping')[0]![0]).toMatchObject({ cmpStatus: 'error', applicableSections: [0] });
  });

  it('hands its listeners to the add-on, which tells them the CMP is ready; other commands wait, in order', () => {
    const stub = installGppStub(window, 0);
    cleanups.push(stub.remove);
    const listener = askGpp('addEventListener');
    const custom = [askGpp('vendorCommand', 1), askGpp('vendorCommand', 2)];
    expect(custom).toEqual([[], []]);
    const store = createConsentStore({ regime: 'opt-out' });
    stub.handOver(() => cleanups.push(installGpp(store)));
    expect(events(listener)).toEqual([
      'listenerRegistered true stub',
      // The stub said the layer was hidden; with no decision yet the banner shows, then, last,
      // the signal is ready.
      'cmpStatus loaded loaded',
      'cmpDisplayStatus visible loaded',
      'signalStatus ready loaded',
    ]);
    expect(custom).toEqual([[[null, false]], [[null, false]]]);
    expect(status()).toBe('loaded');
    store.optOut('opt-out');
    expect(events(listener)).toContain('sectionChange usnat loaded');
  });

  it('a tag that kept a reference to the stub reaches the installed API through it', () => {
    const stub = installGppStub(window, 0);
    cleanups.push(stub.remove);
    const held = w.__gpp!;
    stub.handOver(() => cleanups.push(installGpp(createConsentStore({ regime: 'opt-out' }))));
    expect(askGpp('getField', 'usnat.SaleOptOut', held)).toEqual([[2, true]]);
  });

  it('a third party that wraps the stub gets answers, never an endless loop, before and after the add-on', () => {
    const stub = installGppStub(window, 0);
    cleanups.push(stub.remove);
    const inner = w.__gpp!;
    const wrapper: Gpp = (...args) => inner(...args);
    w.__gpp = wrapper;
    expect(status()).toBe('stub');
    const listener = askGpp('addEventListener');
    stub.handOver(() => cleanups.push(installGpp(createConsentStore({ regime: 'opt-out' }))));
    expect(events(listener)).toEqual([
      'listenerRegistered true stub',
      // The stub said the layer was hidden; with no decision yet the banner shows, then, last,
      // the signal is ready.
      'cmpStatus loaded loaded',
      'cmpDisplayStatus visible loaded',
      'signalStatus ready loaded',
    ]);
    expect(askGpp('hasSection', 'usnat', wrapper)).toEqual([[true, true]]);
  });

  it('listeners and calls it kept while another stub took its place go to the installed API', () => {
    const stub = installGppStub(window, 0);
    cleanups.push(stub.remove);
    const listener = askGpp('addEventListener');
    const custom = askGpp('vendorCommand');
    const other = Object.assign(
      (command?: string) => (command === 'queue' || command === 'events' ? [] : undefined),
      {},
    );
    w.__gpp = other as Gpp;
    const store = createConsentStore({ regime: 'opt-out' });
    stub.handOver(() => cleanups.push(installGpp(store)));
    expect(custom).toEqual([[null, false]]);
    store.optOut('opt-out');
    expect(events(listener)).toContain('sectionChange usnat loaded');
  });

  it('shows its waiting calls to anyone who asks for the queue, and hands them over only to the add-on', () => {
    cleanups.push(installGppStub(window, 0).remove);
    const custom = askGpp('vendorCommand');
    expect((w.__gpp!('queue') as unknown[]).length).toBe(1);
    expect((w.__gpp!('queue') as unknown[]).length).toBe(1);
    expect(custom).toEqual([]);
  });

  it('keeps the first 100 waiting calls for the add-on, in order; a call past them fails at once, however many come', () => {
    const stub = installGppStub(window, 0);
    cleanups.push(stub.remove);
    const heard = Array.from({ length: 10_000 }, (_, i) => askGpp('vendorCommand', i));
    expect((w.__gpp!('queue') as unknown[]).length).toBe(100);
    expect(heard.slice(0, 100).every((h) => h.length === 0)).toBe(true);
    expect(heard.slice(100).every((h) => h.length === 1 && h[0]![0] === null && h[0]![1] === false)).toBe(true);
    let taken: unknown[][] = [];
    stub.handOver(() => {
      taken = w.__gpp!('queue') as unknown[][];
      w.__gpp = () => undefined;
    });
    expect(taken.map((args) => args[2])).toEqual(Array.from({ length: 100 }, (_, i) => i));
  });

  it('when the add-on cannot arrive: listeners hear cmpStatus error, waiting and later calls fail, ping says error', () => {
    const stub = installGppStub(window, 0);
    cleanups.push(stub.remove);
    const listener = askGpp('addEventListener');
    const custom = askGpp('vendorCommand');
    stub.fail();
    expect(events(listener)).toEqual(['listenerRegistered true stub', 'cmpStatus error error']);
    expect(custom).toEqual([[null, false]]);
    expect(askGpp('vendorCommand')).toEqual([[null, false]]);
    expect(status()).toBe('error');
  });

  it('an add-on arriving after the stub failed (it was late) still takes over, for the stub too', () => {
    const stub = installGppStub(window, 0);
    const kept = w.__gpp!;
    askGpp('addEventListener');
    stub.fail();
    stub.handOver(() => cleanups.push(installGpp(createConsentStore({ regime: 'opt-out' }))));
    expect(status()).toBe('loaded');
    expect((askGpp('ping', undefined, kept)[0]![0] as { cmpStatus: string }).cmpStatus).toBe('loaded');
    expect(events(askGpp('addEventListener'))).toEqual(['listenerRegistered true loaded']);
  });

  it('a listener told the stub failed (the file was late) still hears the add-on once it arrives, an opt-out included', () => {
    const stub = installGppStub(window, 0);
    const listener = askGpp('addEventListener');
    stub.fail();
    stub.fail();
    const store = createConsentStore({ regime: 'opt-out' });
    stub.handOver(() => cleanups.push(installGpp(store)));
    store.optOut('opt-out');
    expect(events(listener)).toEqual([
      'listenerRegistered true stub',
      'cmpStatus error error',
      // The add-on has loaded after all; the banner shows until the opt-out, which takes it away.
      'cmpStatus loaded loaded',
      'cmpDisplayStatus visible loaded',
      'signalStatus ready loaded',
      'signalStatus not ready loaded',
      'cmpDisplayStatus hidden loaded',
      'sectionChange usnat loaded',
      'signalStatus ready loaded',
    ]);
  });

  it('an add-on that throws after taking the listeners and calls: a failure tells none of them twice', () => {
    const stub = installGppStub(window, 0);
    cleanups.push(stub.remove);
    const listener = askGpp('addEventListener');
    const custom = askGpp('vendorCommand');
    expect(() =>
      stub.handOver(() => {
        cleanups.push(installGpp(createConsentStore({ regime: 'opt-out' })));
        throw new Error('broken after the drain');
      }),
    ).toThrow('broken after the drain');
    stub.fail();
    expect(events(listener)).toEqual([
      'listenerRegistered true stub',
      // The stub said the layer was hidden; with no decision yet the banner shows, then, last,
      // the signal is ready.
      'cmpStatus loaded loaded',
      'cmpDisplayStatus visible loaded',
      'signalStatus ready loaded',
    ]);
    expect(custom).toEqual([[null, false]]);
  });

  it("leaves a page's own stub in place, and removes only its own", () => {
    const pageGpp = () => undefined;
    w.__gpp = pageGpp;
    installGppStub(window, 0).remove();
    expect(w.__gpp).toBe(pageGpp);
    delete w.__gpp;
    const stub = installGppStub(window, 0);
    expect(typeof w.__gpp).toBe('function');
    stub.remove();
    expect(w.__gpp).toBeUndefined();
  });

  it('takes the place of page markup named __gpp', () => {
    const div = document.createElement('div');
    div.id = '__gpp';
    document.documentElement.append(div);
    cleanups.push(() => div.remove());
    cleanups.push(installGppStub(window, 0).remove);
    expect(status()).toBe('stub');
  });
});

describe('the script-tag signal bridge', () => {
  it("one part that cannot start (another script's read-only __uspapi) does not stop the rest: the opt-out link and Consentline.optOut still work", () => {
    Object.defineProperty(window, '__uspapi', { value: 'another CMP', writable: false, configurable: true });
    const errors: unknown[] = [];
    const ctx = {
      ...context({ regime: 'opt-out', signals: { usp: true, gpp: false } }, []),
      onError: (e: unknown) => errors.push(e),
    };
    document.body ?? document.documentElement.appendChild(document.createElement('body'));
    const link = document.createElement('a');
    link.setAttribute('data-consentline-optout', '');
    document.body.append(link);
    try {
      cleanups.push(startSignals(ctx));
      link.click();
      expect(ctx.store.get().optedOut).toBe(true);
      expect(typeof ctx.api['optOut']).toBe('function');
      expect(errors).toHaveLength(1);
    } finally {
      link.remove();
    }
  });

  it('installs no __gpp on a visit US rules do not apply to, and fetches nothing; US Privacy says 1---', () => {
    const warnings: string[] = [];
    const install = vi.fn(installGpp);
    provideAddon('gpp', install);
    cleanups.push(startSignals(context({ signals: { usp: true } }, warnings)));
    expect(w.__gpp).toBeUndefined();
    expect(install).not.toHaveBeenCalled();
    const usp: Reply[] = [];
    w.__uspapi!('getUSPData', 1, (d, ok) => usp.push([d, ok]));
    expect(usp).toEqual([[{ version: 1, uspString: '1---' }, true]]);
    expect(warnings).toEqual([]);
  });

  it('on an opt-out visit: the stub at once, US Privacy answering at once, then the add-on tells the listeners it is ready', async () => {
    const warnings: string[] = [];
    provideAddon('gpp', installGpp);
    provideAddon('usp', answerUspFrames);
    cleanups.push(
      startSignals(context({ regime: 'opt-out', signals: { usp: { lspa: true }, gpp: { cmpId: 7 } } }, warnings)),
    );
    expect(status()).toBe('stub');
    const usp: Reply[] = [];
    w.__uspapi!('getUSPData', 1, (d, ok) => usp.push([d, ok]));
    expect(usp).toEqual([[{ version: 1, uspString: '1YNY' }, true]]);
    const listener = askGpp('addEventListener');
    await vi.waitFor(() => expect(events(listener)).toContain('signalStatus ready loaded'));
    expect(askGpp('ping')[0]![0]).toMatchObject({ cmpStatus: 'loaded', cmpId: 7, applicableSections: [7] });
    expect(warnings).toEqual([]);
  });

  it('a ping right after the dialog opens or closes says so, though the store is told a task later; saving in it is one chain', async () => {
    provideAddon('gpp', installGpp);
    const ctx = context({ regime: 'opt-out', signals: { gpp: { cmpId: 7 } } }, []);
    const defer = createLater((error) => {
      throw error;
    });
    let dialog = (_open: boolean) => {};
    Object.assign(ctx, {
      later: deferListeners(ctx.store, defer),
      defer,
      watchPreferences: (listener: (open: boolean) => void) => {
        dialog = listener;
        listener(false);
        return () => {};
      },
    } satisfies Partial<BootContext>);
    ctx.store.acceptAll();
    cleanups.push(startSignals(ctx));
    await vi.waitFor(() => expect(status()).toBe('loaded'));
    const heard: string[] = [];
    w.__gpp!('addEventListener', (e) => {
      const ev = e as { eventName: string; data: unknown };
      if (ev.eventName !== 'listenerRegistered') heard.push(`${ev.eventName} ${String(ev.data)}`);
    });
    const now = () => {
      const p = askGpp('ping')[0]![0] as { cmpDisplayStatus: string; signalStatus: string };
      return `${p.cmpDisplayStatus} ${p.signalStatus}`;
    };
    expect(now()).toBe('hidden ready');
    dialog(true);
    expect(now()).toBe('visible not ready');
    ctx.store.optOut('preferences');
    dialog(false);
    expect(now()).toBe('hidden not ready');
    await new Promise((r) => setTimeout(r, 0));
    expect(now()).toBe('hidden ready');
    expect(heard).toEqual([
      'signalStatus not ready',
      'cmpDisplayStatus visible',
      'sectionChange usnat',
      'cmpDisplayStatus hidden',
      'signalStatus ready',
    ]);
  });

  it('with GPP turned off an opt-out visit gets no __gpp', () => {
    cleanups.push(startSignals(context({ regime: 'opt-out', signals: { gpp: false } }, [])));
    expect(w.__gpp).toBeUndefined();
  });

  it('without a tag to load dist/gpp.js beside, it warns and the stub answers with a failure', async () => {
    const warnings: string[] = [];
    const stop = loadGpp(context({ regime: 'opt-out' }, warnings), {});
    cleanups.push(stop);
    const listener = askGpp('addEventListener');
    await vi.waitFor(() => expect(events(listener)).toContain('cmpStatus error error'));
    expect(warnings).toEqual([
      'signals.gpp: no SDK <script src> to load gpp.js beside; __gpp reports cmpStatus "error"',
    ]);
    stop();
    expect(w.__gpp).toBeUndefined();
    expect(events(listener)).toEqual(['listenerRegistered true stub', 'cmpStatus error error']);
  });

  it('an add-on that throws as it starts: an error, and the listeners told once that the CMP failed', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    cleanups.push(() => errors.mockRestore());
    provideAddon('gpp', () => {
      throw new Error('broken');
    });
    cleanups.push(loadGpp(context({ regime: 'opt-out' }, []), {}));
    const listener = askGpp('addEventListener');
    await vi.waitFor(() => expect(events(listener)).toContain('cmpStatus error error'));
    expect(events(listener)).toEqual(['listenerRegistered true stub', 'cmpStatus error error']);
    expect(errors).toHaveBeenCalledTimes(1);
    expect(status()).toBe('error');
  });

  it('stopped before the add-on runs, it installs nothing and tells its listeners the CMP failed', async () => {
    const install = vi.fn(installGpp);
    provideAddon('gpp', install);
    const stop = loadGpp(context({ regime: 'opt-out' }, []), {});
    const listener = askGpp('addEventListener');
    stop();
    await new Promise((r) => setTimeout(r, 0));
    expect(install).not.toHaveBeenCalled();
    expect(w.__gpp).toBeUndefined();
    expect(events(listener)).toEqual(['listenerRegistered true stub', 'cmpStatus error error']);
  });

  it("the page's own IAB stub is left alone when the add-on cannot arrive, and the warning says so", async () => {
    const pageGpp = Object.assign(
      (command?: string) => (command === 'queue' || command === 'events' ? [] : undefined),
      {},
    );
    w.__gpp = pageGpp as Gpp;
    const warnings: string[] = [];
    cleanups.push(loadGpp(context({ regime: 'opt-out' }, warnings), {}));
    await vi.waitFor(() => expect(warnings).toHaveLength(1));
    expect(warnings[0]).toMatch(/; the page's own __gpp stub is left as it is$/);
    expect(w.__gpp).toBe(pageGpp);
  });

  it('a polluted Object.prototype picks neither the section, the window nor where the section applies', async () => {
    const proto = Object.prototype as Record<string, unknown>;
    const fake = { __gpp: undefined, addEventListener() {}, document: {} };
    Object.assign(proto, { section: 'bogus', win: fake, applies: () => false, cmpId: 99 });
    try {
      provideAddon('gpp', installGpp);
      cleanups.push(loadGpp(context({ regime: 'opt-out' }, []), undefined));
      await vi.waitFor(() =>
        expect(askGpp('ping')[0]![0]).toMatchObject({
          cmpStatus: 'loaded',
          cmpId: 1,
          sectionList: [7],
          applicableSections: [7],
        }),
      );
    } finally {
      for (const key of ['section', 'win', 'applies', 'cmpId']) delete proto[key];
    }
  });

  /** Starts the bridge on an opt-out visit hinted at `region`; the warnings once `__gpp` emits section `id`. */
  const loadedWith = async (gpp: Record<string, unknown>, region: string, id: number): Promise<string[]> => {
    provideAddon('gpp', installGpp);
    const warnings: string[] = [];
    cleanups.push(startSignals(context({ regime: 'opt-out', signals: { gpp } }, warnings, region)));
    await vi.waitFor(() => expect(askGpp('ping')[0]![0]).toMatchObject({ cmpStatus: 'loaded', sectionList: [id] }));
    return warnings;
  };

  it('with gpp.states but no state in the region hint, the state sections are not asked for', async () => {
    expect(await loadedWith({ states: true }, 'US', 7)).toEqual([]);
  });

  it("with gpp.states the state sections come along and the region hint's state section is emitted", async () => {
    provideAddon('gpp-states', pickGppSection);
    expect(await loadedWith({ states: true }, 'US-VA', 9)).toEqual([]);
  });

  it('state sections that cannot arrive: a warning, and the configured section', async () => {
    expect(await loadedWith({ states: true, section: 'usca' }, 'US-VA', 8)).toEqual([
      'signals.gpp.states: no SDK <script src> to load gpp-states.js beside; the section is usca',
    ]);
  });

  it('state sections the page loaded itself are used without gpp.states; a picker that throws gives the configured section', async () => {
    provideAddon('gpp-states', pickGppSection);
    await loadedWith({}, 'US-CO', 10);
    cleanups.pop()!();
    provideAddon('gpp-states', () => {
      throw new Error('broken picker');
    });
    await loadedWith({}, 'US-CO', 7);
  });
});

// An add-on file of another release already on the page (a cached copy, a tag left from before an
// upgrade) registered itself under its own key, or under the bare name releases used before keys
// had versions. The SDK must not start it: it loads the file of its own release instead.
describe('an add-on of another release on the page', () => {
  /** The SDK's own tag, for loading add-ons beside. */
  const sdkTag = () => {
    const tag = document.createElement('script');
    // Not run here: only its src and place matter.
    tag.type = 'text/plain';
    tag.src = 'https://cdn.example/consentline/consentline.min.js';
    document.head.append(tag);
    cleanups.push(() => tag.remove());
    return tag;
  };
  const stale = () => vi.fn(() => () => {});

  it('is not started: the SDK fetches its own file, with its integrity, and the console names the file', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const old = { gpp: stale(), usp: stale(), versioned: stale() };
    const addons = ((window as unknown as Record<symbol, Record<string, unknown>>)[Symbol.for('consentline.addons')] ??=
      Object.create(null) as Record<string, unknown>);
    addons['gpp'] = old.gpp;
    addons['usp'] = old.usp;
    addons['gpp@0.0.9'] = old.versioned;
    const ctx = { ...context({ regime: 'opt-out', signals: { usp: true } }, []), tag: sdkTag() };
    cleanups.push(startSignals(ctx));
    // An add-on found on the page starts a microtask later.
    await new Promise((r) => setTimeout(r, 0));
    expect(old.gpp).not.toHaveBeenCalled();
    expect(old.usp).not.toHaveBeenCalled();
    expect(old.versioned).not.toHaveBeenCalled();
    const fetched = [...document.querySelectorAll<HTMLScriptElement>('script[src$="gpp.js"]')];
    expect(fetched.map((s) => [s.src, s.integrity])).toEqual([
      ['https://cdn.example/consentline/gpp.js', '__INTEGRITY__gpp.js'],
    ]);
    expect(warn.mock.calls.map((c) => c.join(' '))).toEqual([
      '[consentline] gpp.js on the page is not of release __VERSION__: not used',
    ]);
  });

  it('vendor bridges of another release are not started, and the console says so', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const old = stale();
    const addons = ((window as unknown as Record<symbol, Record<string, unknown>>)[Symbol.for('consentline.addons')] ??=
      Object.create(null) as Record<string, unknown>);
    addons['vendors'] = old;
    const warnings: string[] = [];
    cleanups.push(startSignals(context({ signals: { vendors: { uet: true } } }, warnings)));
    expect(old).not.toHaveBeenCalled();
    expect(warn.mock.calls.map((c) => c.join(' '))).toEqual([
      '[consentline] vendors.js on the page is not of release __VERSION__: not used',
    ]);
    expect(warnings).toEqual([]);
  });

  it('vendor bridges configured without vendors.js on the page: one warning saying what to load', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const warnings: string[] = [];
    cleanups.push(startSignals(context({ signals: { vendors: { uet: true } } }, warnings)));
    expect(warn).not.toHaveBeenCalled();
    expect(warnings).toEqual(['signals.vendors: dist/vendors.js did not run before the SDK; no vendor bridges']);
  });

  it("this release's own add-on that is not a function is not said to be of another release", () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    provideAddon('vendors', { not: 'a function' });
    cleanups.push(startSignals(context({ signals: { vendors: { uet: true } } }, [])));
    expect(warn.mock.calls.map((c) => c.join(' '))).not.toContainEqual(expect.stringMatching(/not of release/));
  });
});
