// @vitest-environment happy-dom
// The read-only pass ahead of consent: before a grant the page is walked once while idle, reading
// only; at the grant the swap writes without reading the unchanged candidates again, and whatever
// the page changed in between is still handled.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createConsentStore, type ConsentStore } from '../../../src/core/store';
import { createNumberMatcher } from '../../../src/dni/match';
import { createSwapper } from '../../../src/dni/swap';
import { startNumberInsertion } from '../../../src/entries/dni';

const us = createNumberMatcher(['+15551234567']);
const live: Array<{ restore(): void }> = [];
const swapper = () => {
  const s = createSwapper(us, { pick: () => '+18889990000' });
  live.push(s);
  return s;
};
const idle = () => vi.runAllTimersAsync();
const $ = (id: string) => document.getElementById(id)!;

// Counts reads of a text node's contents (`data`, and `length`, which the walk reads first).
const countTextReads = () => {
  const proto = Object.getPrototypeOf(Object.getPrototypeOf(document.createTextNode(''))) as object;
  let reads = 0;
  for (const key of ['data', 'length', 'nodeValue', 'textContent']) {
    let owner: object | null = proto;
    while (owner && !Object.getOwnPropertyDescriptor(owner, key)) owner = Object.getPrototypeOf(owner);
    const d = owner && Object.getOwnPropertyDescriptor(owner, key);
    if (!d?.get) continue;
    const get = d.get;
    const set = d.set;
    Object.defineProperty(owner, key, {
      configurable: true,
      get(this: Node) {
        if (this.nodeType === 3) reads++;
        return get.call(this);
      },
      ...(set && { set }),
    });
    spies.push(() => Object.defineProperty(owner!, key, d));
  }
  return () => reads;
};
const spies: Array<() => void> = [];

const PAGE = `
<p id="a">Call (555) 123-4567 now</p>
<p id="b">or 555.123.4567 after six</p>
<p id="c">Opening hours: nine to five</p>
<ul>${'<li>Nothing to see here, a line of ordinary text</li>'.repeat(50)}</ul>`;

beforeEach(() => {
  vi.useFakeTimers();
  document.body.innerHTML = PAGE;
});

afterEach(() => {
  spies.splice(0).forEach((undo) => undo());
  live.splice(0).forEach((s) => s.restore());
  vi.useRealTimers();
  localStorage.clear();
  document.body.replaceChildren();
});

