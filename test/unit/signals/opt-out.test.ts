// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMemoryStorage } from '../../../src/core/memory-storage';
import { createConsentStore } from '../../../src/core/store';
import { bindOptOutLinks, showGpcStatus } from '../../../src/signals/opt-out';

// The task after the current one (showGpcStatus falls back to a timer without `scheduler.postTask`).
const nextTask = () => new Promise((r) => setTimeout(r, 0));

const cleanups: Array<() => void> = [];
beforeEach(() => {
  document.body.replaceChildren();
});
afterEach(() => {
  cleanups.splice(0).forEach((off) => off());
});

const click = (el: Element): MouseEvent => {
  const event = new MouseEvent('click', { bubbles: true, cancelable: true });
  el.dispatchEvent(event);
  return event;
};

describe('bindOptOutLinks', () => {
  it('a marked link opts out of every sale/share category in one step, keeps the others, and is remembered', () => {
    const storage = createMemoryStorage();
    const store = createConsentStore({ regime: 'opt-out', storage });
    cleanups.push(bindOptOutLinks(store));
    document.body.innerHTML = '<a href="/dns" data-consentline-optout><span>Do Not Sell or Share</span></a>';
    const event = click(document.querySelector('span')!);
    expect(event.defaultPrevented).toBe(true);
    expect(store.get()).toMatchObject({
      optedOut: true,
      grants: { analytics: true, advertising: false, social: false },
    });
    expect(store.get().decision!.method).toBe('opt-out');
    expect(createConsentStore({ regime: 'opt-out', storage }).get().optedOut).toBe(true);
  });

  it('counts links added after binding, and only inside `root`', () => {
    const store = createConsentStore({ regime: 'opt-out' });
    const root = document.createElement('footer');
    const outside = document.createElement('a');
    outside.className = 'dns';
    document.body.append(root, outside);
    cleanups.push(bindOptOutLinks(store, { selector: '.dns', root }));
    expect(click(outside).defaultPrevented).toBe(false);
    expect(store.get().optedOut).toBe(false);
    const later = document.createElement('button');
    later.className = 'dns';
    root.append(later);
    click(later);
    expect(store.get().optedOut).toBe(true);
  });

  it('other clicks do nothing, and nothing after cleanup', () => {
    const store = createConsentStore({ regime: 'opt-out' });
    document.body.innerHTML = '<a href="#" id="other">x</a><a href="#" data-consentline-optout id="dns">y</a>';
    const off = bindOptOutLinks(store);
    expect(click(document.getElementById('other')!).defaultPrevented).toBe(false);
    expect(store.get().decision).toBeNull();
    off();
    expect(click(document.getElementById('dns')!).defaultPrevented).toBe(false);
    expect(store.get().decision).toBeNull();
  });
});

