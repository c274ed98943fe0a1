// @vitest-environment happy-dom
// Embeds are <img> here: happy-dom does not load iframes; the browser tests cover real iframes.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createConsentStore } from '../../../src/core/store';
import { activateHeldBack } from '../../../src/ui/held-back';

const tick = () => new Promise((r) => setTimeout(r, 0));
let stop: (() => void) | undefined;
afterEach(() => {
  stop?.();
  stop = undefined;
  document.body.replaceChildren();
});

const embed = (category: string, src = 'https://video.example/embed/1', provider = 'VideoCo') => {
  const f = document.createElement('img');
  f.dataset['category'] = category;
  f.dataset['src'] = src;
  f.dataset['provider'] = provider;
  document.body.append(f);
  return f;
};
const placeholderOf = (el: Element) => {
  const p = el.previousElementSibling;
  return p?.className === 'consentline-ph' ? (p as HTMLElement) : undefined;
};
const texts = () => Array.from(document.querySelectorAll('.consentline-ph'), (p) => p.textContent);

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
    stop = activateHeldBack(store, { label: (c) => c.id.toUpperCase(), warn: () => {} });
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
    expect(document.querySelectorAll('.consentline-ph')).toHaveLength(0);
  });

  it('never loads a javascript: data-src (refused with a warning, no placeholder), and with a nonce set skips scripts that lack it', async () => {
    const { bad, s } = fixture();
    const store = createConsentStore();
    const warnings: string[] = [];
    stop = activateHeldBack(store, { nonce: 'right', warn: (m) => warnings.push(m) });
    expect(placeholderOf(bad)).toBeUndefined();
    expect(warnings).toEqual([expect.stringContaining('http(s)')]);
    store.acceptAll();
    await tick();
    expect(bad.getAttribute('src')).toBeNull();
    expect(s.isConnected && s.type).toBe('text/plain');
  });

  it.each(['div', 'object', 'link'])(
    'data-src on a <%s>, which has no src to load it into: refused with a warning, no placeholder',
    async (tag) => {
      const el = document.createElement(tag);
      el.dataset['category'] = 'social';
      el.dataset['src'] = 'https://video.example/embed/1';
      document.body.append(el);
      const store = createConsentStore();
      const warnings: string[] = [];
      stop = activateHeldBack(store, { warn: (m) => warnings.push(m) });
      expect(placeholderOf(el)).toBeUndefined();
      expect(warnings).toEqual([expect.stringContaining('no src')]);
    },
  );

  it('cleanup removes placeholders and stops reacting', async () => {
    const { f } = fixture();
    const store = createConsentStore();
    stop = activateHeldBack(store, { warn: () => {} });
    expect(document.querySelectorAll('.consentline-ph')).toHaveLength(1);
    stop();
    stop = undefined;
    expect(document.querySelectorAll('.consentline-ph')).toHaveLength(0);
    store.acceptAll();
    await tick();
    expect(f.getAttribute('src')).toBeNull();
  });

  it('adopts the placeholders’ styles with the first placeholder, none before and none for scripts; the cleanup removes them', async () => {
    const sheets = () =>
      document.adoptedStyleSheets.map((sheet) => [...sheet.cssRules].map((r) => r.cssText).join('\n'));
    const script = document.createElement('script');
    script.type = 'text/plain';
    script.dataset['category'] = 'analytics';
    document.body.append(script);
    stop = activateHeldBack(createConsentStore(), { warn: () => {} });
    expect(sheets()).toEqual([]);
    embed('social');
    embed('social', 'https://video.example/embed/2');
    await tick();
    expect(document.querySelectorAll('.consentline-ph')).toHaveLength(2);
    expect(sheets()).toHaveLength(1);
    expect(sheets()[0]).toContain('.consentline-ph');
    // Only the placeholders' rules: the banner's are the UI's to adopt.
    expect(sheets()[0]).not.toContain('#consentline');
    stop();
    stop = undefined;
    expect(sheets()).toEqual([]);
  });

  it('after the cleanup nothing comes back: a grant withdrawn in the same task leaves no placeholder and no styles', async () => {
    const f = embed('social');
    const store = createConsentStore();
    stop = activateHeldBack(store, { warn: () => {} });
    expect(placeholderOf(f)).toBeDefined();
    // Granted (its load waits for a microtask), withdrawn, then torn down, all in one task.
    store.set({ social: true });
    store.set({ social: false });
    stop();
    stop = undefined;
    await tick();
    expect(document.querySelectorAll('.consentline-ph')).toHaveLength(0);
    expect(document.adoptedStyleSheets).toEqual([]);
    expect(f.style.getPropertyValue('display')).toBe('');
    expect(f.getAttribute('src')).toBeNull();
  });
});

