// GPP in happy-dom for the unit tests: `window.__gpp` installed on a store in a given consent
// state, removed after each test, and asked as a page's tags ask it.
import { GppModel } from '@iabgpp/cmpapi';
import { afterEach, beforeEach } from 'vitest';
import { createConsentStore, type ConsentStore } from '../../src/core/store';
import { installGpp, type GppOptions } from '../../src/signals/gpp';

/** A consent state to encode, and the opt-out value (1 opted out, 2 not) the US sections must carry for it. */
export interface GppState {
  regime?: 'opt-in' | 'opt-out';
  gpc?: boolean;
  act?: (store: ConsentStore) => void;
  out: 1 | 2;
}

type GppWindow = { __gpp(command: string, callback: (data: unknown) => void, parameter?: unknown): void };

/**
 * Registers the hooks a GPP test file needs and returns `keep(uninstall)`, which removes what a
 * test installed once the test is over.
 */
export function useGppWindow(): (uninstall: () => void) => void {
  const uninstall: Array<() => void> = [];
  beforeEach(() => {
    // happy-dom cannot load frames; the __gppLocator frame is covered by the browser tests.
    document.body?.remove();
  });
  afterEach(() => {
    while (uninstall.length) uninstall.pop()!();
    delete (window as { __gpp?: unknown }).__gpp;
  });
  return (fn) => {
    uninstall.push(fn);
  };
}

/** What `__gpp(command, callback, parameter)` passes its callback. */
export function callGpp<T>(command: string, parameter?: unknown): T {
  let out: unknown;
  const callback = (data: unknown) => {
    out = data;
  };
  const page = window as unknown as GppWindow;
  // Called with as many arguments as a tag passes: no parameter means none, not `undefined`.
  if (parameter === undefined) page.__gpp(command, callback);
  else page.__gpp(command, callback, parameter);
  return out as T;
}

export const ping = (): Record<string, unknown> => callGpp<Record<string, unknown>>('ping') ?? {};

/** Installs `__gpp` on a store brought into `state`: the store, and what `__gpp('ping')` answers. */
export function pingInState(
  state: GppState,
  options: GppOptions,
  keep: (uninstall: () => void) => void,
): { store: ConsentStore; ping: Record<string, unknown> } {
  const store = createConsentStore({ regime: state.regime ?? 'opt-in', gpc: state.gpc ?? false });
  state.act?.(store);
  keep(installGpp(store, options));
  return { store, ping: ping() };
}

/** What the IAB library itself encodes for `fields` of `section` (with the GPC segment when Gpc is among them). */
export function libraryEncoding(section: string, fields: Record<string, unknown>): string {
  const ref = new GppModel();
  for (const [k, v] of Object.entries(fields))
    if (k !== 'Version' && k !== 'GpcSegmentType') ref.setFieldValue(section, k, v);
  if ('Gpc' in fields) ref.setFieldValue(section, 'GpcSegmentIncluded', true);
  return ref.encode();
}

/** MSPA configurations and the [covered transaction, opt-out option mode, service provider mode] each must encode. */
export const MSPA_CASES = [
  [{ covered: true, optOutMode: true }, [1, 1, 2]],
  [{ covered: true, serviceProviderMode: true }, [1, 2, 1]],
  [{ covered: false, optOutMode: true }, [2, 0, 0]],
] as const;
