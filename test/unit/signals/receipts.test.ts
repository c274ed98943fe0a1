// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMemoryStorage } from '../../../src/core/memory-storage';
import { createConsentStore, type ConsentStore } from '../../../src/core/store';
import { createReceiptSender, type ConsentReceipt, type ReceiptOptions } from '../../../src/signals/receipts';

const KEY = 'consentline_receipts';

interface FakeWindow {
  win: Window;
  sent: ConsentReceipt[];
  calls: Array<{ url: string; init: RequestInit }>;
  /** Status the next sends answer with (`'offline'` rejects). */
  answer: (status: number | 'offline') => void;
  emit: (type: string) => void;
}

/** A window with fetch, localStorage, location and events, and a user agent. */
function fakeWindow(userAgent = 'Mozilla/5.0 Chrome/156'): FakeWindow {
  let status: number | 'offline' = 204;
  const sent: ConsentReceipt[] = [];
  const calls: FakeWindow['calls'] = [];
  const listeners = new Map<string, Set<() => void>>();
  const fetch = vi.fn(async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    if (status === 'offline') throw new TypeError('Failed to fetch');
    if (status < 300) sent.push(JSON.parse(String(init.body)) as ConsentReceipt);
    return { status } as Response;
  });
  const win = {
    fetch,
    localStorage: window.localStorage,
    location: { origin: 'https://site.example' },
    navigator: { userAgent },
    addEventListener: (type: string, fn: () => void) => {
      if (!listeners.has(type)) listeners.set(type, new Set());
      listeners.get(type)!.add(fn);
    },
    removeEventListener: (type: string, fn: () => void) => listeners.get(type)?.delete(fn),
  } as unknown as Window;
  return {
    win,
    sent,
    calls,
    answer: (s) => {
      status = s;
    },
    emit: (type) => listeners.get(type)?.forEach((fn) => fn()),
  };
}

interface SenderOptions extends Omit<ReceiptOptions, 'endpoint' | 'win'> {
  /** @default '/r' */
  endpoint?: string;
  /** @default a new store with no decision */
  store?: ConsentStore;
  /** Status the endpoint answers with from the start (`'offline'` rejects). @default 204 */
  status?: number | 'offline';
  /** @default a desktop Chrome */
  userAgent?: string;
}

interface StartedSender extends FakeWindow {
  store: ConsentStore;
  /** The sender's cleanup. */
  stop: () => void;
}

/** Starts a receipt sender on a store, in a fake window whose endpoint answers `status`. */
function startSender(options: SenderOptions = {}): StartedSender {
  const { endpoint = '/r', store = createConsentStore(), status = 204, userAgent, ...receiptOptions } = options;
  const fake = fakeWindow(userAgent);
  fake.answer(status);
  const stop = createReceiptSender(store, { ...receiptOptions, endpoint, win: fake.win });
  return { ...fake, store, stop };
}

const queued = (): unknown[] => JSON.parse(localStorage.getItem(KEY) || '[]');