describe('embed placeholders say everything a click grants', () => {
  it('names every category, and its click grants exactly those', async () => {
    const f = embed('analytics advertising social');
    const store = createConsentStore();
    stop = activateHeldBack(store);
    const p = placeholderOf(f)!;
    expect(p.querySelector('p')!.textContent).toBe(
      'VideoCo content is blocked until you allow analytics, advertising, and social.',
    );
    expect(p.querySelector('button')!.textContent).toBe('Allow analytics, advertising, and social and load');
    p.querySelector('button')!.click();
    await tick();
    expect(store.get().grants).toEqual({ necessary: true, analytics: true, advertising: true, social: true });
    expect(f.src).toBe('https://video.example/embed/1');
    expect(placeholderOf(f)).toBeUndefined();
  });

  it('a single category is named without an Intl.ListFormat (costly to create at load)', () => {
    const made = vi.spyOn(Intl, 'ListFormat');
    try {
      const f = embed('social');
      stop = activateHeldBack(createConsentStore());
      expect(placeholderOf(f)!.querySelector('p')!.textContent).toBe(
        'VideoCo content is blocked until you allow social.',
      );
      expect(made).not.toHaveBeenCalled();
    } finally {
      made.mockRestore();
    }
  });

  it('joins labels in the UI language', () => {
    embed('advertising social');
    stop = activateHeldBack(createConsentStore(), { lang: 'fr', load: 'Autoriser « {c} »', label: (c) => c.id });
    expect(document.querySelector('.consentline-ph button')!.textContent).toBe('Autoriser « advertising et social »');
  });

  it.each([
    ['ar', 'rtl'],
    ['he', 'rtl'],
    ['fr', 'ltr'],
  ])('a placeholder in %s is laid out %s, its text and its button', (lang, dir) => {
    embed('social');
    stop = activateHeldBack(createConsentStore(), { lang, blocked: '{p}: {c}', load: '{c}' });
    const laidOut = [...document.querySelectorAll('.consentline-ph :is(p, button)')].map((el) => [
      el.getAttribute('lang'),
      el.getAttribute('dir'),
    ]);
    expect(laidOut).toEqual([
      [lang, dir],
      [lang, dir],
    ]);
  });

  it.each([
    ['necessary advertising', '"necessary" is always granted'],
    ['necessary', '"necessary" is always granted'],
    ['analytics bogus', 'unknown category "bogus"'],
    ['constructor', 'unknown category "constructor"'],
    ['  ', 'no category'],
  ])('data-category="%s" is refused: a warning, no placeholder, never loaded', async (category, reason) => {
    const f = embed(category);
    const store = createConsentStore();
    const warnings: string[] = [];
    stop = activateHeldBack(store, { warn: (m) => warnings.push(m) });
    expect(placeholderOf(f)).toBeUndefined();
    expect(warnings).toEqual([expect.stringContaining(reason)]);
    store.acceptAll();
    await tick();
    expect(f.getAttribute('src')).toBeNull();
    expect(warnings).toHaveLength(1);
  });

  it('a held-back script naming an unknown category warns and never runs', async () => {
    const s = document.createElement('script');
    s.type = 'text/plain';
    s.dataset['category'] = 'analytics tracking';
    document.body.append(s);
    const store = createConsentStore();
    const warnings: string[] = [];
    stop = activateHeldBack(store, { warn: (m) => warnings.push(m) });
    store.acceptAll();
    await tick();
    expect(s.type).toBe('text/plain');
    expect(warnings).toEqual([expect.stringContaining('unknown category "tracking"')]);
  });
});

