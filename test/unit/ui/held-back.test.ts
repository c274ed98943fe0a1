// @vitest-environment happy-dom
// Embeds are <img> here: happy-dom does not load iframes; the browser tests cover real iframes.
import { afterEach, describe, expect, it } from 'vitest';
import { createConsentStore } from '../../../src/core/store';
import { activateHeldBack } from '../../../src/ui/held-back';

const tick = () => new Promise((r) => setTimeout(r, 0));
let stop: (() => void) | undefined;
afterEach(() => {
  stop?.();
  stop = undefined;
  document.body.replaceChildren();
});

const fixture = () => {
  const f = document.createElement('img');
  f.dataset['category'] = 'social';
  f.dataset['src'] = 'https://video.example/embed/1';
  f.dataset['provider'] = 'VideoCo';
  const bad = document.createElement('img');
  bad.dataset['category'] = 'social';
  bad.dataset['src'] = 'javascript:alert(1)';
  const s = document.createElement('script');
  s.type = 'text/plain';
  s.dataset['category'] = 'analytics';
  s.nonce = 'wrong';
  s.text = 'window.__ran = 1';
  document.body.append(f, bad, s);
  return { f, bad, s };
};

describe('activateHeldBack (happy-dom)', () => {
  it('shows a placeholder naming provider and category; its button grants the category with method "embed" and loads the source', async () => {
    const { f } = fixture();
    const store = createConsentStore();
    stop = activateHeldBack(store, { label: (c) => c.id.toUpperCase() });
    const ph = f.previousElementSibling as HTMLElement;
    expect(ph.className).toBe('consentline-ph');
    expect(ph.querySelector('p')!.textContent).toBe('VideoCo content is blocked until you allow SOCIAL.');
    expect(f.getAttribute('src')).toBeNull();
    expect(f.style.getPropertyValue('display')).toBe('none');
    ph.querySelector('button')!.click();
    await tick();
    expect(store.get().decision?.method).toBe('embed');
    expect(store.get().grants['social']).toBe(true);
    expect(f.src).toBe('https://video.example/embed/1');
    expect(f.style.getPropertyValue('display')).toBe('');
    expect(document.querySelectorAll('.consentline-ph')).toHaveLength(1); // the javascript: one keeps its placeholder
  });

  it('never loads a javascript: data-src, and with a nonce set skips scripts that lack it', async () => {
    const { bad, s } = fixture();
    const store = createConsentStore();
    stop = activateHeldBack(store, { nonce: 'right' });
    store.acceptAll();
    await tick();
    expect(bad.getAttribute('src')).toBeNull();
    expect(s.isConnected && s.type).toBe('text/plain');
  });

  it('cleanup removes placeholders and stops reacting', async () => {
    const { f } = fixture();
    const store = createConsentStore();
    stop = activateHeldBack(store);
    expect(document.querySelectorAll('.consentline-ph')).toHaveLength(2);
    stop();
    stop = undefined;
    expect(document.querySelectorAll('.consentline-ph')).toHaveLength(0);
    store.acceptAll();
    await tick();
    expect(f.getAttribute('src')).toBeNull();
  });
});
