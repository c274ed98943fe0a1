// @vitest-environment happy-dom
// @vitest-environment-options { "url": "https://shop.example.com/page" }
import Cookies from 'js-cookie';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createConsentStore } from '../../../src/core/store';
import { createCookieStorage } from '../../../src/storage/cookie-storage';

afterEach(() => {
  vi.restoreAllMocks();
  for (const pair of document.cookie.split('; ')) {
    const name = pair.split('=')[0]!;
    for (const domain of ['', ';domain=example.com'])
      for (const path of ['/', '/page']) document.cookie = `${name}=;max-age=-1;path=${path}${domain};secure`;
  }
});

const RECORD = '1~1~abcdefghij~x~y~b~0~analytics:1';
const names = () =>
  document.cookie
    .split('; ')
    .filter(Boolean)
    .map((pair) => pair.split('=')[0]);

describe('createCookieStorage', () => {
  it('writes __Host-<name>, SameSite=Lax, Secure, Path=/, this host only, with the given expiry, and reads it back', () => {
    const set = vi.spyOn(Cookies, 'set');
    const storage = createCookieStorage({ name: 'c' });
    const expires = Date.now() + 86_400_000;
    storage.write('1~1~abcdefghij~x~y~b~0~analytics:1', expires);
    expect(set).toHaveBeenCalledWith('__Host-c', '1~1~abcdefghij~x~y~b~0~analytics:1', {
      path: '/',
      sameSite: 'Lax',
      secure: true,
      expires: new Date(expires),
    });
    expect(storage.read()).toBe('1~1~abcdefghij~x~y~b~0~analytics:1');
    expect(storage.readCopies!()).toEqual([{ value: '1~1~abcdefghij~x~y~b~0~analytics:1', source: 'current' }]);
    storage.remove();
    expect(storage.read()).toBeUndefined();
  });

  it('falls back to memory when the cookie does not stick', () => {
    vi.spyOn(Cookies, 'set').mockImplementation(() => undefined);
    const storage = createCookieStorage({ name: 'c' });
    storage.write('value', Date.now() + 1000);
    expect(storage.read()).toBe('value');
    expect(document.cookie).toBe('');
  });

  it('reads two disagreeing cookies of the same name as no value', () => {
    vi.spyOn(Object.getPrototypeOf(document), 'cookie', 'get').mockReturnValue('c=one; other=x; c=two');
    expect(createCookieStorage({ name: 'c' }).read()).toBeUndefined();
  });

  it('reads a cookie that cannot be decoded as garbage, not as a throw', () => {
    vi.spyOn(Object.getPrototypeOf(document), 'cookie', 'get').mockReturnValue('c=%E0%A4%A');
    expect(createCookieStorage({ name: 'c' }).read()).toBe('\u0000');
  });

  it('a document whose cookie getter throws reads as no value', () => {
    vi.spyOn(Object.getPrototypeOf(document), 'cookie', 'get').mockImplementation(() => {
      throw new DOMException('denied', 'SecurityError');
    });
    expect(createCookieStorage({ name: 'c' }).read()).toBeUndefined();
  });

  it('with a domain writes __Secure-<name> on that domain', () => {
    const set = vi.spyOn(Cookies, 'set');
    const storage = createCookieStorage({ name: 'c', domain: 'example.com' });
    storage.write(RECORD, Date.now() + 86_400_000);
    expect(set.mock.calls[0]![0]).toBe('__Secure-c');
    expect(set.mock.calls[0]![2]).toMatchObject({ domain: 'example.com', secure: true, path: '/' });
    expect(storage.readCopies!()).toEqual([{ value: RECORD, source: 'current' }]);
  });

  it('reads an unprefixed cookie of this host as legacy and one a sibling set on the parent domain as foreign', () => {
    document.cookie = 'c=mine; path=/; secure';
    document.cookie = 'c=tossed; path=/; domain=example.com; secure';
    document.cookie = '__Secure-c=tossed2; path=/; domain=example.com; secure';
    const copies = createCookieStorage({ name: 'c' }).readCopies!();
    expect(copies).toEqual(
      expect.arrayContaining([
        { value: 'mine', source: 'legacy' },
        { value: 'tossed', source: 'foreign' },
        { value: 'tossed2', source: 'foreign' },
      ]),
    );
    expect(copies).toHaveLength(3);
  });

  it('with a domain, every earlier name of the site is its own (legacy), not foreign', () => {
    document.cookie = 'c=old; path=/; domain=example.com; secure';
    document.cookie = '__Host-c=host; path=/; secure';
    const copies = createCookieStorage({ name: 'c', domain: 'example.com' }).readCopies!();
    expect(copies).toEqual(
      expect.arrayContaining([
        { value: 'old', source: 'legacy' },
        { value: 'host', source: 'legacy' },
      ]),
    );
  });

  it("a write clears this site's copies in the way (another path, an older name) and leaves a sibling's on the parent domain", () => {
    document.cookie = 'c=tossed; path=/; domain=example.com; secure';
    document.cookie = '__Secure-c=shared; path=/page; domain=example.com; secure';
    document.cookie = 'c=old; path=/; secure';
    document.cookie = 'c=older; path=/page; secure';
    const storage = createCookieStorage({ name: 'c' });
    storage.write(RECORD, Date.now() + 86_400_000);
    expect(document.cookie.split('; ').sort()).toEqual([`__Host-c=${RECORD}`, '__Secure-c=shared', 'c=tossed']);
    expect(storage.readCopies!()).toEqual(
      expect.arrayContaining([
        { value: RECORD, source: 'current' },
        { value: 'tossed', source: 'foreign' },
        { value: 'shared', source: 'foreign' },
      ]),
    );
  });

  it('with a domain, a write clears copies on that domain and on this host, which are all its own', () => {
    document.cookie = 'c=old; path=/; domain=example.com; secure';
    document.cookie = '__Host-c=host; path=/; secure';
    const storage = createCookieStorage({ name: 'c', domain: 'example.com' });
    storage.write(RECORD, Date.now() + 86_400_000);
    expect(names()).toEqual(['__Secure-c']);
  });

  it('remove() deletes every copy under every name', () => {
    document.cookie = 'c=tossed; path=/; domain=example.com; secure';
    const storage = createCookieStorage({ name: 'c' });
    storage.write(RECORD, Date.now() + 86_400_000);
    document.cookie = 'c=again; path=/page; domain=example.com; secure';
    storage.remove();
    expect(document.cookie).toBe('');
  });

  it('read() gives a value only when every copy agrees', () => {
    const storage = createCookieStorage({ name: 'c' });
    storage.write(RECORD, Date.now() + 86_400_000);
    expect(storage.read()).toBe(RECORD);
    document.cookie = 'c=other; path=/; domain=example.com; secure';
    expect(storage.read()).toBeUndefined();
  });
});