describe('a placeholder never undoes an opt-out', () => {
  it('opt-out regime after Do Not Sell: no button, it says why; the decision stays', () => {
    const f = embed('analytics advertising social');
    const store = createConsentStore({ regime: 'opt-out' });
    store.optOut();
    const before = store.get().decision;
    stop = activateHeldBack(store);
    const p = placeholderOf(f)!;
    expect(p.querySelector('button')).toBeNull();
    expect(p.textContent).toBe(
      'VideoCo content stays blocked: it needs advertising and social, and your opt-out of the sale or sharing of personal information is honored.',
    );
    expect(store.get().decision).toBe(before);
  });

  it('GPC in opt-in: a sale/share embed has no button; an analytics embed still has one', () => {
    const social = embed('social');
    const stats = embed('analytics');
    const store = createConsentStore({ gpc: true });
    stop = activateHeldBack(store);
    expect(placeholderOf(social)!.querySelector('button')).toBeNull();
    expect(placeholderOf(stats)!.querySelector('button')).not.toBeNull();
  });

  it('opt-out regime: an analytics embed the visitor turned off still has a button (not a sale or share)', () => {
    const f = embed('analytics');
    const store = createConsentStore({ regime: 'opt-out' });
    store.set({ analytics: false });
    stop = activateHeldBack(store);
    placeholderOf(f)!.querySelector('button')!.click();
    expect(store.get().grants).toEqual({ necessary: true, analytics: true, advertising: true, social: true });
  });

  it('opt-in after a Do Not Sell (link or API): a sale/share embed has no button', () => {
    const f = embed('social');
    const store = createConsentStore();
    store.optOut();
    stop = activateHeldBack(store);
    expect(placeholderOf(f)!.querySelector('button')).toBeNull();
    expect(store.get().grants['social']).toBe(false);
  });

  it("opt-in after Reject all: the click is the visitor's consent and grants the category", () => {
    const f = embed('social');
    const store = createConsentStore();
    store.rejectAll();
    stop = activateHeldBack(store);
    placeholderOf(f)!.querySelector('button')!.click();
    expect(store.get().grants['social']).toBe(true);
    expect(store.get().decision?.method).toBe('embed');
  });
});

