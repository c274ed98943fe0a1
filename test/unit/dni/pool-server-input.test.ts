// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createConsentStore } from '../../../src/core/store';
import { startNumberInsertion } from '../../../src/entries/dni';
import { matchRule } from '../../../src/dni/source';
// @ts-expect-error plain ESM module without types
import { createPool } from '../../../demo/pool-server.mjs';

const T = '+15551234567';
afterEach(() => {
  document.body.innerHTML = '';
  localStorage.clear();
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

describe('reference server input, anti-flicker cap (review 2026-12-05)', () => {
  it('reference server refuses a non-string session / nested targets', () => {
    const pool = createPool({ numbers: { [T]: ['+18880000001', '+18880000002'] } });
    expect(pool.assign({ session: ['abcdefgh1'], targets: [T] })).toBeNull();
    expect(pool.assign({ session: 'abcdefgh2', targets: [[T]] })).toBeNull();
  });

  it('hidden never past the cap with a 10 s server, fallback shown, markup reply rejected', async () => {
    vi.useFakeTimers();
    let mode = 'slow';
    const calls: string[] = [];
    vi.stubGlobal('fetch', (url: string, init: RequestInit) => {
      calls.push(url);
      if (mode === 'markup') return Promise.resolve(new Response(JSON.stringify({ numbers: { [T]: '<b>+18885550101</b>' }, lease: 'L1', ttl: 60 })));
      return new Promise((done, fail) => {
        const t = setTimeout(() => done(new Response(JSON.stringify({ numbers: { [T]: '+18885550101' }, lease: 'L1', ttl: 60 }))), 10_000);
        init.signal!.addEventListener('abort', () => (clearTimeout(t), fail(new Error('abort'))));
      });
    });
    document.body.innerHTML = '<p id="a">Call (555) 123-4567</p>';
    const store = createConsentStore();
    const stop = startNumberInsertion(store, { targets: [T], rules: [{ pool: true, number: '+18889990000' }], pool: { url: '/pool/', hide: 5000 }, url: 'https://shop.example/', referrer: '' });
    store.acceptAll();
    await vi.advanceTimersByTimeAsync(5);
    expect(document.documentElement.hasAttribute('data-consentline-dni-pending')).toBe(true);
    await vi.advanceTimersByTimeAsync(1000);
    expect(document.documentElement.hasAttribute('data-consentline-dni-pending')).toBe(false);
    await vi.advanceTimersByTimeAsync(600);
    expect(document.getElementById('a')!.textContent).toBe('Call (888) 999-0000');
    mode = 'markup';
    document.dispatchEvent(new Event('keydown'));
    await vi.advanceTimersByTimeAsync(10_010);
    document.dispatchEvent(new Event('keydown'));
    await vi.advanceTimersByTimeAsync(10);
    expect(document.getElementById('a')!.textContent).toBe('Call (888) 999-0000');
    expect(document.body.innerHTML).not.toContain('<b>');
    stop();
  });
});
