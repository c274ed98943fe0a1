// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createConsentStore } from '../../../src/core/store';
import { startNumberInsertion } from '../../../src/entries/dni';
import { parseVisitContext, readVisitContext } from '../../../src/dni/context';
import { matchRule } from '../../../src/dni/source';
import { createPoolClient } from '../../../src/dni/pool';
// @ts-expect-error plain ESM module without types
import { createPool } from '../../../demo/pool-server.mjs';

const T = '+15551234567';
const settle = async () => {
  for (let i = 0; i < 3; i++) await new Promise((r) => setTimeout(r, 0));
};
afterEach(() => {
  document.body.innerHTML = '';
  localStorage.clear();
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

describe('pool session and rules (review 2026-12-05)', () => {
  it('pool request must not carry the page URL (gclid, any query) in a Referer header', async () => {
    const fetch = vi.fn(async (_u: string, _i: RequestInit) => new Response(JSON.stringify({ numbers: {}, lease: 'L1', ttl: 60 })));
    vi.stubGlobal('fetch', fetch);
    await createPoolClient({ url: '/pool/' }, [T]).call('assign', {});
    const init = fetch.mock.calls[0]![1];
    // Same-origin `/pool/` under the default policy gets the full page URL (with ?gclid=…&email=…).
    expect(init.referrerPolicy ?? init.referrer).toBeOneOf(['no-referrer', '']);
  });

  it('a `referrer: social|search` rule tests the referrer, not the utm_source', () => {
    const ctx = (url: string, referrer: string) => readVisitContext({ url, referrer, id: 'abcdefgh12345678', now: 1 });
    // A Meta ad with Meta's default dynamic UTM (utm_source={{site_source_name}} = fb), referrer m.facebook.com.
    const fb = ctx('https://shop.example/?utm_source=fb&utm_medium=paid', 'https://m.facebook.com/');
    expect(matchRule([{ referrer: 'social', number: '+18880000001' }], fb)?.number).toBe('+18880000001');
    // Came from Google search with a newsletter tag.
    const g = ctx('https://shop.example/?utm_source=newsletter', 'https://www.google.com/');
    expect(matchRule([{ referrer: 'search', number: '+18880000002' }], g)?.number).toBe('+18880000002');
  });

  it('clickId "*" counts the site\'s configured click ids (clickIds option)', async () => {
    document.body.innerHTML = '<p id="a">Call (555) 123-4567</p>';
    const store = createConsentStore();
    const stop = startNumberInsertion(store, {
      targets: [T],
      clickIds: ['yclid'],
      rules: [{ clickId: '*', number: '+18889990000' }],
      url: 'https://shop.example/?yclid=abc',
      referrer: '',
    });
    store.acceptAll();
    await settle();
    expect(JSON.parse(localStorage.getItem('consentline_dni')!).f.q).toEqual({ yclid: 'abc' });
    expect(document.getElementById('a')!.textContent).toBe('Call (888) 999-0000');
    stop();
  });

  it('reference server: an overflow number survives renew and an idempotent assign (reload)', () => {
    const pool = createPool({ numbers: { [T]: ['+18880000001'] }, overflow: { [T]: '+18880000009' } });
    pool.assign({ session: 'sessiona1', targets: [T] });
    const b = pool.assign({ session: 'sessionb1', targets: [T] });
    expect(b.numbers).toEqual({ [T]: '+18880000009' });
    expect(pool.assign({ session: 'sessionb1', targets: [T] }).numbers).toEqual({ [T]: '+18880000009' });
    expect(pool.renew({ session: 'sessionb1', lease: b.lease }).numbers).toEqual({ [T]: '+18880000009' });
  });

  it('client: overflow number replaced by the fallback at the first renewal', async () => {
    vi.useFakeTimers();
    document.body.innerHTML = '<p id="a">Call (555) 123-4567</p>';
    const pool = createPool({ numbers: { [T]: ['+18880000001'] }, overflow: { [T]: '+18880000009' }, ttl: 20 });
    pool.assign({ session: 'otherses1', targets: [T] });
    vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
      const out = pool[url.split('/').pop()!](JSON.parse(init.body as string));
      return out ? new Response(JSON.stringify(out)) : new Response('', { status: 404 });
    });
    const store = createConsentStore();
    const stop = startNumberInsertion(store, { targets: [T], rules: [{ pool: true, number: '+18889990000' }], pool: { url: '/pool/' }, url: 'https://shop.example/', referrer: '' });
    store.acceptAll();
    await vi.advanceTimersByTimeAsync(10);
    expect(document.getElementById('a')!.textContent).toBe('Call (888) 000-0009');
    await vi.advanceTimersByTimeAsync(11_000);
    document.dispatchEvent(new Event('keydown'));
    await vi.advanceTimersByTimeAsync(10);
    // Same lease, renewed: the number must not change mid-visit.
    expect(document.getElementById('a')!.textContent).toBe('Call (888) 000-0009');
    stop();
  });

  it('reference server: an exhausted session gets a number once one is free again (reload / activity)', () => {
    let t = 1_000_000;
    const pool = createPool({ numbers: { [T]: ['+18880000001'] }, ttl: 60, quarantine: 30, now: () => t });
    const a = pool.assign({ session: 'sessiona1', targets: [T] });
    const b = pool.assign({ session: 'sessionb1', targets: [T] });
    expect(b.status).toBe('exhausted');
    pool.release({ session: 'sessiona1', lease: a.lease });
    t += 31_000;
    // b is still active (renews), reloads: number free for a second already.
    expect(pool.renew({ session: 'sessionb1', lease: b.lease }).status).not.toBe('exhausted');
    expect(pool.assign({ session: 'sessionb1', targets: [T] }).numbers).toEqual({ [T]: '+18880000001' });
  });

  it('a stored latest touch whose only mark was a click id is no longer a touch once click ids are dropped', () => {
    const raw = JSON.stringify({
      id: 'abcdefgh12345678',
      f: { t: 1, p: '/', q: { utm_source: 'google', utm_medium: 'cpc' } },
      l: { t: 2, p: '/', q: { gclid: 'GCLIDVAL' } },
    });
    const noClicks = ['utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content', 'utm_id'];
    const c = parseVisitContext(raw, noClicks)!;
    expect(JSON.stringify(c)).not.toContain('GCLIDVAL');
    // The "latest non-direct touch" is now an empty direct touch and overrides the paid first touch.
    expect(matchRule([{ direct: true, number: '+18880000009' }, { medium: 'cpc', number: '+18880000001' }], c)?.number).toBe('+18880000001');
  });

  it('no pool number is taken for a page opened hidden (background tab / prerender) until it is seen', async () => {
    vi.useFakeTimers();
    const calls: string[] = [];
    vi.stubGlobal('fetch', async (url: string) => (calls.push(url), new Response(JSON.stringify({ numbers: { [T]: '+18880000001' }, lease: 'L1', ttl: 60 }))));
    const hidden = vi.spyOn(document, 'visibilityState', 'get').mockReturnValue('hidden');
    const store = createConsentStore();
    const stop = startNumberInsertion(store, { targets: [T], rules: [{ pool: true }], pool: { url: '/pool/' }, url: 'https://shop.example/', referrer: '' });
    store.acceptAll();
    await vi.advanceTimersByTimeAsync(10);
    hidden.mockRestore();
    expect(calls).toEqual([]);
    stop();
  });
});
