// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createConsentStore } from '../../../src/core/store';
import { startNumberInsertion, subscribeNumber } from '../../../src/dni/start';

const PAGE = `
<p id="a">Call (555) 123-4567 now</p>
<a id="tel" href="tel:+15551234567">+1 555 123 4567</a>
<script id="s">var n = "555-123-4567";</script>
<textarea id="ta">555-123-4567</textarea>
<div contenteditable id="ce">555-123-4567</div>
<div data-no-swap><span id="ns">555-123-4567</span></div>
<span id="mark" data-dni></span>
<form id="f" data-consentline-form><input name="email" value="secret@example.com"></form>
<p id="other">Order 5551234567890, ISBN 978-555-123-4567</p>`;

const setup = (url = 'https://shop.example/?utm_source=google&utm_medium=cpc', extra = {}) => {
  document.body.innerHTML = PAGE;
  localStorage.clear();
  const store = createConsentStore();
  const log = vi.fn();
  const stop = startNumberInsertion(store, {
    targets: ['+15551234567'],
    rules: [{ source: 'google', medium: 'cpc', number: '+18889990000' }],
    url,
    referrer: '',
    log,
    ...extra,
  });
  return { store, stop, log };
};
const $ = (id: string) => document.getElementById(id)!;
const snapshot = () => document.body.innerHTML;

afterEach(() => {
  document.body.innerHTML = '';
  localStorage.clear();
});

describe('startNumberInsertion (happy-dom)', () => {
  it('nothing before consent; swaps where allowed on consent; restores exactly on withdrawal', async () => {
    const { store, stop, log } = setup();
    const before = snapshot();
    expect(localStorage.length).toBe(0);
    expect(stop.getNumber()).toBeUndefined();
    store.set({ analytics: true });
    expect($('a').textContent).toBe('Call (888) 999-0000 now');
    expect($('tel').getAttribute('href')).toBe('tel:+18889990000');
    expect($('tel').textContent).toBe('+1 888 999 0000');
    expect($('mark').textContent).toBe('888 999 0000');
    for (const id of ['s', 'ta', 'ce', 'ns']) expect($(id).textContent).toContain('555-123-4567');
    expect($('other').textContent).toBe('Order 5551234567890, ISBN 978-555-123-4567');
    const token = $('f').querySelector<HTMLInputElement>('input[name=consentline_token]')!;
    expect(token.type).toBe('hidden');
    expect(token.value).toMatch(/^cl1\.[a-z0-9]{16}$/);
    expect(localStorage.getItem('consentline_dni')).not.toContain('secret');
    expect(stop.getNumber()).toBe('+18889990000');
    // Debug: each target found, where, and what was done with it.
    expect(log).toHaveBeenCalledWith('+15551234567', '"(555) 123-4567"', $('a'), '→ +18889990000');
    expect(log).toHaveBeenCalledWith('"var n = \"555-123-4567\";" kept: inside', $('s'));
    expect(log).toHaveBeenCalledWith('"555-123-4567" kept: inside', $('ns').parentElement);

    // Later content: one batch, only what changed.
    const p = document.createElement('p');
    p.textContent = 'Also 555.123.4567';
    document.body.append(p);
    await new Promise((r) => setTimeout(r, 0));
    expect(p.textContent).toBe('Also 888.999.0000');

    store.set({ analytics: false });
    expect(localStorage.getItem('consentline_dni')).toBeNull();
    p.remove();
    expect(snapshot()).toBe(before);
    stop();
  });

  it('an app that rewrites a swapped node is followed, and restore never clobbers app text', async () => {
    const { store, stop } = setup();
    store.set({ analytics: true });
    const text = $('a').firstChild as Text;
    text.data = 'New text 555-123-4567';
    await new Promise((r) => setTimeout(r, 0));
    expect(text.data).toBe('New text 888-999-0000');
    text.data = 'App owns this';
    await new Promise((r) => setTimeout(r, 0));
    store.set({ analytics: false });
    expect(text.data).toBe('App owns this');
    stop();
  });

  it('subscribeNumber gives the number now and on change; stop restores', () => {
    const { store, stop } = setup();
    const seen: Array<string | undefined> = [];
    const off = subscribeNumber(stop, (n) => seen.push(n));
    store.set({ analytics: true });
    store.set({ analytics: false });
    off();
    store.set({ analytics: true });
    expect(seen).toEqual([undefined, '+18889990000', undefined]);
    stop();
    expect($('a').textContent).toBe('Call (555) 123-4567 now');
  });

  it('an expired or tampered stored context is replaced', () => {
    localStorage.setItem('consentline_dni', '{"id":"<script>","f":1}');
    const { store, stop } = setup('https://shop.example/');
    store.set({ analytics: true });
    const c = JSON.parse(localStorage.getItem('consentline_dni')!);
    expect(c.id).toMatch(/^[a-z0-9]{16}$/);
    stop();
  });

  it('a custom category gates it', () => {
    document.body.innerHTML = PAGE;
    const store = createConsentStore({ categories: [{ id: 'calls' }] });
    const stop = startNumberInsertion(store, { targets: ['+15551234567'], rules: [{ number: '+18889990000' }], category: 'calls', url: 'https://s.example/', referrer: '' });
    store.set({ analytics: true });
    expect($('a').textContent).toBe('Call (555) 123-4567 now');
    store.set({ calls: true });
    expect($('a').textContent).toBe('Call (888) 999-0000 now');
    stop();
  });
});