describe('pre-scan before consent', () => {
  it('reads only: nothing in the page changes and nothing is stored', async () => {
    const before = document.body.innerHTML;
    const s = swapper();
    s.prepare();
    await idle();
    expect(document.body.innerHTML).toBe(before);
    expect(localStorage.length).toBe(0);
    expect(document.cookie).toBe('');
  });

  it('at the grant, an unchanged page is written without reading any text node again', async () => {
    const s = swapper();
    s.prepare();
    await idle();
    const reads = countTextReads();
    s.apply();
    await idle();
    // Counted before the assertions below, which read text too.
    expect(reads()).toBe(0);
    expect($('a').textContent).toBe('Call (888) 999-0000 now');
    expect($('b').textContent).toBe('or 888.999.0000 after six');
  });

  it('at the grant, the texts read ahead are not matched again: only their numbers are written', async () => {
    const s = swapper();
    s.prepare();
    await idle();
    const matched = [vi.spyOn(us, 'test'), vi.spyOn(us, 'replace'), vi.spyOn(us, 'read')];
    const written = vi.spyOn(us, 'write');
    s.apply();
    await idle();
    for (const spy of matched) expect(spy).not.toHaveBeenCalled();
    expect(written).toHaveBeenCalledTimes(2);
    expect($('a').textContent).toBe('Call (888) 999-0000 now');
    expect($('b').textContent).toBe('or 888.999.0000 after six');
  });

  it('without a pre-scan the grant walks the page (the spy sees the reads)', async () => {
    const s = swapper();
    const reads = countTextReads();
    s.apply();
    await idle();
    expect(reads()).toBeGreaterThan(50);
  });

  it('a page changed between the pre-scan and the grant is swapped as it is at the grant', async () => {
    const s = swapper();
    s.prepare();
    await idle();
    // A candidate rewritten, one removed, a plain text that now holds a number, new content.
    $('a').firstChild!.textContent = 'Ring 555 123 4567 today';
    $('b').remove();
    $('c').firstChild!.textContent = 'Opening hours: 555-123-4567';
    const added = document.createElement('p');
    added.id = 'd';
    added.textContent = 'Fax +1 555 123 4567';
    document.body.append(added);
    const lone = document.createElement('p');
    lone.id = 'e';
    document.body.append(lone);
    await idle();
    lone.append('Text 5551234567');
    s.apply();
    await idle();
    expect($('a').textContent).toBe('Ring 888 999 0000 today');
    expect($('c').textContent).toBe('Opening hours: 888-999-0000');
    expect($('d').textContent).toBe('Fax +1 888 999 0000');
    expect($('e').textContent).toBe('Text 8889990000');
    s.restore();
    expect($('a').textContent).toBe('Ring 555 123 4567 today');
    expect($('e').textContent).toBe('Text 5551234567');
  });

  it('a candidate whose text changed while its section was out of the page is swapped as it is at the grant', async () => {
    const [a, b] = [$('a'), $('b')];
    const section = document.createElement('div');
    section.append(a, b);
    document.body.prepend(section);
    const s = swapper();
    s.prepare();
    await idle();
    // An app keeps a section aside (a cached route, a tab panel) and updates it there: the change
    // happens out of the page, where no observer sees it, and the section comes back.
    section.remove();
    await idle();
    a.firstChild!.textContent = 'Closed today, call (555) 123-4567 tomorrow';
    b.firstChild!.textContent = 'No second line any more';
    document.body.prepend(section);
    s.apply();
    await idle();
    expect([a.textContent, b.textContent]).toEqual([
      'Closed today, call (888) 999-0000 tomorrow',
      'No second line any more',
    ]);
    s.restore();
    expect([a.textContent, b.textContent]).toEqual([
      'Closed today, call (555) 123-4567 tomorrow',
      'No second line any more',
    ]);
  });

  it('a grant before the pre-scan finished swaps the whole page the usual way', async () => {
    const s = swapper();
    s.prepare();
    s.apply();
    await idle();
    expect($('a').textContent).toBe('Call (888) 999-0000 now');
    expect($('b').textContent).toBe('or 888.999.0000 after six');
  });
});

// What a read-ahead holds on a page that keeps changing before consent, seen by the collector.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const collected = async (refs: WeakRef<object>[]) => {
  vi.useRealTimers();
  for (let i = 0; i < 3; i++) {
    // A WeakRef holds its object until the end of the job that made or read it.
    await new Promise((r) => setTimeout(r, 0));
    gc();
  }
  return refs.filter((r) => !r.deref()).length;
};
const route = (main: HTMLElement, n: number) => {
  const items = Array.from({ length: 10 }, (_, i) => {
    const p = document.createElement('p');
    p.textContent = i % 2 ? `Route ${n}: call (555) 123-4567` : `Route ${n}, line ${i}`;
    return p;
  });
  main.replaceChildren(...items);
  return items;
};