describe('declared providers', () => {
  const providers = {
    VideoCo: { categories: ['social'], hosts: ['video.example', '*.cdn.video.example'] },
    Maps: { categories: ['analytics'] },
  };
  it('an embed matching its declaration gets a placeholder; undeclared, mismatched or off-host ones are refused', () => {
    const ok = embed('social', 'https://video.example/e/1');
    const sub = embed('social', 'https://eu.cdn.video.example/e/1');
    const anyHost = embed('analytics', 'https://maps.example/x', 'Maps');
    const undeclared = embed('social', 'https://video.example/e/1', 'Other');
    const missing = embed('social', 'https://video.example/e/1', '');
    const more = embed('social advertising', 'https://video.example/e/1');
    const fewer = embed('analytics', 'https://video.example/e/1');
    const host = embed('social', 'https://evil.example/e/1');
    const bare = embed('social', 'https://cdn.video.example/e/1');
    const lookalike = embed('social', 'https://video.example.evil.example/e/1');
    const warnings: string[] = [];
    stop = activateHeldBack(createConsentStore(), { providers, warn: (m) => warnings.push(m) });
    expect([ok, sub, anyHost].map((f) => placeholderOf(f) !== undefined)).toEqual([true, true, true]);
    expect([undeclared, missing, more, fewer, host, bare, lookalike].map((f) => placeholderOf(f))).toEqual(
      Array(7).fill(undefined),
    );
    expect(warnings.map((w) => w.split(': ').pop())).toEqual([
      'provider "Other" is not declared',
      'provider "" is not declared',
      'categories differ from provider "VideoCo"\'s',
      'categories differ from provider "VideoCo"\'s',
      'evil.example is not a host of provider "VideoCo"',
      'cdn.video.example is not a host of provider "VideoCo"',
      'video.example.evil.example is not a host of provider "VideoCo"',
    ]);
  });

  it('a declaration naming no, an unknown or the necessary category matches no embed: refused, never let through', () => {
    const bad = embed('social', 'https://video.example/e/1', 'Bad');
    const none = embed('social', 'https://video.example/e/1', 'None');
    const odd = embed('social', 'https://video.example/e/1', 'Odd');
    const warnings: string[] = [];
    const loose = { categories: undefined } as unknown as { categories: string[] };
    stop = activateHeldBack(createConsentStore(), {
      providers: {
        Bad: { categories: ['social', 'necessary'] },
        None: loose,
        Odd: { categories: ['nope'] },
        constructor: { categories: ['social'] },
      },
      warn: (m) => warnings.push(m),
    });
    expect([bad, none, odd].map(placeholderOf)).toEqual([undefined, undefined, undefined]);
    expect(warnings.map((w) => w.split(': ').pop())).toEqual([
      'categories differ from provider "Bad"\'s',
      'categories differ from provider "None"\'s',
      'categories differ from provider "Odd"\'s',
    ]);
  });

  it('a provider name from Object.prototype is not declared unless the site declared it', () => {
    const f = embed('social', 'https://video.example/e/1', 'toString');
    const warnings: string[] = [];
    stop = activateHeldBack(createConsentStore(), {
      providers: { VideoCo: { categories: ['social'] } },
      warn: (m) => warnings.push(m),
    });
    expect(placeholderOf(f)).toBeUndefined();
    expect(warnings).toEqual([expect.stringContaining('provider "toString" is not declared')]);
  });
});

describe('a placeholder lives and dies with its element', () => {
  it('removed, moved, re-inserted and re-created elements: exactly one placeholder each, none after Allow', async () => {
    const host = document.createElement('section');
    document.body.append(host);
    let f = embed('social');
    host.append(f);
    const store = createConsentStore();
    stop = activateHeldBack(store);
    await tick();
    expect(texts()).toHaveLength(1);
    f.remove();
    await tick();
    expect(texts()).toHaveLength(0);
    host.append(f);
    await tick();
    expect(texts()).toHaveLength(1);
    expect(placeholderOf(f)).toBeDefined();
    // Moved in one go: the placeholder follows.
    document.body.append(f);
    await tick();
    expect(texts()).toHaveLength(1);
    expect(placeholderOf(f)).toBeDefined();
    // Re-created, as a framework re-render does.
    for (let i = 0; i < 3; i++) {
      f.remove();
      f = embed('social');
      await tick();
    }
    expect(texts()).toHaveLength(1);
    expect(placeholderOf(f)).toBeDefined();
    placeholderOf(f)!.querySelector('button')!.click();
    await tick();
    expect(texts()).toHaveLength(0);
    f.remove();
    f = embed('social');
    await tick();
    expect(texts()).toHaveLength(0);
    expect(f.src).toBe('https://video.example/embed/1');
  });
});

