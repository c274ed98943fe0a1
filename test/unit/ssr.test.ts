// Server rendering: in Node (no DOM), importing every subpath and calling every exported function
// with minimal arguments throws nothing and writes no global; what a call returns (a cleanup, a
// destroy, an object of methods) is exercised too. Run against the source entries and against the
// built package (dist/esm), which is what an SSR app imports.
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ConsentStore } from '../../src/core/store';

type Module = Record<string, unknown>;
type AnyFunction = (...args: unknown[]) => unknown;

const SUBPATHS = ['index', 'ui', 'signals', 'dni'] as const;
const TARGET = '+15551234567';
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// The smallest valid arguments of every exported function that needs any; a function exported
// later must be added here (the test says so), so no export goes unchecked.
interface Call {
  args: (ctx: { mod: Module; store: ConsentStore }) => unknown[];
  /** Exercises what the call returned (its methods), where it is not a plain cleanup. */
  use?: (result: unknown) => void;
}

const call = (fn: unknown, ...args: unknown[]) => (fn as AnyFunction)(...args);
const fn = (mod: Module, name: string) => mod[name] as AnyFunction;

const CALLS: Record<string, Call> = {
  // consentline
  createConsentStore: {
    args: () => [],
    use: (store) => exerciseStore(store as ConsentStore),
  },
  readConsentCookie: { args: () => ['__Host-consentline=1~1~abcdefghij~0~1~b~0~analytics:1'] },
  createMemoryStorage: { args: () => [] },
  createCookieStorage: {
    args: () => [],
    // The storage as a store uses it on a server render: read, decide, forget, stop.
    use: (storage) => {
      const s = storage as {
        read(): unknown;
        readCopies?(): unknown;
        write(v: string, e: number): void;
        remove(): void;
        notify?(): void;
        watch?(f: () => void): () => void;
      };
      s.read();
      s.readCopies?.();
      s.write('value', Date.now() + 1000);
      s.notify?.();
      s.watch?.(() => {})();
      s.remove();
    },
  },
  // consentline/ui
  mountConsentUi: {
    args: ({ store }) => [store],
    use: (ui) => {
      const u = ui as (() => void) & { showPreferences(): void; hidePreferences(): void };
      u.showPreferences();
      u.hidePreferences();
      u();
    },
  },
  activateHeldBack: { args: ({ store }) => [store] },
  clearCookies: { args: () => [['_ga*']] },
  // consentline/signals
  readGpc: { args: () => [] },
  resolveRegime: { args: () => [undefined] },
  createConsentModeBridge: { args: ({ store }) => [store] },
  pushConsentDefault: { args: () => [] },
  installGpp: { args: ({ store }) => [store] },
  installUspapi: { args: ({ store }) => [store] },
  createReceiptSender: { args: ({ store }) => [store, { endpoint: 'https://example.com/receipts' }] },
  bindOptOutLinks: { args: ({ store }) => [store] },
  showGpcStatus: { args: ({ store }) => [store] },
  announceConsent: { args: ({ store }) => [store] },
  pickGppSection: { args: () => ['US-VA'] },
  createVendorBridge: { args: ({ store }) => [store, { map: {}, ads: [], send: () => {} }] },
  createUetBridge: { args: ({ store }) => [store] },
  createClarityBridge: { args: ({ store }) => [store] },
  createMetaPixelBridge: { args: ({ store }) => [store] },
  createTikTokPixelBridge: { args: ({ store }) => [store] },
  // consentline/dni
  startNumberInsertion: {
    args: ({ store }) => [store, { targets: [TARGET], rules: [{ number: '+15559876543' }] }],
    use: (insertion) => {
      const i = insertion as (() => void) & { getNumber(): unknown; subscribe(f: () => void): () => void };
      i.getNumber();
      i.subscribe(() => {})();
      i();
    },
  },
  subscribeNumber: {
    args: ({ mod, store }) => [call(mod['startNumberInsertion'], store, { targets: [TARGET] }), () => {}],
  },
  createNumberMatcher: { args: () => [[TARGET]] },
  formatLike: { args: () => ['(555) 123-4567', '+15559876543'] },
  classifySource: { args: () => [undefined] },
  readVisitContext: { args: () => [{ url: 'https://example.com/?utm_source=x' }] },
  createPoolClient: { args: () => [{ url: 'https://example.com/pool/' }, [TARGET]] },
  createPoolSession: {
    args: () => [{ url: 'https://example.com/pool/' }, [TARGET]],
    use: (session) => {
      const s = session as { open(c: () => unknown, f: () => void): void; close(): void };
      s.open(
        () => ({ id: 'x', f: { t: 0, p: '/', q: {} } }),
        () => {},
      );
      s.close();
    },
  },
};