describe('the channel that tells other tabs', () => {
  it('is closed once nothing watches: a change told after the watch stopped opens none that stays open', () => {
    const open = new Set<string>();
    let made = 0;
    class FakeChannel {
      readonly id = String(made++);
      sent: unknown[] = [];
      constructor(readonly name: string) {
        open.add(this.id);
      }
      postMessage(message: unknown) {
        if (!open.has(this.id)) throw new Error('closed');
        this.sent.push(message);
      }
      addEventListener() {}
      removeEventListener() {}
      close() {
        open.delete(this.id);
      }
    }
    vi.stubGlobal('BroadcastChannel', FakeChannel);
    try {
      const storage = createCookieStorage({ name: 'c' });
      const stop = storage.watch!(() => {});
      storage.notify!();
      expect(open.size).toBe(1);
      stop();
      expect(open.size).toBe(0);
      storage.notify!();
      storage.notify!();
      expect(open.size).toBe(0);
    } finally {
      vi.unstubAllGlobals();
    }
  });
});

describe('two watches of one storage', () => {
  // Channels of one name in one process hear each other, as tabs do; a closed one hears nothing.
  const hub = () => {
    const open = new Set<{ name: string; listeners: Set<(e: unknown) => void> }>();
    class HubChannel {
      listeners = new Set<(e: unknown) => void>();
      constructor(readonly name: string) {
        open.add(this);
      }
      postMessage(data: unknown) {
        if (!open.has(this)) throw new Error('InvalidStateError');
        for (const other of open)
          if (other !== this && other.name === this.name) for (const l of other.listeners) l({ data });
      }
      addEventListener(_type: string, l: (e: unknown) => void) {
        this.listeners.add(l);
      }
      removeEventListener(_type: string, l: (e: unknown) => void) {
        this.listeners.delete(l);
      }
      close() {
        open.delete(this);
      }
    }
    return { open, HubChannel };
  };

  it('the other watch still hears other tabs after one stops, and the channel closes after the last', () => {
    const { open, HubChannel } = hub();
    vi.stubGlobal('BroadcastChannel', HubChannel);
    try {
      const storage = createCookieStorage({ name: 'c' });
      const heardA = vi.fn();
      const heardB = vi.fn();
      const stopA = storage.watch!(heardA);
      const stopB = storage.watch!(heardB);
      stopA();
      const otherTab = createCookieStorage({ name: 'c' });
      otherTab.notify!();
      expect(heardB).toHaveBeenCalledTimes(1);
      expect(heardA).not.toHaveBeenCalled();
      // This tab's own change is not heard by its own watch.
      storage.notify!();
      expect(heardB).toHaveBeenCalledTimes(1);
      const stopC = storage.watch!(heardA);
      stopB();
      otherTab.notify!();
      expect(heardA).toHaveBeenCalledTimes(1);
      storage.notify!();
      expect(heardA).toHaveBeenCalledTimes(1);
      stopC();
      stopC();
      expect(open.size).toBe(0);
    } finally {
      vi.unstubAllGlobals();
    }
  });
});