describe('showGpcStatus', () => {
  it('with GPC, shows the honoured text in every marked element; without, hides them', () => {
    document.body.innerHTML = '<p data-consentline-gpc-status hidden></p><p data-consentline-gpc-status>stale</p>';
    cleanups.push(showGpcStatus(createConsentStore({ gpc: true })));
    const els = [...document.querySelectorAll<HTMLElement>('[data-consentline-gpc-status]')];
    expect(els.map((el) => [el.textContent, el.hidden])).toEqual([
      ['Opt-Out Request Honored', false],
      ['Opt-Out Request Honored', false],
    ]);
    cleanups.splice(0).forEach((off) => off());
    cleanups.push(showGpcStatus(createConsentStore({ gpc: false })));
    expect(els.map((el) => el.hidden)).toEqual([true, true]);
  });

  it('takes its text and selector from the options, as text, never markup', () => {
    document.body.innerHTML = '<span class="gpc"></span>';
    cleanups.push(showGpcStatus(createConsentStore({ gpc: true }), { selector: '.gpc', text: '<b>Honored</b>' }));
    const el = document.querySelector('.gpc')!;
    expect(el.textContent).toBe('<b>Honored</b>');
    expect(el.querySelector('b')).toBeNull();
  });

  it('finds marked elements in open shadow roots, nested ones and those under `root` included; never in closed ones', () => {
    const host = document.body.appendChild(document.createElement('site-footer'));
    const shadow = host.attachShadow({ mode: 'open' });
    shadow.innerHTML = '<p data-consentline-gpc-status hidden></p><div><span class="inner"></span></div>';
    const inner = shadow.querySelector('.inner')!.attachShadow({ mode: 'open' });
    inner.innerHTML = '<b data-consentline-gpc-status></b>';
    const closed = document.body.appendChild(document.createElement('div')).attachShadow({ mode: 'closed' });
    closed.innerHTML = '<i data-consentline-gpc-status></i>';
    cleanups.push(showGpcStatus(createConsentStore({ gpc: true })));
    const shown = [shadow.querySelector('p')!, inner.querySelector('b')!] as HTMLElement[];
    expect(shown.map((el) => [el.textContent, el.hidden])).toEqual([
      ['Opt-Out Request Honored', false],
      ['Opt-Out Request Honored', false],
    ]);
    expect(closed.querySelector('i')!.textContent).toBe('');
    // Under `root` only: a shadow root outside it is left alone.
    cleanups.splice(0).forEach((off) => off());
    const footer = document.body.appendChild(document.createElement('footer'));
    const mine = footer.appendChild(document.createElement('x-status')).attachShadow({ mode: 'open' });
    mine.innerHTML = '<p data-consentline-gpc-status></p>';
    shown[0]!.textContent = '';
    cleanups.push(showGpcStatus(createConsentStore({ gpc: true }), { root: footer }));
    expect([mine.querySelector('p')!.textContent, shown[0]!.textContent]).toEqual(['Opt-Out Request Honored', '']);
  });

  it('while the document is loading, the open shadow roots are searched once, in a task after it is parsed', async () => {
    const loading = vi.spyOn(document, 'readyState', 'get').mockReturnValue('loading');
    const shadow = document.body.appendChild(document.createElement('site-footer')).attachShadow({ mode: 'open' });
    shadow.innerHTML = '<p data-consentline-gpc-status></p>';
    const walks = vi.spyOn(Object.getPrototypeOf(document) as Document, 'createTreeWalker');
    cleanups.push(showGpcStatus(createConsentStore({ gpc: true })));
    expect(walks).not.toHaveBeenCalled();
    document.dispatchEvent(new Event('DOMContentLoaded'));
    // Not in DOMContentLoaded's task, with the page's own handlers.
    expect(walks).not.toHaveBeenCalled();
    await nextTask();
    // One walk over the document, one over the shadow root it found.
    expect(walks).toHaveBeenCalledTimes(2);
    expect(shadow.querySelector('p')!.textContent).toBe('Opt-Out Request Honored');
    walks.mockRestore();
    loading.mockRestore();
  });

  it("on a long page the walk goes in tasks of a few ms: the page's next task does not wait for all of it", async () => {
    const loading = vi.spyOn(document, 'readyState', 'get').mockReturnValue('loading');
    for (let i = 0; i < 2000; i++) document.body.append(document.createElement('div'));
    const shadow = document.body.appendChild(document.createElement('site-footer')).attachShadow({ mode: 'open' });
    shadow.innerHTML = '<p data-consentline-gpc-status></p>';
    const status = shadow.querySelector('p')!;
    cleanups.push(showGpcStatus(createConsentStore({ gpc: true })));
    // A clock that moves a millisecond at each reading.
    let clock = 0;
    const now = vi.spyOn(performance, 'now').mockImplementation(() => ++clock);
    document.dispatchEvent(new Event('DOMContentLoaded'));
    // The page's own task, queued at DOMContentLoaded after the SDK's walk.
    const seen = await new Promise((r) => setTimeout(() => r(status.textContent), 0));
    expect(seen).toBe('');
    await vi.waitFor(() => expect(status.textContent).toBe('Opt-Out Request Honored'));
    now.mockRestore();
    loading.mockRestore();
  });

  /** Starts while the document is parsed, then a status element comes after the SDK's tag. */
  const startWhileParsing = () => {
    const loading = vi.spyOn(document, 'readyState', 'get').mockReturnValue('loading');
    const off = showGpcStatus(createConsentStore({ gpc: true }));
    const late = document.createElement('p');
    late.setAttribute('data-consentline-gpc-status', '');
    document.body.append(late);
    return { loading, off, late };
  };

  it("runs again once the document is parsed, for elements after the SDK's tag, until cleanup", async () => {
    const { loading, off, late } = startWhileParsing();
    document.dispatchEvent(new Event('DOMContentLoaded'));
    await nextTask();
    expect(late.textContent).toBe('Opt-Out Request Honored');
    off();
    const later = late.cloneNode() as HTMLElement;
    document.body.append(later);
    document.dispatchEvent(new Event('DOMContentLoaded'));
    await nextTask();
    expect(later.textContent).toBe('');
    loading.mockRestore();
  });

  it('a cleanup between DOMContentLoaded and its task cancels the walk', async () => {
    const { loading, off, late } = startWhileParsing();
    document.dispatchEvent(new Event('DOMContentLoaded'));
    off();
    await nextTask();
    expect(late.textContent).toBe('');
    loading.mockRestore();
  });

  it('started after the document was parsed, it searches everything at once and waits for nothing', () => {
    const shadow = document.body.appendChild(document.createElement('site-footer')).attachShadow({ mode: 'open' });
    shadow.innerHTML = '<p data-consentline-gpc-status></p>';
    const listens = vi.spyOn(EventTarget.prototype, 'addEventListener');
    cleanups.push(showGpcStatus(createConsentStore({ gpc: true })));
    expect(shadow.querySelector('p')!.textContent).toBe('Opt-Out Request Honored');
    expect(listens.mock.calls.filter(([type]) => type === 'DOMContentLoaded')).toEqual([]);
    listens.mockRestore();
  });
});