describe('a read-ahead on a page that keeps changing', () => {
  // A swapper reading ahead (its first walk done) on a page with an empty <main> that will change.
  const readingAhead = async () => {
    const main = document.createElement('main');
    document.body.append(main);
    const s = swapper();
    s.prepare();
    await idle();
    return { main, s };
  };

  it('lets go of what the page removed: 1,000 routes later, every earlier route can be collected', {
    timeout: 30_000,
  }, async () => {
    const { main, s } = await readingAhead();
    const refs: WeakRef<object>[] = [];
    for (let n = 1; n <= 1000; n++) {
      for (const p of route(main, n)) refs.push(new WeakRef(p), new WeakRef(p.firstChild!));
      // The read-ahead's observer hears the changes in batches, as in a browser.
      if (!(n % 100)) await idle();
    }
    await idle();
    const earlier = refs.length - 20;
    expect(await collected(refs)).toBe(earlier);
    // And it is still good: the grant swaps the route on the page.
    vi.useFakeTimers();
    s.apply();
    await idle();
    expect(main.textContent).toContain('Route 1000: call (888) 999-0000');
    expect($('a').textContent).toBe('Call (888) 999-0000 now');
  });

  it('gives up past 1,000 added nodes it would have to look at: the grant walks the page, and nothing added is held', {
    timeout: 30_000,
  }, async () => {
    const { main, s } = await readingAhead();
    const refs: WeakRef<object>[] = [];
    // Content appended and kept (an endless feed): each paragraph is a change to look at.
    const kept: HTMLElement[] = [];
    for (let n = 0; n < 1500; n++) {
      const p = document.createElement('p');
      p.textContent = n % 100 ? `Item ${n}` : `Item ${n}: call 555-123-4567`;
      main.append(p);
      kept.push(p);
      if (!(n % 100)) await idle();
    }
    await idle();
    // Removed again all at once: a read-ahead still following the page would hold them all.
    main.replaceChildren();
    for (const p of kept.splice(0)) refs.push(new WeakRef(p));
    await idle();
    // (The engine may keep the last node it touched.)
    expect(await collected(refs)).toBeGreaterThanOrEqual(refs.length - 1);
    vi.useFakeTimers();
    main.append(Object.assign(document.createElement('p'), { textContent: 'Fax 555 123 4567' }));
    const reads = countTextReads();
    s.apply();
    await idle();
    // Given up, the grant walks the page as without a read-ahead.
    expect(reads()).toBeGreaterThan(50);
    expect(main.textContent).toBe('Fax 888 999 0000');
    expect($('b').textContent).toBe('or 888.999.0000 after six');
  });
});

