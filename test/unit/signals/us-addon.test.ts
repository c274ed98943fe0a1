// @vitest-environment happy-dom
// The US frameworks in the script-tag build: on a visit they apply to, stubs of `__gpp` and
// `__uspapi` are there from the SDK's first task and keep every call, in order, for dist/us.js;
// on any other visit neither API is installed. The add-on fetched beside the SDK in Chromium is
// covered by test/browser/addon-loading.spec.ts.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ScriptConfig } from '../../../src/core/config';
import { createConsentStore } from '../../../src/core/store';
import { provideAddon } from '../../../src/entries/boot/addon';
import type { BootContext } from '../../../src/entries/boot/context';
import { prepareSignals, startSignals } from '../../../src/entries/boot/signals';
import { startUsFrameworks } from '../../../src/entries/boot/us';
import { loadUsFrameworks } from '../../../src/entries/boot/us-loader';
import { installUsStubs } from '../../../src/entries/boot/us-stubs';

type Reply = [data: unknown, ok: boolean];
type UsWindow = {
  __gpp?: (command: string, callback?: (data: unknown, ok: boolean) => void, parameter?: unknown) => unknown;
  __uspapi?: (command: string, version: number, callback: (data: unknown, ok: boolean) => void) => void;
};
const w = window as unknown as UsWindow;
const registry = () =>
  (window as unknown as Record<symbol, Record<string, unknown> | undefined>)[Symbol.for('consentline.addons')];

/** Calls `__gpp` as a tag does and collects what its callback hears. */
const askGpp = (command: string, parameter?: unknown): Reply[] => {
  const heard: Reply[] = [];
  w.__gpp!(command, (data, ok) => heard.push([data, ok]), ...(parameter === undefined ? [] : [parameter]));
  return heard;
};
const askUsp = (): Reply[] => {
  const heard: Reply[] = [];
  w.__uspapi!('getUSPData', 1, (data, ok) => heard.push([data, ok]));
  return heard;
};

const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
  delete w.__gpp;
  delete w.__uspapi;
  const addons = registry();
  if (addons) delete addons['us'];
  document.body?.remove();
});

const context = (config: ScriptConfig, warnings: string[]): BootContext => {
  const warn = (m: string) => warnings.push(m);
  const early = prepareSignals(config, warn, undefined);
  const store = createConsentStore({ regime: early.regime ?? 'opt-in', gpc: early.gpc });
  return { config, store, later: store, defer: (task) => task(), api: {}, warn, early, ui: {} };
};

describe('the US stubs', () => {
  it('answer ping at once and keep every other call; installGpp answers the kept calls in order', () => {
    cleanups.push(installUsStubs(window, { gpp: true, usp: false, cmpId: 42 }).remove);
    const [[ping]] = askGpp('ping') as [Reply];
    expect(ping).toMatchObject({ cmpStatus: 'stub', signalStatus: 'not ready', cmpId: 42, gppString: '' });
    const registered = askGpp('addEventListener');
    const section = askGpp('hasSection', 'usnat');
    expect([registered, section]).toEqual([[], []]);

    const store = createConsentStore({ regime: 'opt-out' });
    cleanups.push(startUsFrameworks(store, { gpp: {}, usp: false }));
    expect(registered).toEqual([[expect.objectContaining({ eventName: 'listenerRegistered', listenerId: 1 }), true]]);
    expect(section).toEqual([[true, true]]);
    expect((askGpp('ping')[0]![0] as { cmpStatus: string }).cmpStatus).toBe('loaded');
    // The listener kept by the stub hears the next change.
    store.optOut('opt-out');
    expect(registered.map(([e]) => (e as { eventName: string }).eventName)).toContain('sectionChange');
  });

  it("hand __uspapi's kept calls to the API that replaced the stub, in order", () => {
    const stubs = installUsStubs(window, { gpp: false, usp: true, cmpId: 0 });
    cleanups.push(stubs.remove);
    expect(w.__gpp).toBeUndefined();
    const first = askUsp();
    const bad: Reply[] = [];
    w.__uspapi!('getUSPData', 2, (data, ok) => bad.push([data, ok]));
    const store = createConsentStore({ regime: 'opt-out' });
    store.optOut('opt-out');
    cleanups.push(startUsFrameworks(store, { gpp: false, usp: {} }));
    expect(first).toEqual([]);
    stubs.handOver();
    expect(first).toEqual([[{ version: 1, uspString: '1YYN' }, true]]);
    expect(bad).toEqual([[null, false]]);
  });

  it('a GPP listener the stub kept that asks US Privacy as the add-on starts is answered at once', () => {
    cleanups.push(installUsStubs(window, { gpp: true, usp: true, cmpId: 0 }).remove);
    const usp: Reply[][] = [];
    w.__gpp!('addEventListener', () => usp.push(askUsp()));
    cleanups.push(startUsFrameworks(createConsentStore({ regime: 'opt-out' }), { gpp: {}, usp: {} }));
    expect(usp).toEqual([[[{ version: 1, uspString: '1YNN' }, true]]]);
  });

  it('when the add-on cannot arrive: every kept and later call fails, and ping says error', () => {
    const stubs = installUsStubs(window, { gpp: true, usp: true, cmpId: 0 });
    cleanups.push(stubs.remove);
    const kept = [askGpp('addEventListener'), askGpp('getSection', 'usnat'), askUsp()];
    stubs.fail();
    expect(kept).toEqual([[[null, false]], [[null, false]], [[null, false]]]);
    expect(askGpp('getField', 'usnat.Gpc')).toEqual([[null, false]]);
    expect(askUsp()).toEqual([[null, false]]);
    expect((askGpp('ping')[0]![0] as { cmpStatus: string }).cmpStatus).toBe('error');
  });

  it("leave a page's own stubs in place, and remove only their own", () => {
    const pageGpp = () => undefined;
    w.__gpp = pageGpp;
    const stubs = installUsStubs(window, { gpp: true, usp: true, cmpId: 0 });
    expect(w.__gpp).toBe(pageGpp);
    expect(typeof w.__uspapi).toBe('function');
    stubs.remove();
    expect(w.__gpp).toBe(pageGpp);
    expect(w.__uspapi).toBeUndefined();
  });

  it('a kept call whose callback throws stops neither the others nor the add-on', () => {
    const stubs = installUsStubs(window, { gpp: true, usp: true, cmpId: 0 });
    cleanups.push(stubs.remove);
    w.__uspapi!('getUSPData', 1, () => {
      throw new Error('tag bug');
    });
    w.__gpp!('ping', () => {
      throw new Error('tag bug');
    });
    const after = askUsp();
    cleanups.push(startUsFrameworks(createConsentStore({ regime: 'opt-out' }), { gpp: {}, usp: {} }));
    stubs.handOver();
    expect(after).toEqual([[{ version: 1, uspString: '1YNN' }, true]]);
  });
});