describe("a store's decision written to the cookie", () => {
  it("the store's listeners hear it before the cookie is read back; the call returns with it checked and told", () => {
    document.cookie = 'c=old; path=/; secure';
    const storage = createCookieStorage({ name: 'c' });
    const store = createConsentStore({ storage });
    const reads = vi.spyOn(Object.getPrototypeOf(document), 'cookie', 'get');
    const told = vi.spyOn(storage, 'notify');
    const heard: Array<{ reads: number; told: number }> = [];
    store.subscribe(() => heard.push({ reads: reads.mock.calls.length, told: told.mock.calls.length }));
    reads.mockClear();
    store.acceptAll('banner');
    // A listener that requests held-back scripts does so before a synchronous read of the cookie
    // jar, which in a browser waits for the network process.
    expect(heard).toEqual([{ reads: 0, told: 0 }]);
    // The check ran before acceptAll returned: the older copy in the way is gone.
    expect(reads).toHaveBeenCalled();
    expect(names()).toEqual(['__Host-c']);
    expect(told).toHaveBeenCalledTimes(1);
    expect(storage.read()).toBe(document.cookie.slice('__Host-c='.length));
  });

  it('with `defer`, a grant leaves the cookie check and the tab notice to it; a read before it runs the check first', () => {
    document.cookie = 'c=old; path=/; secure';
    const storage = createCookieStorage({ name: 'c' });
    const queued: Array<() => void> = [];
    const store = createConsentStore({ storage, defer: (task) => queued.push(task) });
    const reads = vi.spyOn(Object.getPrototypeOf(document), 'cookie', 'get');
    const told = vi.spyOn(storage, 'notify');
    reads.mockClear();
    store.acceptAll('banner');
    expect([reads.mock.calls.length, told.mock.calls.length, queued.length]).toEqual([0, 0, 1]);
    queued.shift()!();
    expect(reads).toHaveBeenCalled();
    expect(names()).toEqual(['__Host-c']);
    expect(told).toHaveBeenCalledTimes(1);
    // The next grant's check is run by a read that comes before its task.
    store.set({ social: true }, 'preferences');
    reads.mockClear();
    document.cookie = 'c=stray; path=/; secure';
    expect(storage.read()).toBe(document.cookie.slice('__Host-c='.length));
    expect(names()).toEqual(['__Host-c']);
    queued.shift()!();
    expect(told).toHaveBeenCalledTimes(2);
  });

  it('with `defer`, a decision that withdraws a category is checked and told before the call returns', () => {
    const storage = createCookieStorage({ name: 'c' });
    const queued: Array<() => void> = [];
    const store = createConsentStore({ storage, defer: (task) => queued.push(task) });
    store.acceptAll('banner');
    queued.shift()!();
    const told = vi.spyOn(storage, 'notify');
    document.cookie = 'c=old; path=/; secure';
    store.set({ analytics: false }, 'preferences');
    expect(queued).toEqual([]);
    expect(told).toHaveBeenCalledTimes(1);
    expect(names()).toEqual(['__Host-c']);
    store.rejectAll('banner');
    expect(queued).toEqual([]);
    expect(told).toHaveBeenCalledTimes(2);
  });

  it('a listener that decides again is not undone by the first decision still waiting for its check', () => {
    const storage = createCookieStorage({ name: 'c' });
    const store = createConsentStore({ storage });
    const off = store.subscribe((s) => {
      if (s.grants.analytics) {
        off();
        store.rejectAll('api');
      }
    });
    store.acceptAll('banner');
    expect(store.get().grants.analytics).toBe(false);
    expect(createConsentStore({ storage: createCookieStorage({ name: 'c' }) }).get().grants.analytics).toBe(false);
    expect(names()).toEqual(['__Host-c']);
  });

  it('a read while the check waits runs it first', () => {
    vi.spyOn(Cookies, 'set').mockImplementation(() => undefined);
    const storage = createCookieStorage({ name: 'c' });
    const store = createConsentStore({ storage });
    let seen: string | undefined = 'unread';
    store.subscribe(() => {
      seen = storage.read();
    });
    store.acceptAll('banner');
    // The cookie did not stick: the check fell back to memory before the listener's read.
    expect(seen).toBe(storage.read());
    expect(seen).toBeDefined();
    expect(store.refresh().grants.analytics).toBe(true);
  });
});
