// @vitest-environment happy-dom
// Our GPP encoder and CMP API against the official IAB library as an oracle.
import { CmpApi, CmpDisplayStatus, GppModel, SignalStatus } from '@iabgpp/cmpapi';
import { describe, expect, test } from 'vitest';
import { createConsentStore } from '../../../src/core/store';
import { buildGppSection, encodeGppString, type GppSectionName } from '../../../src/signals/gpp-encode';
import { installGpp } from '../../../src/signals/gpp';
import { formatUspString } from '../../../src/signals/usp';
import { deferListeners } from '../../../src/entries/boot/later';
import { type GppState, libraryEncoding, MSPA_CASES, ping, pingInState, useGppWindow } from '../../support/gpp';

type Setup = GppState & { usp: string };
const STATES: Record<string, Setup> = {
  'no decision, opt-out regime': { regime: 'opt-out', out: 2, usp: '1YNN' },
  'no decision, opt-in regime (nothing granted yet)': { regime: 'opt-in', out: 1, usp: '1YYN' },
  accepted: { act: (s) => s.acceptAll(), out: 2, usp: '1YNN' },
  rejected: { act: (s) => s.rejectAll(), out: 1, usp: '1YYN' },
  'analytics only': { act: (s) => s.set({ analytics: true, advertising: false, social: false }), out: 1, usp: '1YYN' },
  'opted out (Do Not Sell link)': { regime: 'opt-out', act: (s) => s.optOut(), out: 1, usp: '1YYN' },
  'GPC, no decision': { regime: 'opt-out', gpc: true, out: 1, usp: '1YYN' },
  'GPC, then accept all': { regime: 'opt-out', gpc: true, act: (s) => s.acceptAll(), out: 1, usp: '1YYN' },
};
const SECTIONS: GppSectionName[] = ['usnat', 'usca'];

const keep = useGppWindow();

describe('GPP strings decoded by @iabgpp/cmpapi', () => {
  for (const section of SECTIONS) {
    for (const [name, setup] of Object.entries(STATES)) {
      test(`${section}: ${name}`, () => {
        const { store, ping: p } = pingInState(setup, { section }, keep);
        const decoded = new GppModel(p['gppString'] as string);
        expect(decoded.getSectionIds()).toEqual([section === 'usnat' ? 7 : 8]);
        const expected: Record<string, unknown> =
          section === 'usnat'
            ? {
                Version: 2,
                SharingNotice: 1,
                SaleOptOutNotice: 1,
                SharingOptOutNotice: 1,
                TargetedAdvertisingOptOutNotice: 1,
                SensitiveDataProcessingOptOutNotice: 0,
                SensitiveDataLimitUseNotice: 0,
                SaleOptOut: setup.out,
                SharingOptOut: setup.out,
                TargetedAdvertisingOptOut: setup.out,
                SensitiveDataProcessing: Array(16).fill(0),
                KnownChildSensitiveDataConsents: [0, 0, 0],
              }
            : {
                Version: 1,
                SaleOptOutNotice: 1,
                SharingOptOutNotice: 1,
                SensitiveDataLimitUseNotice: 0,
                SaleOptOut: setup.out,
                SharingOptOut: setup.out,
                SensitiveDataProcessing: Array(9).fill(0),
                KnownChildSensitiveDataConsents: [0, 0],
              };
        Object.assign(expected, {
          PersonalDataConsents: 0,
          MspaCoveredTransaction: 2,
          MspaOptOutOptionMode: 0,
          MspaServiceProviderMode: 0,
          GpcSegmentType: 1,
          Gpc: setup.gpc ?? false,
        });
        // Exactly the intended fields: every field the IAB library knows, no more, no less.
        expect(decoded.getSection(section)).toEqual(expected);
        // Byte-for-byte what the IAB library itself encodes for those fields.
        expect(p['gppString']).toBe(libraryEncoding(section, expected));
        expect(formatUspString(store)).toBe(setup.usp);
      });
    }
  }

  test('MSPA fields come from configuration', () => {
    for (const [mspa, [c, o, sp]] of MSPA_CASES) {
      for (const section of SECTIONS) {
        const s = new GppModel(
          encodeGppString(section, buildGppSection(section, { optedOut: false, gpc: false, mspa })),
        ).getSection(section) as Record<string, number>;
        expect([s['MspaCoveredTransaction'], s['MspaOptOutOptionMode'], s['MspaServiceProviderMode']]).toEqual([
          c,
          o,
          sp,
        ]);
      }
    }
  });
});