describe('the script-tag signal bridge', () => {
  it('installs neither API on a visit the US frameworks do not apply to, and fetches nothing', () => {
    const warnings: string[] = [];
    const provide = vi.fn(startUsFrameworks);
    provideAddon('us', provide);
    cleanups.push(startSignals(context({ signals: { usp: true } }, warnings)));
    expect([w.__gpp, w.__uspapi]).toEqual([undefined, undefined]);
    expect(provide).not.toHaveBeenCalled();
    expect(warnings).toEqual([]);
  });

  it('on an opt-out visit: stubs at once, then the add-on answers what they kept', async () => {
    const warnings: string[] = [];
    provideAddon('us', startUsFrameworks);
    const ctx = context({ regime: 'opt-out', signals: { usp: { lspa: true }, gpp: { cmpId: 7 } } }, warnings);
    cleanups.push(startSignals(ctx));
    expect((askGpp('ping')[0]![0] as { cmpStatus: string }).cmpStatus).toBe('stub');
    const kept = askUsp();
    await vi.waitFor(() => expect(kept).toEqual([[{ version: 1, uspString: '1YNY' }, true]]));
    expect(askGpp('ping')[0]![0]).toMatchObject({ cmpStatus: 'loaded', cmpId: 7, applicableSections: [7] });
    expect(warnings).toEqual([]);
  });

  it('with GPP turned off and no USP, an opt-out visit gets neither API', () => {
    const warnings: string[] = [];
    cleanups.push(startSignals(context({ regime: 'opt-out', signals: { gpp: false } }, warnings)));
    expect([w.__gpp, w.__uspapi]).toEqual([undefined, undefined]);
  });

  it('without a tag to load dist/us.js beside, it warns and the stubs answer with a failure', async () => {
    const warnings: string[] = [];
    const ctx = context({ regime: 'opt-out' }, warnings);
    const stop = loadUsFrameworks(ctx, { gpp: {}, usp: false });
    cleanups.push(stop);
    const kept = askGpp('addEventListener');
    await vi.waitFor(() => expect(kept).toEqual([[null, false]]));
    expect(warnings.join('\n')).toMatch(
      /^signals: no SDK <script src> to load us\.js beside; __gpp and __uspapi answer/,
    );
    stop();
    expect(w.__gpp).toBeUndefined();
  });

  it('stopped before the add-on runs, it installs nothing', async () => {
    const provide = vi.fn(startUsFrameworks);
    provideAddon('us', provide);
    const ctx = context({ regime: 'opt-out' }, []);
    loadUsFrameworks(ctx, { gpp: {}, usp: {} })();
    await Promise.resolve();
    await Promise.resolve();
    expect(provide).not.toHaveBeenCalled();
    expect([w.__gpp, w.__uspapi]).toEqual([undefined, undefined]);
  });
});