describe('held-back scripts at the grant', () => {
  const script = (attrs: Record<string, string>, text = '') => {
    const s = document.createElement('script');
    s.type = 'text/plain';
    for (const [k, v] of Object.entries(attrs)) s.setAttribute(k, v);
    s.text = text;
    document.body.append(s);
    return s;
  };

  it('an external script goes in inside the consent call, so its download starts before the call returns; inline code waits for a microtask', async () => {
    delete (window as unknown as { __ran?: number }).__ran;
    script({ 'data-category': 'analytics', src: 'data:text/javascript,0', id: 'x' });
    script({ 'data-category': 'analytics', id: 'i' }, 'window.__ran = 1');
    const store = createConsentStore();
    stop = activateHeldBack(store, { warn: () => {} });
    store.acceptAll();
    // Still inside the call's task, before any microtask: the external clone is in the page.
    expect(document.getElementById('x')!.getAttribute('type')).toBe('text/javascript');
    expect(document.getElementById('i')!.getAttribute('type')).toBe('text/plain');
    expect('__ran' in window).toBe(false);
  });

  it('an external script after an inline one still waiting goes in after it, in document order', async () => {
    const order: string[] = [];
    const seen = new MutationObserver((records) => {
      for (const r of records) r.addedNodes.forEach((n) => n instanceof HTMLScriptElement && order.push(n.id));
    });
    script({ 'data-category': 'analytics', src: 'data:text/javascript,0', id: 'x1' });
    script({ 'data-category': 'analytics', id: 'i1' }, '0');
    script({ 'data-category': 'analytics', src: 'data:text/javascript,0', id: 'x2' });
    seen.observe(document.body, { childList: true });
    const store = createConsentStore();
    stop = activateHeldBack(store, { warn: () => {} });
    store.acceptAll();
    expect(document.getElementById('x2')!.getAttribute('type')).toBe('text/plain');
    // The external one before the inline script loads (happy-dom fires its load or error event).
    for (let i = 0; i < 20 && document.getElementById('x2')!.getAttribute('type') === 'text/plain'; i++) await tick();
    await tick();
    seen.disconnect();
    expect(order).toEqual(['x1', 'i1', 'x2']);
  });
});

describe('an embed whose category is withdrawn', () => {
  it('unloads: its src goes, its placeholder comes back, and a new grant loads it again', async () => {
    const f = embed('social');
    const other = embed('analytics', 'https://stats.example/widget');
    const store = createConsentStore();
    stop = activateHeldBack(store, { warn: () => {} });
    store.acceptAll();
    await tick();
    expect([f.getAttribute('src'), other.getAttribute('src')]).toEqual([
      'https://video.example/embed/1',
      'https://stats.example/widget',
    ]);
    store.set({ social: false });
    await tick();
    expect(f.getAttribute('src')).toBeNull();
    expect(f.style.getPropertyValue('display')).toBe('none');
    expect(placeholderOf(f)?.querySelector('button')?.textContent).toBe('Allow social and load');
    // Only the withdrawn category's embed goes.
    expect(other.getAttribute('src')).toBe('https://stats.example/widget');
    expect(placeholderOf(other)).toBeUndefined();
    store.set({ social: true });
    await tick();
    expect(f.getAttribute('src')).toBe('https://video.example/embed/1');
    expect(placeholderOf(f)).toBeUndefined();
  });
});

describe('one element that cannot load stops nothing else', () => {
  it('an embed whose src refuses the URL (Trusted Types on <embed>) is held back for good with a warning; the ones after it still load', async () => {
    const first = embed('social');
    Object.defineProperty(first, 'src', {
      set() {
        throw new TypeError("This document requires 'TrustedScriptURL' assignment.");
      },
    });
    const second = embed('social', 'https://video.example/embed/2');
    const store = createConsentStore();
    const warnings: string[] = [];
    stop = activateHeldBack(store, { warn: (m) => warnings.push(m) });
    store.acceptAll();
    await tick();
    expect(second.getAttribute('src')).toBe('https://video.example/embed/2');
    expect(warnings).toEqual([expect.stringContaining('TrustedScriptURL')]);
    // Refused for good: later changes do not try it again.
    store.set({ social: false });
    store.set({ social: true });
    await tick();
    expect(warnings).toHaveLength(1);
  });
});

describe('an embed granted and refused within one task', () => {
  it('requests nothing: no src is ever set, and its placeholder stays', async () => {
    const f = embed('social');
    const srcs: string[] = [];
    new MutationObserver(() => srcs.push(f.getAttribute('src') ?? '')).observe(f, { attributeFilter: ['src'] });
    const store = createConsentStore();
    stop = activateHeldBack(store, { warn: () => {} });
    store.acceptAll();
    store.rejectAll();
    await tick();
    expect(srcs).toEqual([]);
    expect(f.getAttribute('src')).toBeNull();
    expect(placeholderOf(f)?.querySelector('button')).toBeTruthy();
  });
});
