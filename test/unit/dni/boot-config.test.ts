// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';
import { createConsentStore } from '../../../src/core/store';
import { startDni } from '../../../src/entries/boot/dni';

describe('script-tag DNI config', () => {
  it('refuses "necessary" as the DNI category: nothing is stored or swapped before consent', async () => {
    document.body.textContent = 'Call (555) 123-4567';
    const warnings: string[] = [];
    const store = createConsentStore();
    const api: Record<string, unknown> = {};
    const stop = startDni({
      config: { dni: { category: 'necessary', targets: [{ number: '+15551234567' }], rules: [{ direct: true, number: '+18889990000' }] } },
      store,
      api,
      warn: (m) => warnings.push(m),
      early: { gpc: false },
    });
    expect(warnings.join('\n')).toMatch(/dni\.category/);
    expect(document.body.textContent).toBe('Call (555) 123-4567');
    expect(localStorage.length).toBe(0);
    store.acceptAll();
    await vi.waitFor(() => expect(document.body.textContent).toBe('Call (888) 999-0000'));
    stop();
  });

  it('a pool needs the dist/dni-pool.js add-on: without it a warning and the rule\'s number; with it the pool is asked', async () => {
    const run = () => {
      document.body.textContent = 'Call (555) 123-4567';
      const warnings: string[] = [];
      const store = createConsentStore();
      const stop = startDni({
        config: { dni: { targets: ['+15551234567'], rules: [{ direct: true, pool: true, number: '+18889990000' }], pool: { url: '/pool/' } } },
        store,
        api: {},
        warn: (m) => warnings.push(m),
        early: { gpc: false },
      });
      store.acceptAll();
      return { warnings, stop };
    };
    const fetch = vi.fn(async (_url: string, _init?: RequestInit) => new Response(JSON.stringify({ numbers: { '+15551234567': '+18885550101' }, lease: 'L1', ttl: 60 })));
    vi.stubGlobal('fetch', fetch);
    try {
      const without = run();
      expect(without.warnings).toEqual(['dni.pool: load dist/dni-pool.js before the SDK']);
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
      delete window.ConsentlinePool;
      localStorage.clear();
    }
  });
});