// A store as a server render uses one: read, decide every way, listen, stop.
function exerciseStore(store: ConsentStore): void {
  const off = store.subscribe(() => {});
  store.get();
  store.acceptAll();
  store.set({ analytics: false });
  store.optOut();
  store.rejectAll();
  store.refresh();
  store.reset();
  off();
  store.destroy();
}

const globalsNow = (): string[] => [
  ...Object.getOwnPropertyNames(globalThis),
  ...Object.getOwnPropertySymbols(globalThis).map(String),
];

interface Outcome {
  name: string;
  error?: string;
}

async function runAll(
  load: (subpath: string) => Promise<Module>,
): Promise<{ outcomes: Outcome[]; before: string[]; after: string[] }> {
  if (typeof document !== 'undefined') throw new Error('this test must run without a DOM');
  const before = globalsNow().sort();
  const modules: Module[] = [];
  for (const subpath of SUBPATHS) modules.push(await load(subpath));
  const all: Module = Object.assign({}, ...modules);
  const store = call(all['createConsentStore'], { storage: call(all['createCookieStorage']) }) as ConsentStore;
  const outcomes: Outcome[] = [];
  for (const mod of modules) {
    for (const [name, value] of Object.entries(mod)) {
      if (typeof value !== 'function') continue;
      const spec = CALLS[name];
      if (!spec) {
        outcomes.push({ name, error: 'not in CALLS: add its minimal arguments to test/unit/ssr.test.ts' });
        continue;
      }
      try {
        const result = fn(mod, name)(...spec.args({ mod: all, store }));
        if (spec.use) spec.use(result);
        else if (typeof result === 'function') (result as AnyFunction)();
        await wait(5);
        outcomes.push({ name });
      } catch (error) {
        outcomes.push({ name, error: `${(error as Error).name}: ${(error as Error).message}` });
      }
    }
  }
  exerciseStore(store);
  // Timers a call may have left (a deferred write would show up now).
  await wait(300);
  return { outcomes, before, after: globalsNow().sort() };
}

describe('every export in Node without a DOM', () => {
  it('source entries: every function runs, throws nothing and writes no global', async () => {
    const { outcomes, before, after } = await runAll(
      (subpath) => import(`../../src/entries/${subpath}.ts`) as Promise<Module>,
    );
    expect(outcomes.filter((o) => o.error)).toEqual([]);
    expect(outcomes.map((o) => o.name).sort()).toEqual(Object.keys(CALLS).sort());
    expect(after).toEqual(before);
  }, 30_000);

  it('built package (dist/esm): the same', async () => {
    if (!existsSync('dist/esm/index.js')) throw new Error('dist/esm is missing: run `npm run build` first');
    const { outcomes, before, after } = await runAll(
      (subpath) => import(pathToFileURL(`dist/esm/${subpath}.js`).href) as Promise<Module>,
    );
    expect(outcomes.filter((o) => o.error)).toEqual([]);
    expect(outcomes.map((o) => o.name).sort()).toEqual(Object.keys(CALLS).sort());
    expect(after).toEqual(before);
  }, 30_000);

  it('no dataLayer, __gpp, __uspapi or Consentline appears on the server', () => {
    for (const name of ['dataLayer', '__gpp', '__uspapi', '__gppLocator', 'Consentline'])
      expect(name in globalThis).toBe(false);
  });
});