describe('GPP CMP API', () => {
  const shape = (x: unknown): unknown =>
    x === null
      ? 'null'
      : Array.isArray(x)
        ? 'array'
        : typeof x === 'object'
          ? Object.fromEntries(
              Object.keys(x as object)
                .sort()
                .map((k) => [k, shape((x as Record<string, unknown>)[k])]),
            )
          : typeof x;

  test('ping has the shape of the IAB library’s ping', () => {
    const ref = new CmpApi(1, 1);
    ref.setFieldValue('usnat', 'SaleOptOut', 1);
    ref.setApplicableSections([7]);
    const theirs = ping();
    delete (window as { __gpp?: unknown }).__gpp;
    keep(installGpp(createConsentStore({ regime: 'opt-out' }), { cmpId: 1 }));
    const ours = ping();
    const { parsedSections: _a, ...theirShape } = shape(theirs) as Record<string, unknown>;
    const { parsedSections: _b, ...ourShape } = shape(ours) as Record<string, unknown>;
    expect(ourShape).toEqual(theirShape);
    expect(ours).toMatchObject({
      gppVersion: '1.1',
      cmpStatus: 'loaded',
      signalStatus: 'ready',
      cmpId: 1,
      sectionList: [7],
      applicableSections: [7],
    });
    // parsedSections follows the CMP API spec: one object per sub-section, in order.
    expect(Object.keys(ours['parsedSections'] as object)).toEqual(['usnat']);
  });

  test('without an IAB-assigned id the loaded CMP says cmpId 1, as the CMP API asks of unregistered string creators', () => {
    keep(installGpp(createConsentStore({ regime: 'opt-out' })));
    expect(ping()['cmpId']).toBe(1);
  });

  test('applicableSections is [-1] when the US section does not apply', () => {
    keep(installGpp(createConsentStore(), { applies: () => false }));
    expect(ping()['applicableSections']).toEqual([-1]);
  });

  test('hasSection, getSection, getField answer for our section only', () => {
    keep(installGpp(createConsentStore({ regime: 'opt-out' }), { section: 'usca' }));
    const gpp = (window as unknown as { __gpp(...a: unknown[]): void }).__gpp;
    const got: unknown[] = [];
    const cb = (d: unknown, ok: boolean) => got.push([d, ok]);
    gpp('hasSection', cb, 'usca');
    gpp('hasSection', cb, 'usnat');
    gpp('getField', cb, 'usca.SaleOptOut');
    gpp('getField', cb, 'usca.Gpc');
    gpp('getField', cb, 'usca.constructor');
    gpp('getField', cb, 'usnat.SaleOptOut');
    gpp('getSection', cb, 'usnat');
    expect(got).toEqual([
      [true, true],
      [false, true],
      [2, true],
      [false, true],
      [null, true],
      [null, true],
      [null, true],
    ]);
    gpp('getSection', (d: unknown) => expect((d as Array<Record<string, unknown>>)[0]!['SaleOptOut']).toBe(2), 'usca');
  });

  test('getField answers only "<section>.<field>" (CMP API 1.1), whatever a frame posts as the name', () => {
    keep(installGpp(createConsentStore({ regime: 'opt-out' })));
    const gpp = (window as unknown as { __gpp(...a: unknown[]): void }).__gpp;
    const got: unknown[] = [];
    const cb = (d: unknown) => got.push(d);
    gpp('getField', cb, 'usnat.SaleOptOut');
    gpp('getField', cb, 'usnat.SaleOptOut.Version');
    gpp('getField', cb, 'usnat.SaleOptOut.');
    gpp('getField', cb, `usnat.SaleOptOut${'.'.repeat(1_000_000)}`);
    expect(got).toEqual([2, null, null, null]);
  });

  test('events fire on every change; removeEventListener stops them', () => {
    const store = createConsentStore({ regime: 'opt-out' });
    keep(installGpp(store));
    const gpp = (window as unknown as { __gpp(...a: unknown[]): void }).__gpp;
    const events: string[] = [];
    let id = 0;
    gpp(
      'addEventListener',
      (e: { eventName: string; listenerId: number; data: unknown; pingData: { gppString: string } }, ok: boolean) => {
        expect(ok).toBe(true);
        id = e.listenerId;
        events.push(
          `${e.eventName}:${String(e.data)}:${(new GppModel(e.pingData.gppString).getSection('usnat') as Record<string, unknown>)['SaleOptOut']}`,
        );
      },
    );
    store.optOut();
    store.reset();
    let removed: unknown;
    gpp('removeEventListener', (d: unknown) => (removed = d), id);
    store.optOut();
    expect(removed).toBe(true);
    expect(events).toEqual([
      'listenerRegistered:true:2',
      'signalStatus:not ready:1',
      'cmpDisplayStatus:hidden:1',
      'sectionChange:usnat:1',
      'signalStatus:ready:1',
      'signalStatus:not ready:2',
      'cmpDisplayStatus:visible:2',
      'sectionChange:usnat:2',
      'signalStatus:ready:2',
    ]);
  });

  test('a change is told as the CMP API orders it: signalStatus "not ready", sectionChange, then signalStatus "ready"', () => {
    const store = createConsentStore({ regime: 'opt-out' });
    keep(installGpp(store));
    const gpp = (window as unknown as { __gpp(...a: unknown[]): void }).__gpp;
    type Ev = { eventName: string; data: unknown; pingData: { signalStatus: string; gppString: string } };
    const heard: string[] = [];
    let asked = '';
    gpp('addEventListener', (e: Ev) => {
      heard.push(`${e.eventName} ${String(e.data)} (${e.pingData.signalStatus})`);
      // A ping made while the chain runs says what the events say.
      if (e.eventName === 'sectionChange') gpp('ping', (p: { signalStatus: string }) => (asked = p.signalStatus));
    });
    store.optOut();
    // "Whenever the CMP starts to change [...] any of the existing sections [...] it must always
    // first set signalStatus to 'not ready' and fire the corresponding event" (CMP API 1.1).
    expect(heard).toEqual([
      'listenerRegistered true (ready)',
      'signalStatus not ready (not ready)',
      // The banner went in the click that decided: told inside the chain, before the change to the section.
      'cmpDisplayStatus hidden (not ready)',
      'sectionChange usnat (not ready)',
      'signalStatus ready (ready)',
    ]);
    expect(asked).toBe('not ready');
    expect((ping() as { signalStatus: string }).signalStatus).toBe('ready');
  });

  test('the display status follows the banner (shown while there is no decision); its change is a cmpDisplayStatus event, as the IAB library sends it', () => {
    type Ev = { eventName: string; listenerId: number; data: unknown; pingData: Record<string, unknown> };
    const gpp = () => (window as unknown as { __gpp(...a: unknown[]): void }).__gpp;
    // The oracle: the IAB library's event when its CMP hides its consent layer.
    const ref = new CmpApi(1, 1);
    ref.setCmpDisplayStatus(CmpDisplayStatus.VISIBLE);
    let theirs: Ev | undefined;
    gpp()('addEventListener', (e: Ev) => {
      if (e.eventName === 'cmpDisplayStatus') theirs = e;
    });
    ref.setCmpDisplayStatus(CmpDisplayStatus.HIDDEN);
    delete (window as { __gpp?: unknown }).__gpp;
    expect(theirs).toMatchObject({
      eventName: 'cmpDisplayStatus',
      data: 'hidden',
      pingData: { cmpDisplayStatus: 'hidden' },
    });

    for (const regime of ['opt-in', 'opt-out'] as const) {
      const store = createConsentStore({ regime });
      const uninstall = installGpp(store);
      expect(ping()['cmpDisplayStatus']).toBe('visible');
      const heard: string[] = [];
      let ours: Ev | undefined;
      gpp()('addEventListener', (e: Ev) => {
        heard.push(`${e.eventName} ${String(e.data)} (${String(e.pingData['cmpDisplayStatus'])})`);
        if (e.eventName === 'cmpDisplayStatus' && !ours) ours = e;
      });
      store.acceptAll();
      store.rejectAll();
      store.reset();
      // The banner goes with the first decision and comes back when it is reset (the signal's
      // chain around it is told in the tests below).
      expect(heard.filter((e) => e.startsWith('cmpDisplayStatus'))).toEqual([
        'cmpDisplayStatus hidden (hidden)',
        'cmpDisplayStatus visible (visible)',
      ]);
      expect(heard[0]).toBe('listenerRegistered true (visible)');
      expect(ping()['cmpDisplayStatus']).toBe('visible');
      expect({ eventName: ours?.eventName, data: ours?.data, shown: ours?.pingData['cmpDisplayStatus'] }).toEqual({
        eventName: theirs?.eventName,
        data: theirs?.data,
        shown: theirs?.pingData['cmpDisplayStatus'],
      });
      uninstall();
    }
  });

  test('a site without a consent banner (banner: false) reports the display status "disabled" and never changes it', () => {
    const store = createConsentStore();
    keep(installGpp(store, { banner: false }));
    expect(ping()['cmpDisplayStatus']).toBe('disabled');
    const heard: string[] = [];
    (window as unknown as { __gpp(...a: unknown[]): void }).__gpp(
      'addEventListener',
      (e: { eventName: string; data: unknown }) => heard.push(`${e.eventName} ${String(e.data)}`),
    );
    store.acceptAll();
    store.reset();
    expect(heard.filter((e) => e.startsWith('cmpDisplayStatus'))).toEqual([]);
    expect(ping()['cmpDisplayStatus']).toBe('disabled');
  });

  test("a stub's listeners, told the layer was hidden, hear that it shows once the CMP is loaded", () => {
    const heard: string[] = [];
    const events = [
      { id: 1, callback: (e: { eventName: string; data: unknown }) => heard.push(`${e.eventName} ${String(e.data)}`) },
    ];
    const stub = Object.assign((cmd?: string) => (cmd === 'events' ? events : []), { queue: [], events });
    (window as unknown as { __gpp: unknown }).__gpp = stub;
    keep(installGpp(createConsentStore({ regime: 'opt-out' })));
    expect(heard).toEqual(['cmpStatus loaded', 'cmpDisplayStatus visible', 'signalStatus ready']);
  });

  test('signalStatus is the first and the last event of every chain, the display status change included (CMP API 1.1)', () => {
    // "The signalStatus event shall always be the first (if applicable) and last in a chain of
    // events being fired by the CMP" (CMP API 1.1, addEventListener; its event order examples 1
    // and 2 tell cmpDisplayStatus inside the chain).
    const heard: string[] = [];
    const listener = (e: { eventName: string; data: unknown }) => heard.push(`${e.eventName} ${String(e.data)}`);
    const stub = Object.assign((cmd?: string) => (cmd === 'events' ? [{ id: 1, callback: listener }] : []), {});
    (window as unknown as { __gpp: unknown }).__gpp = stub;
    const store = createConsentStore({ regime: 'opt-out' });
    keep(installGpp(store));
    // Taken over from a stub, which said "not ready": the CMP has loaded, the layer shows, then
    // the signal is ready.
    expect(heard).toEqual(['cmpStatus loaded', 'cmpDisplayStatus visible', 'signalStatus ready']);
    heard.length = 0;
    store.optOut();
    store.reset();
    expect(heard).toEqual([
      'signalStatus not ready',
      'cmpDisplayStatus hidden',
      'sectionChange usnat',
      'signalStatus ready',
      'signalStatus not ready',
      'cmpDisplayStatus visible',
      'sectionChange usnat',
      'signalStatus ready',
    ]);
  });

  test('an opt-in visit is "not ready" until the first decision, then ready; an opt-out visit and a site without a banner are ready at once', () => {
    // CMP API 1.1: "The 'ready' status should only be sent when the GPP string contains the
    // section that is currently applicable with the user's current choices reflected"; its event
    // order example 1 (a new visitor) fires "ready" only after the visitor's choice.
    type Ev = { eventName: string; data: unknown; pingData: { signalStatus: string } };
    const gpp = () => (window as unknown as { __gpp(...a: unknown[]): void }).__gpp;
    const store = createConsentStore({ regime: 'opt-in' });
    const uninstall = installGpp(store);
    expect(ping()['signalStatus']).toBe('not ready');
    const heard: string[] = [];
    gpp()('addEventListener', (e: Ev) => heard.push(`${e.eventName} ${String(e.data)} (${e.pingData.signalStatus})`));
    store.rejectAll();
    expect(ping()['signalStatus']).toBe('ready');
    // Decided: a later change is a chain of its own; forgetting the decision asks again.
    store.acceptAll();
    store.reset();
    expect(heard).toEqual([
      'listenerRegistered true (not ready)',
      'cmpDisplayStatus hidden (not ready)',
      'sectionChange usnat (not ready)',
      'signalStatus ready (ready)',
      'signalStatus not ready (not ready)',
      'sectionChange usnat (not ready)',
      'signalStatus ready (ready)',
      'signalStatus not ready (not ready)',
      'cmpDisplayStatus visible (not ready)',
      'sectionChange usnat (not ready)',
    ]);
    expect(ping()['signalStatus']).toBe('not ready');
    uninstall();
    for (const [regime, banner] of [
      ['opt-out', true],
      ['opt-in', false],
    ] as const) {
      keep(installGpp(createConsentStore({ regime }), { banner }));
      expect({ regime, banner, signalStatus: ping()['signalStatus'] }).toEqual({
        regime,
        banner,
        signalStatus: 'ready',
      });
    }
  });

  test('on an opt-in visit a stub\'s listeners hear that the layer shows, and "ready" only with the visitor\'s decision', () => {
    const heard: string[] = [];
    const events = [
      { id: 1, callback: (e: { eventName: string; data: unknown }) => heard.push(`${e.eventName} ${String(e.data)}`) },
    ];
    const stub = Object.assign((cmd?: string) => (cmd === 'events' ? events : []), { queue: [], events });
    (window as unknown as { __gpp: unknown }).__gpp = stub;
    const store = createConsentStore({ regime: 'opt-in' });
    keep(installGpp(store));
    expect(heard).toEqual(['cmpStatus loaded', 'cmpDisplayStatus visible']);
    store.acceptAll();
    expect(heard).toEqual([
      'cmpStatus loaded',
      'cmpDisplayStatus visible',
      'cmpDisplayStatus hidden',
      'sectionChange usnat',
      'signalStatus ready',
    ]);
  });

  /** Registers a listener on `__gpp`; returns what it hears: each event with the ping it carried. */
  const listen = () => {
    const heard: string[] = [];
    (window as unknown as { __gpp(...a: unknown[]): void }).__gpp(
      'addEventListener',
      (e: { eventName: string; data: unknown; pingData: { signalStatus: string; cmpDisplayStatus: string } }) =>
        e.eventName !== 'listenerRegistered' &&
        heard.push(`${e.eventName} ${String(e.data)} (${e.pingData.signalStatus}, ${e.pingData.cmpDisplayStatus})`),
    );
    return heard;
  };
  // Saving in the reopened dialog (CMP API 1.1, event order example 2).
  const SAVED_IN_DIALOG = [
    'signalStatus not ready (not ready, hidden)',
    'cmpDisplayStatus visible (not ready, visible)',
    'sectionChange usnat (not ready, visible)',
    'cmpDisplayStatus hidden (not ready, hidden)',
    'signalStatus ready (ready, hidden)',
  ];

  describe('a change GPP hears a task later (the script tag tells it after the click)', () => {
    /** The store as the script tag gives it to GPP: its listeners hear each change when `run` is called. */
    const later = (regime: 'opt-in' | 'opt-out') => {
      const store = createConsentStore({ regime });
      const tasks: Array<() => void> = [];
      return {
        store,
        view: deferListeners(store, (task) => tasks.push(task)),
        run: () => tasks.splice(0).forEach((t) => t()),
      };
    };
    const saleOptOut = (p: Record<string, unknown>) =>
      new GppModel(String(p['gppString'])).getFieldValue('usnat', 'SaleOptOut');

    test('a ping before GPP has told it says "not ready" with the current string, as @iabgpp/cmpapi does mid-change; "ready" once told', () => {
      // The oracle: the IAB library's CMP in the middle of changing its section.
      const ref = new CmpApi(1, 1);
      ref.setFieldValue('usnat', 'SaleOptOut', 2);
      ref.setSignalStatus(SignalStatus.READY);
      ref.setSignalStatus(SignalStatus.NOT_READY);
      ref.setFieldValue('usnat', 'SaleOptOut', 1);
      const theirs = ping();
      delete (window as { __gpp?: unknown }).__gpp;

      const { store, view, run } = later('opt-out');
      store.acceptAll();
      keep(installGpp(view));
      expect(ping()).toMatchObject({ signalStatus: 'ready' });
      const heard = listen();
      store.optOut();
      const ours = ping();
      expect([ours['signalStatus'], saleOptOut(ours)]).toEqual([theirs['signalStatus'], saleOptOut(theirs)]);
      expect(heard).toEqual([]);
      run();
      expect(ping()).toMatchObject({ signalStatus: 'ready' });
      expect(heard).toEqual([
        'signalStatus not ready (not ready, hidden)',
        'sectionChange usnat (not ready, hidden)',
        'signalStatus ready (ready, hidden)',
      ]);
    });

    test('two changes before GPP hears them: one chain, "ready" only once the last is told', () => {
      const { store, view, run } = later('opt-out');
      store.acceptAll();
      keep(installGpp(view));
      const heard = listen();
      store.optOut();
      store.acceptAll();
      run();
      expect(heard).toEqual([
        'signalStatus not ready (not ready, hidden)',
        'sectionChange usnat (not ready, hidden)',
        'sectionChange usnat (not ready, hidden)',
        'signalStatus ready (ready, hidden)',
      ]);
      expect(saleOptOut(ping())).toBe(2);
    });

    test('the dialog saved and closed before GPP hears the change: a ping meanwhile is "not ready" and "hidden"; then the change, "hidden", "ready"', () => {
      const { store, view, run } = later('opt-out');
      store.acceptAll();
      let watcher = (_open: boolean) => {};
      const watch = (listener: (open: boolean) => void) => {
        watcher = listener;
        listener(false);
        return () => {};
      };
      keep(installGpp(view, { preferences: watch }));
      const heard = listen();
      watcher(true);
      expect(ping()).toMatchObject({ cmpDisplayStatus: 'visible', signalStatus: 'not ready' });
      store.optOut();
      watcher(false);
      expect(ping()).toMatchObject({ cmpDisplayStatus: 'hidden', signalStatus: 'not ready' });
      run();
      expect(heard).toEqual(SAVED_IN_DIALOG);
    });
  });

  describe('the preferences dialog (the `preferences` option)', () => {
    /** A stand-in for mountConsentUi's watchPreferences: `set` opens or closes the dialog. */
    const dialog = (initially = false) => {
      let open = initially;
      const listeners = new Set<(open: boolean) => void>();
      return {
        watch: (listener: (open: boolean) => void) => {
          listeners.add(listener);
          listener(open);
          return () => listeners.delete(listener);
        },
        set(now: boolean) {
          open = now;
          for (const l of listeners) l(now);
        },
        get listening() {
          return listeners.size;
        },
      };
    };

    test('a decided visitor reopening it: "not ready", then "visible"; saving: the change, "hidden", then "ready" (CMP API 1.1, event order example 2)', () => {
      const store = createConsentStore({ regime: 'opt-out' });
      store.acceptAll();
      const d = dialog();
      keep(installGpp(store, { preferences: d.watch }));
      expect(ping()).toMatchObject({ cmpDisplayStatus: 'hidden', signalStatus: 'ready' });
      const heard = listen();
      d.set(true);
      expect(ping()).toMatchObject({ cmpDisplayStatus: 'visible', signalStatus: 'not ready' });
      // The dialog saves the choice, then closes (mountConsentUi's order).
      store.optOut();
      d.set(false);
      expect(heard).toEqual(SAVED_IN_DIALOG);
      expect(ping()).toMatchObject({ cmpDisplayStatus: 'hidden', signalStatus: 'ready' });
    });

    test('each event of the chain carries the ping of its moment, as @iabgpp/cmpapi sends it for a CMP resurfacing its layer', () => {
      type Ev = { eventName: string; data: unknown; pingData: { signalStatus: string; cmpDisplayStatus: string } };
      const line = (e: Ev) =>
        `${e.eventName} ${String(e.data)} (${e.pingData.signalStatus}, ${e.pingData.cmpDisplayStatus})`;
      // The oracle: the IAB library driven through event order example 2 (layer resurfaced, then closed unchanged).
      const ref = new CmpApi(1, 1);
      ref.setCmpDisplayStatus(CmpDisplayStatus.HIDDEN);
      ref.setSignalStatus(SignalStatus.READY);
      const theirs: string[] = [];
      (window as unknown as { __gpp(...a: unknown[]): void }).__gpp(
        'addEventListener',
        (e: Ev) => e.eventName !== 'listenerRegistered' && theirs.push(line(e)),
      );
      ref.setSignalStatus(SignalStatus.NOT_READY);
      ref.setCmpDisplayStatus(CmpDisplayStatus.VISIBLE);
      ref.setCmpDisplayStatus(CmpDisplayStatus.HIDDEN);
      ref.setSignalStatus(SignalStatus.READY);
      delete (window as { __gpp?: unknown }).__gpp;

      const store = createConsentStore({ regime: 'opt-out' });
      store.acceptAll();
      const d = dialog();
      keep(installGpp(store, { preferences: d.watch }));
      const ours: string[] = [];
      (window as unknown as { __gpp(...a: unknown[]): void }).__gpp(
        'addEventListener',
        (e: Ev) => e.eventName !== 'listenerRegistered' && ours.push(line(e)),
      );
      d.set(true);
      d.set(false);
      expect(ours).toEqual(theirs);
    });

    test('closed without a change: "hidden", then "ready", and no sectionChange; told twice, once', () => {
      const store = createConsentStore({ regime: 'opt-out' });
      store.rejectAll();
      const d = dialog();
      keep(installGpp(store, { preferences: d.watch }));
      const heard = listen();
      d.set(true);
      d.set(true);
      d.set(false);
      d.set(false);
      expect(heard).toEqual([
        'signalStatus not ready (not ready, hidden)',
        'cmpDisplayStatus visible (not ready, visible)',
        'cmpDisplayStatus hidden (not ready, hidden)',
        'signalStatus ready (ready, hidden)',
      ]);
    });

    test('opened from the banner on an opt-out visit: already visible, so only the signal waits; an opt-in visit stays "not ready" when it closes undecided', () => {
      for (const regime of ['opt-out', 'opt-in'] as const) {
        const d = dialog();
        const uninstall = installGpp(createConsentStore({ regime }), { preferences: d.watch });
        const heard = listen();
        d.set(true);
        d.set(false);
        expect({ regime, heard }).toEqual({
          regime,
          heard:
            regime === 'opt-out'
              ? ['signalStatus not ready (not ready, visible)', 'signalStatus ready (ready, visible)']
              : [],
        });
        expect(ping()).toMatchObject({
          cmpDisplayStatus: 'visible',
          signalStatus: regime === 'opt-out' ? 'ready' : 'not ready',
        });
        uninstall();
      }
    });

    test('a dialog already open when the CMP loads is reported at once; a site without a banner reports it too; the cleanup stops listening', () => {
      const store = createConsentStore({ regime: 'opt-out' });
      store.acceptAll();
      const d = dialog(true);
      const uninstall = installGpp(store, { preferences: d.watch, banner: false });
      expect(ping()).toMatchObject({ cmpDisplayStatus: 'visible', signalStatus: 'not ready' });
      d.set(false);
      expect(ping()).toMatchObject({ cmpDisplayStatus: 'disabled', signalStatus: 'ready' });
      expect(d.listening).toBe(1);
      uninstall();
      expect(d.listening).toBe(0);
    });
  });

  test('a listener another one removes while an event is told hears no more of it, as with @iabgpp/cmpapi', () => {
    const store = createConsentStore({ regime: 'opt-out' });
    keep(installGpp(store));
    const gpp = (window as unknown as { __gpp(...a: unknown[]): void }).__gpp;
    const heard: string[] = [];
    let second = 0;
    gpp('addEventListener', (e: { eventName: string; data: unknown }) => {
      if (e.eventName === 'signalStatus') gpp('removeEventListener', () => {}, second);
    });
    gpp('addEventListener', (e: { eventName: string; data: unknown; listenerId: number }) => {
      second = e.listenerId;
      heard.push(`${e.eventName} ${String(e.data)}`);
    });
    store.acceptAll();
    expect(heard).toEqual(['listenerRegistered true']);
  });

  test('a change a listener makes while a chain is told keeps the signal "not ready" until that change is told: "ready" once, last, with the new string', () => {
    const store = createConsentStore({ regime: 'opt-out' });
    keep(installGpp(store));
    const gpp = (window as unknown as { __gpp(...a: unknown[]): void }).__gpp;
    let reacted = false;
    // A site's own listener that answers the first sectionChange with an opt-out.
    gpp('addEventListener', (e: { eventName: string }) => {
      if (e.eventName === 'sectionChange' && !reacted) {
        reacted = true;
        store.optOut();
      }
    });
    const heard: string[] = [];
    gpp('addEventListener', (e: { eventName: string; data: unknown; pingData: { signalStatus: string } }) =>
      heard.push(`${e.eventName} ${String(e.data)} (${e.pingData.signalStatus})`),
    );
    heard.length = 0;
    store.acceptAll();
    expect(heard.at(-1)).toBe('signalStatus ready (ready)');
    // "ready" is told once, last: nothing said after it, and nothing said "ready" before it.
    expect(heard.filter((h) => h.startsWith('signalStatus ready'))).toHaveLength(1);
    expect(heard.slice(0, -1).every((h) => h.endsWith('(not ready)'))).toBe(true);
    expect(heard.filter((h) => h.startsWith('sectionChange'))).toHaveLength(2);
    const last = new GppModel(ping()['gppString'] as string).getSection('usnat') as Record<string, unknown>;
    expect(last['SaleOptOut']).toBe(1);
  });

  test('every listener gets its own copy of the fields: one that changes them changes nothing for another', () => {
    const store = createConsentStore({ regime: 'opt-out' });
    keep(installGpp(store));
    const gpp = (window as unknown as { __gpp(...a: unknown[]): void }).__gpp;
    type Ev = { eventName: string; pingData: { parsedSections: { usnat: Array<Record<string, unknown>> } } };
    const seen: unknown[] = [];
    gpp('addEventListener', (e: Ev) => {
      if (e.eventName === 'listenerRegistered') return;
      e.pingData.parsedSections.usnat[0]!['SaleOptOut'] = 99;
    });
    gpp(
      'addEventListener',
      (e: Ev) => e.eventName !== 'listenerRegistered' && seen.push(e.pingData.parsedSections.usnat[0]!['SaleOptOut']),
    );
    store.optOut();
    // The chain: "not ready", the banner going (cmpDisplayStatus), the change, "ready".
    expect(seen).toEqual([1, 1, 1, 1]);
    gpp('getField', (d: unknown) => expect(d).toBe(1), 'usnat.SaleOptOut');
  });

  test('drains the IAB stub queue in order and adopts its listeners, which hear that the CMP is ready', () => {
    const order: string[] = [];
    const queue = [
      ['ping', () => order.push('ping')],
      ['hasSection', (d: boolean) => order.push(`has:${d}`), 'usnat'],
      ['bogus', (_d: unknown, ok: boolean) => order.push(`bogus:${ok}`)],
      null,
      ['getField', (d: number) => order.push(`field:${d}`), 'usnat.SaleOptOut'],
    ];
    const events = [
      { id: 5, callback: (e: { eventName: string }) => order.push(`stub-listener:${e.eventName}`), parameter: null },
    ];
    // The shape of IAB's stub: __gpp('queue') / __gpp('events') return its arrays.
    const stub = Object.assign((cmd?: string) => (cmd === 'events' ? events : queue), { queue, events });
    (window as unknown as { __gpp: unknown }).__gpp = stub;
    const store = createConsentStore({ regime: 'opt-out' });
    keep(installGpp(store));
    let newId = 0;
    (window as unknown as { __gpp(...a: unknown[]): void }).__gpp(
      'addEventListener',
      (e: { listenerId: number }) => (newId = e.listenerId),
    );
    store.optOut();
    expect(order).toEqual([
      // The stub said it was a stub and the layer hidden: the CMP has loaded ("cmpStatus: Event
      // is called whenever the status of the CMP changes (e.g. the CMP has finished loading)"),
      // with no decision yet the banner shows, then, last, the signal is ready.
      'stub-listener:cmpStatus',
      'stub-listener:cmpDisplayStatus',
      'stub-listener:signalStatus',
      'ping',
      'has:true',
      'bogus:false',
      'field:2',
      'stub-listener:signalStatus',
      'stub-listener:cmpDisplayStatus',
      'stub-listener:sectionChange',
      'stub-listener:signalStatus',
    ]);
    expect(newId).toBeGreaterThan(5);
  });

  test('a stub listener with a non-integer id is not adopted; new listeners get ids of their own', () => {
    const events = [
      { id: Number.POSITIVE_INFINITY, callback: () => {} },
      { id: Number.NaN, callback: () => {} },
    ];
    const stub = Object.assign((cmd?: string) => (cmd === 'events' ? events : []), { queue: [], events });
    (window as unknown as { __gpp: unknown }).__gpp = stub;
    keep(installGpp(createConsentStore()));
    const ids: number[] = [];
    const gpp = (window as unknown as { __gpp(...a: unknown[]): void }).__gpp;
    for (let i = 0; i < 3; i++) gpp('addEventListener', (e: { listenerId: number }) => ids.push(e.listenerId));
    expect(new Set(ids).size).toBe(3);
    expect(ids.every(Number.isSafeInteger)).toBe(true);
  });

  test('a region hint that throws does not break ping: the US section then applies', () => {
    keep(
      installGpp(createConsentStore(), {
        applies: () => {
          throw new Error('hint');
        },
      }),
    );
    expect(ping()['applicableSections']).toEqual([7]);
  });

  test('never throws, whatever it is called with', () => {
    keep(installGpp(createConsentStore()));
    const gpp = (window as unknown as { __gpp(...a: unknown[]): void }).__gpp;
    const junk = [undefined, null, 0, 'constructor', '__proto__', 'toString', {}, [], Symbol.iterator, () => 1];
    for (const a of junk) for (const b of junk) for (const c of junk) expect(() => gpp(a, b, c)).not.toThrow();
    const throwing = () => {
      throw new Error('caller bug');
    };
    expect(() => gpp('ping', throwing)).not.toThrow();
  });
});
