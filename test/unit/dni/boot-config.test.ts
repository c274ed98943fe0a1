// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';
import { createConsentStore } from '../../../src/core/store';
import { MAX_TARGETS, MAX_VANITY, startDni } from '../../../src/entries/boot/dni';
import type { BootContext } from '../../../src/entries/boot/context';
import type { ConsentStore } from '../../../src/core/store';
import type { Warn } from '../../../src/core/validate';

/** The script tag's boot context for call tracking: `dni` as configured, its warnings told to `warn`. */
const dniContext = (store: ConsentStore, dni: Record<string, unknown>, warn: Warn = () => {}): BootContext => ({
  config: { dni },
  store,
  later: store,
  defer: (task: () => void) => task(),
  api: {},
  warn,
  early: { gpc: false },
  ui: {},
  onError: (error: unknown) => {
    throw error;
  },
});

/** A page showing one number, whose call-tracking rule asks a pool; call tracking started on it. */
const startPoolPage = (warn: (message: string) => void) => {
  document.body.textContent = 'Call (555) 123-4567';
  const store = createConsentStore();
  const dni = {
    targets: ['+15551234567'],
    rules: [{ direct: true, pool: true, number: '+18889990000' }],
    pool: { url: '/pool/' },
  };
  const stop = startDni(dniContext(store, dni, warn));
  return { store, stop };
};

describe('script-tag DNI config', () => {
  it('refuses "necessary" as the DNI category: nothing is stored or swapped before consent', async () => {
    document.body.textContent = 'Call (555) 123-4567';
    const warnings: string[] = [];
    const store = createConsentStore();
    const api: Record<string, unknown> = {};
    const dni = {
      category: 'necessary',
      targets: [{ number: '+15551234567' }],
      rules: [{ direct: true, number: '+18889990000' }],
    };
    const stop = startDni({ ...dniContext(store, dni, (m) => warnings.push(m)), api });
    expect(warnings.join('\n')).toMatch(/dni\.category/);
    expect(document.body.textContent).toBe('Call (555) 123-4567');
    expect(localStorage.length).toBe(0);
    store.acceptAll();
    await vi.waitFor(() => expect(document.body.textContent).toBe('Call (888) 999-0000'));
    stop();
  });

  it('warns about a DNI category the site does not have, naming it: call tracking waits for a grant that never comes', () => {
    document.body.textContent = 'Call (555) 123-4567';
    const warnings: string[] = [];
    const store = createConsentStore({ categories: [{ id: 'calls' }] });
    const start = (category: string) =>
      startDni(
        dniContext(
          store,
          { category, targets: ['+15551234567'], rules: [{ direct: true, number: '+18889990000' }] },
          (m) => warnings.push(m),
        ),
      );
    start('calls')();
    expect(warnings).toEqual([]);
    const stop = start('analytcs');
    expect(warnings).toEqual(['dni.category: unknown category "analytcs", call tracking stays off']);
    store.acceptAll();
    expect(document.body.textContent).toBe('Call (555) 123-4567');
    stop();
    localStorage.clear();
  });

  it("a pool needs the dist/dni-pool.js add-on: without it a warning and the rule's number; with it the pool is asked", async () => {
    const run = () => {
      const warnings: string[] = [];
      const { store, stop } = startPoolPage((m) => warnings.push(m));
      store.acceptAll();
      return { warnings, stop };
    };
    const fetch = vi.fn(
      async (_url: string, _init?: RequestInit) =>
        new Response(JSON.stringify({ numbers: { '+15551234567': '+18885550101' }, lease: 'L1', ttl: 60 })),
    );
    vi.stubGlobal('fetch', fetch);
    try {
      const without = run();
      // The loader, which fetched the pool client, says why it is missing (addon-loading.spec.ts).
      expect(without.warnings).toEqual([]);
      await vi.waitFor(() => expect(document.body.textContent).toBe('Call (888) 999-0000'));
      expect(fetch).not.toHaveBeenCalled();
      without.stop();

      await import('../../../src/entries/dni-pool');
      const withAddon = run();
      expect(withAddon.warnings).toEqual([]);
      await vi.waitFor(() => expect(document.body.textContent).toBe('Call (888) 555-0101'));
      expect(fetch.mock.calls[0]![0]).toBe('/pool/assign');
      withAddon.stop();
    } finally {
      vi.unstubAllGlobals();
      localStorage.clear();
    }
  });
});

describe('the pool client of another release', () => {
  it('is not used, under the bare name or its own release key: the numbers come from the rules', async () => {
    const stale = vi.fn();
    const addons = ((window as unknown as Record<symbol, Record<string, unknown>>)[Symbol.for('consentline.addons')] ??=
      Object.create(null) as Record<string, unknown>);
    addons['dni-pool'] = stale;
    addons['dni-pool@0.0.9'] = stale;
    const { store, stop } = startPoolPage(() => {});
    try {
      store.acceptAll();
      await vi.waitFor(() => expect(document.body.textContent).toBe('Call (888) 999-0000'));
      expect(stale).not.toHaveBeenCalled();
    } finally {
      stop();
      delete addons['dni-pool'];
      delete addons['dni-pool@0.0.9'];
      localStorage.clear();
    }
  });
});