describe('when call tracking reads ahead', () => {
  const start = (store: ConsentStore) => {
    const stop = startNumberInsertion(store, {
      targets: ['+15551234567'],
      rules: [{ direct: true, number: '+18889990000' }],
      url: 'https://shop.example/',
      referrer: '',
    });
    live.push({ restore: stop });
    return stop;
  };
  // What runs once the consent call has returned, before any task: the microtasks.
  const afterCall = () => Promise.resolve();

  it('undecided: the page is read while idle, and the grant then only writes', async () => {
    const store = createConsentStore();
    const reads = countTextReads();
    start(store);
    await idle();
    expect(reads()).toBeGreaterThan(50);
    const before = reads();
    store.set({ analytics: true });
    await idle();
    // Counted before the assertion below, which reads text too.
    expect(reads() - before).toBe(0);
    expect($('a').textContent).toBe('Call (888) 999-0000 now');
  });

  it('never after a refusal: no text node is read', async () => {
    const store = createConsentStore();
    store.rejectAll();
    const reads = countTextReads();
    start(store);
    await idle();
    expect(reads()).toBe(0);
  });

  it('never while GPC denies a sale/share category it is gated on', async () => {
    const store = createConsentStore({ gpc: true });
    const reads = countTextReads();
    const stop = startNumberInsertion(store, {
      targets: ['+15551234567'],
      rules: [{ direct: true, number: '+18889990000' }],
      category: 'advertising',
      url: 'https://shop.example/',
      referrer: '',
    });
    live.push({ restore: stop });
    await idle();
    expect(reads()).toBe(0);
  });

  it('a refusal stops a pre-scan under way', async () => {
    const store = createConsentStore();
    start(store);
    store.rejectAll();
    const reads = countTextReads();
    await idle();
    expect(reads()).toBe(0);
  });

  it('the grant writes the numbers once the consent call returns, before any task runs: nothing read again', async () => {
    const store = createConsentStore();
    start(store);
    await idle();
    const reads = countTextReads();
    store.set({ analytics: true });
    // Not inside the call: its caller's code runs first.
    expect(localStorage.getItem('consentline_dni')).toBeNull();
    // Fake timers: no task runs unless the test advances them, and it does not.
    await afterCall();
    expect(reads()).toBe(0);
    expect($('a').textContent).toBe('Call (888) 999-0000 now');
    expect($('b').textContent).toBe('or 888.999.0000 after six');
    expect(localStorage.getItem('consentline_dni')).toBeTruthy();
  });

  it('in the call, writing stops shortly after the grant was heard; the rest follows in the next task', async () => {
    const store = createConsentStore();
    start(store);
    await idle();
    // A very slow phone: every look at the clock finds 20 ms more gone.
    let clock = 0;
    const now = vi.spyOn(performance, 'now').mockImplementation(() => (clock += 20));
    store.set({ analytics: true });
    await afterCall();
    now.mockRestore();
    expect($('a').textContent).toBe('Call (888) 999-0000 now');
    expect($('b').textContent).toBe('or 555.123.4567 after six');
    vi.advanceTimersToNextTimer();
    expect($('b').textContent).toBe('or 888.999.0000 after six');
  });

  it('in the call, writing goes on for a few ms once it starts, however long after the grant was heard', async () => {
    const s = swapper();
    s.prepare();
    await idle();
    // Heard at 80 ms; the decision's other listeners took until 100 ms; each look at the clock
    // then finds 1 ms more gone.
    let clock = 100;
    const now = vi.spyOn(performance, 'now').mockImplementation(() => clock++);
    s.apply(80);
    now.mockRestore();
    expect($('a').textContent).toBe('Call (888) 999-0000 now');
    expect($('b').textContent).toBe('or 888.999.0000 after six');
  });

  it('in the call, only the texts are written: links and form tokens follow in the next task', async () => {
    $('a').insertAdjacentHTML(
      'afterend',
      '<a id="tel" href="tel:+15551234567">Call us</a><form data-consentline-form></form>',
    );
    const store = createConsentStore();
    start(store);
    await idle();
    store.set({ analytics: true });
    await afterCall();
    expect($('a').textContent).toBe('Call (888) 999-0000 now');
    expect($('b').textContent).toBe('or 888.999.0000 after six');
    expect($('tel').getAttribute('href')).toBe('tel:+15551234567');
    expect(document.querySelector('[name=consentline_token]')).toBeNull();
    vi.advanceTimersToNextTimer();
    expect($('tel').getAttribute('href')).toBe('tel:+18889990000');
    expect(document.querySelector('[name=consentline_token]')).not.toBeNull();
  });

  it('without a finished read-ahead, the grant walks the page in a task after the call', async () => {
    const store = createConsentStore();
    start(store);
    // No idle time: the read-ahead has not run.
    store.set({ analytics: true });
    await afterCall();
    expect(localStorage.getItem('consentline_dni')).toBeTruthy();
    expect($('a').textContent).toBe('Call (555) 123-4567 now');
    vi.advanceTimersToNextTimer();
    expect($('a').textContent).toBe('Call (888) 999-0000 now');
  });

  it('a grant withdrawn before the call returns starts nothing: no storage, no swap', async () => {
    const store = createConsentStore();
    start(store);
    await idle();
    const writes = vi.spyOn(Storage.prototype, 'setItem');
    store.set({ analytics: true });
    store.set({ analytics: false });
    await idle();
    expect(writes).not.toHaveBeenCalled();
    expect(localStorage.getItem('consentline_dni')).toBeNull();
    expect($('a').textContent).toBe('Call (555) 123-4567 now');
    writes.mockRestore();
  });

  it('a refusal followed at once by a grant is still acted on: the stored context is deleted, then the grant starts afresh', async () => {
    const store = createConsentStore();
    start(store);
    store.set({ analytics: true });
    await idle();
    expect(localStorage.getItem('consentline_dni')).toBeTruthy();
    const removes = vi.spyOn(Storage.prototype, 'removeItem');
    store.set({ analytics: false });
    store.set({ analytics: true });
    await idle();
    expect(removes.mock.calls.map((c) => c[0])).toContain('consentline_dni');
    expect(localStorage.getItem('consentline_dni')).toBeTruthy();
    expect($('a').textContent).toBe('Call (888) 999-0000 now');
    removes.mockRestore();
  });

  it('a grant already given at the start starts after the call, once the page has subscribed', async () => {
    const store = createConsentStore();
    store.set({ analytics: true });
    const stop = start(store);
    expect(stop.getNumber()).toBeUndefined();
    const heard: Array<string | undefined> = [];
    stop.subscribe((n) => heard.push(n['+15551234567']));
    await afterCall();
    expect(heard).toEqual(['+18889990000']);
    await idle();
    expect($('a').textContent).toBe('Call (888) 999-0000 now');
  });
});