beforeEach(() => {
  vi.useFakeTimers();
  localStorage.clear();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('createReceiptSender', () => {
  it('sends nothing and stores nothing before a decision', async () => {
    const w = startSender();
    await vi.runAllTimersAsync();
    expect(w.calls).toEqual([]);
    expect(localStorage.getItem(KEY)).toBeNull();
    w.stop();
  });

  it('sends one record per decision: id, time, revision, grants, method, gpc, regime and origin, nothing about the visitor', async () => {
    const w = startSender({
      endpoint: 'https://collect.example/r',
      store: createConsentStore({ revision: 3, now: () => Date.UTC(2026, 0, 1) }),
    });
    const { decision } = w.store.set({ analytics: true }, 'preferences');
    await vi.runAllTimersAsync();
    expect(w.sent).toEqual([
      {
        v: 1,
        id: decision!.id,
        time: '2026-01-01T00:00:00.000Z',
        revision: 3,
        grants: { analytics: true, advertising: false, social: false },
        method: 'preferences',
        gpc: false,
        regime: 'opt-in',
        origin: 'https://site.example',
      },
    ]);
    expect(w.calls[0]!.url).toBe('https://collect.example/r');
    expect(w.calls[0]!.init).toMatchObject({
      method: 'POST',
      keepalive: true,
      credentials: 'omit',
      referrerPolicy: 'no-referrer',
    });
    // Delivered: nothing is left in storage.
    expect(localStorage.getItem(KEY)).toBeNull();
    w.stop();
  });

  it('does not send the decision that was already there when it started', async () => {
    const storage = createMemoryStorage();
    createConsentStore({ storage }).acceptAll();
    const w = startSender({ store: createConsentStore({ storage }) });
    await vi.runAllTimersAsync();
    expect(w.calls).toEqual([]);
    w.stop();
  });

  it('sends the decisions made before it started (`earlier`) first, oldest first, and the current one only once', async () => {
    const store = createConsentStore();
    const first = store.acceptAll('banner').decision!;
    const second = store.rejectAll('preferences').decision!;
    const w = startSender({ store, earlier: [first, second] });
    const third = store.set({ analytics: true }, 'api').decision!;
    await vi.runAllTimersAsync();
    expect(w.sent.map((r) => [r.id, r.method])).toEqual([
      [first.id, 'banner'],
      [second.id, 'preferences'],
      [third.id, 'api'],
    ]);
    w.stop();
  });

  it('keeps an undelivered record and retries with a doubling delay, then delivers it', async () => {
    const w = startSender({ status: 503, retryMs: 1000 });
    w.store.acceptAll();
    await vi.advanceTimersByTimeAsync(0);
    expect(w.calls).toHaveLength(1);
    expect(queued()).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(999);
    expect(w.calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(w.calls).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1999);
    expect(w.calls).toHaveLength(2);
    w.answer(204);
    await vi.advanceTimersByTimeAsync(1);
    expect(w.calls).toHaveLength(3);
    expect(w.sent).toHaveLength(1);
    expect(localStorage.getItem(KEY)).toBeNull();
    w.stop();
  });

  it('drops a record the endpoint refuses (4xx): retrying will not help', async () => {
    const w = startSender({ status: 400 });
    w.store.acceptAll();
    await vi.runAllTimersAsync();
    expect(w.calls).toHaveLength(1);
    expect(localStorage.getItem(KEY)).toBeNull();
    w.stop();
  });

  it('keeps a record the endpoint asks to be sent later (408, 425, 429: its rate limit) and delivers it', async () => {
    for (const status of [408, 425, 429]) {
      const w = startSender({ status, retryMs: 1000 });
      w.store.rejectAll();
      await vi.advanceTimersByTimeAsync(0);
      expect(queued()).toHaveLength(1);
      w.answer(204);
      await vi.advanceTimersByTimeAsync(1000);
      expect(w.sent.map((r) => r.grants['analytics'])).toEqual([false]);
      expect(localStorage.getItem(KEY)).toBeNull();
      w.stop();
    }
  });

  it('retries when the browser comes back online, and on the next page from the stored queue', async () => {
    const first = startSender({ status: 'offline', retryMs: 60_000 });
    first.store.rejectAll();
    await vi.advanceTimersByTimeAsync(0);
    first.stop();
    expect(queued()).toHaveLength(1);
    // The next page: a new sender finds the queue and delivers it.
    const next = startSender({ retryMs: 60_000 });
    await vi.advanceTimersByTimeAsync(0);
    expect(next.sent.map((r) => r.method)).toEqual(['api']);
    next.stop();
    // And `online` flushes without waiting for the backoff.
    const third = startSender({ status: 'offline', retryMs: 60_000 });
    third.store.acceptAll();
    await vi.advanceTimersByTimeAsync(0);
    third.answer(204);
    third.emit('online');
    await vi.advanceTimersByTimeAsync(0);
    expect(third.sent).toHaveLength(1);
    third.stop();
  });

  it('keeps at most the 20 newest records', async () => {
    const w = startSender({ status: 503, retryMs: 3_600_000 });
    for (let i = 0; i < 25; i++) w.store.set({ analytics: i % 2 === 0 });
    await vi.advanceTimersByTimeAsync(0);
    const q = queued() as ConsentReceipt[];
    expect(q).toHaveLength(20);
    expect(q.at(-1)!.id).toBe(w.store.get().decision!.id);
    w.stop();
  });

  it('reads an unreadable or hostile stored queue as empty or filtered, never throwing', async () => {
    for (const stored of ['{not json', '{"a":1}', '[null, 1, {"id": 2}, {"id": "ok", "v": 1}]']) {
      localStorage.setItem(KEY, stored);
      const w = startSender();
      await vi.advanceTimersByTimeAsync(0);
      expect(
        w.calls.map((c) => JSON.parse(String(c.init.body)).id),
        stored,
      ).toEqual(stored.includes('"ok"') ? ['ok'] : []);
      w.stop();
      localStorage.clear();
    }
  });

  it('a crawler gets no receipts: nothing queued, nothing sent', async () => {
    const w = startSender({ userAgent: 'Mozilla/5.0 (compatible; Googlebot/2.1)' });
    w.store.acceptAll();
    await vi.runAllTimersAsync();
    expect(w.calls).toEqual([]);
    expect(localStorage.getItem(KEY)).toBeNull();
    w.stop();
  });

  it('after cleanup, new decisions send nothing and no retry fires', async () => {
    const w = startSender({ status: 503, retryMs: 1000 });
    w.store.acceptAll();
    await vi.advanceTimersByTimeAsync(0);
    w.stop();
    w.store.rejectAll();
    await vi.advanceTimersByTimeAsync(120_000);
    expect(w.calls).toHaveLength(1);
  });
});