describe('script-tag DNI config past its limits keeps what fits and says so', () => {
  const e164 = (i: number) => `+1555${String(1000000 + i).padStart(7, '0')}`;
  const boot = (dni: Record<string, unknown>, store = createConsentStore()) => {
    const warnings: string[] = [];
    const stop = startDni(dniContext(store, dni, (m) => warnings.push(m)));
    return { warnings, stop };
  };

  it(`${MAX_TARGETS} targets and a rule map of ${MAX_TARGETS} entries: no warning, every one swapped`, async () => {
    const targets = Array.from({ length: MAX_TARGETS }, (_, i) => e164(i));
    const number = Object.fromEntries(targets.map((t, i) => [t, `+1888${String(1000000 + i).padStart(7, '0')}`]));
    document.body.innerHTML = `<p id="a">555-100-0000</p><p id="b">555-100-0249</p><p id="c">555-100-0499</p>`;
    const store = createConsentStore();
    const { warnings, stop } = boot({ targets, rules: [{ direct: true, number }] }, store);
    expect(warnings).toEqual([]);
    store.acceptAll();
    await vi.waitFor(() =>
      expect(['a', 'b', 'c'].map((id) => document.getElementById(id)!.textContent)).toEqual([
        '888-100-0000',
        '888-100-0249',
        '888-100-0499',
      ]),
    );
    stop();
    localStorage.clear();
  });

  it('more targets, map entries, rules, vanity texts, click ids than allowed: the first ones kept, one warning each naming the count', () => {
    const targets = [
      ...Array.from({ length: 30 }, (_, i) => ({
        number: e164(i),
        text: ['1-800-A', '1-800-B', '1-800-C', '1-800-D'],
      })),
      ...Array.from({ length: 582 }, (_, i) => e164(30 + i)),
    ];
    const map = Object.fromEntries(Array.from({ length: 612 }, (_, i) => [e164(i), '+18889990000']));
    const rules = [{ direct: true, number: map }, ...Array.from({ length: 59 }, () => ({ direct: true }))];
    const { warnings, stop } = boot({ targets, rules, clickIds: Array.from({ length: 25 }, (_, i) => `id${i}`) });
    stop();
    expect(warnings).toEqual([
      `dni.targets: 612 given, the first ${MAX_TARGETS} kept`,
      `dni.targets: 120 vanity texts given, the first ${MAX_VANITY} kept`,
      `dni.rules: 60 given, the first 50 kept`,
      `dni.rules[0].number: 612 given, the first ${MAX_TARGETS} kept`,
      `dni.clickIds: 25 given, the first 20 kept`,
    ]);
  });

  it('a vanity list past its 5 texts keeps the first 5', () => {
    const { warnings, stop } = boot({ targets: [{ number: e164(0), text: ['A1', 'A2', 'A3', 'A4', 'A5', 'A6'] }] });
    stop();
    expect(warnings).toEqual(['dni.targets[0].text: 6 given, the first 5 kept']);
  });

  // What a page showing (555) 123-4567 shows once accepted, with `rule` first and a direct rule for (777) 000-1111 after it.
  const run = async (rule: Record<string, unknown>) => {
    document.body.textContent = 'Call (555) 123-4567';
    const warnings: string[] = [];
    const store = createConsentStore();
    const dni = { targets: ['+15551234567'], rules: [rule, { direct: true, number: '+17770001111' }] };
    const stop = startDni(
      dniContext(store, dni, (m) => warnings.push(m)),
      'https://shop.example/',
    );
    store.acceptAll();
    // The context is stored before the numbers are chosen; the page is swapped in a task after.
    await vi.waitFor(() => expect(localStorage.length).toBe(1));
    await new Promise((r) => setTimeout(r, 10));
    const shown = document.body.textContent;
    stop();
    localStorage.clear();
    return { shown, warnings: warnings.join('\n') };
  };

  it('a rule with a condition refused (wrong type, too long, empty) or unknown (a typo) is dropped whole, never widened to every visit', async () => {
    for (const [key, value] of [
      ['utm_campaign', 2024],
      ['utm_source', 'x'.repeat(101)],
      ['path', ''],
      ['direct', 'yes'],
      ['utm_souce', 'google'],
    ] as const) {
      const { shown, warnings } = await run({ [key]: value, number: '+18889990000' });
      expect(shown, key).toBe('Call (777) 000-1111');
      expect(warnings, key).toContain(`dni.rules[0].${key}`);
      expect(warnings, key).toMatch(/dni\.rules\[0\]: .*ignored/);
    }
  });

  it('a rule whose number is refused (not E.164, or a map with an entry that is not) is dropped whole: the next rule applies', async () => {
    for (const number of [
      'call us',
      { '+15551234567': 'call us' },
      { '+15551234567': '+18889990000', x: '+18889990001' },
    ]) {
      const { shown, warnings } = await run({ direct: true, pool: true, number });
      expect(shown, JSON.stringify(number)).toBe('Call (777) 000-1111');
      expect(warnings).toMatch(/dni\.rules\[0\]: number refused, the rule is ignored/);
    }
    // Control: a valid map applies.
    expect((await run({ direct: true, number: { '+15551234567': '+18889990000' } })).shown).toBe('Call (888) 999-0000');
  });
});
