// @vitest-environment happy-dom
// The script tag's deferred listeners (src/entries/boot/later.ts): each change a task later, in order.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createConsentStore } from '../../../src/core/store';
import { createLater, deferListeners } from '../../../src/entries/boot/later';

describe('deferListeners', () => {
  it('hears each change a task later, in order', async () => {
    const view = deferListeners(createConsentStore(), createLater(vi.fn()));
    const heard: boolean[] = [];
    view.subscribe((s) => heard.push(s.grants['analytics'] === true));
    view.acceptAll();
    view.rejectAll();
    expect(heard).toEqual([]);
    await new Promise((r) => setTimeout(r, 0));
    expect(heard).toEqual([true, false]);
  });

  it('a listener unsubscribed before its task runs hears nothing more', async () => {
    const view = deferListeners(createConsentStore(), createLater(vi.fn()));
    const listener = vi.fn();
    const off = view.subscribe(listener);
    view.acceptAll();
    off();
    await new Promise((r) => setTimeout(r, 0));
    expect(listener).not.toHaveBeenCalled();
  });
});

/** A queue holding a receipt for a load that never settles, its run begun: what it has run so far. */
const receiptWaiting = async (): Promise<string[]> => {
  vi.useFakeTimers();
  const later = createLater(vi.fn());
  later._private_hold(new Promise(() => {}));
  const ran: string[] = [];
  later(() => ran.push('receipt'));
  await vi.advanceTimersByTimeAsync(0);
  return ran;
};

describe('createLater', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('waits for what it is held by, then runs its tasks in order in a task of their own', async () => {
    vi.useFakeTimers();
    const later = createLater(vi.fn());
    let loaded = () => {};
    later._private_hold(new Promise<void>((done) => (loaded = done)));
    const ran: string[] = [];
    later(() => ran.push('first'));
    later(() => ran.push('second'));
    await vi.advanceTimersByTimeAsync(100);
    expect(ran).toEqual([]);
    loaded();
    await Promise.resolve();
    expect(ran).toEqual([]);
    await vi.advanceTimersByTimeAsync(0);
    expect(ran).toEqual(['first', 'second']);
  });

  it('waits no longer than a moment for what never settles, and only once; not at all for what has settled', async () => {
    vi.useFakeTimers();
    const later = createLater(vi.fn());
    later._private_hold(new Promise(() => {}));
    const ran: number[] = [];
    later(() => ran.push(1));
    await vi.advanceTimersByTimeAsync(150);
    expect(ran).toEqual([]);
    await vi.advanceTimersByTimeAsync(60);
    expect(ran).toEqual([1]);

    // What never settled held that run only.
    later(() => ran.push(3));
    await vi.advanceTimersByTimeAsync(0);
    expect(ran).toEqual([1, 3]);

    const settled = createLater(vi.fn());
    settled._private_hold(Promise.resolve());
    await Promise.resolve();
    settled(() => ran.push(2));
    await vi.advanceTimersByTimeAsync(0);
    expect(ran).toEqual([1, 3, 2]);
  });

  it.each([
    ['left (pagehide)', () => window.dispatchEvent(new Event('pagehide'))],
    [
      'hidden',
      () => {
        Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
        document.dispatchEvent(new Event('visibilitychange'));
      },
    ],
  ])('a page %s while the queue waits runs it at once, and once', async (_, leave) => {
    const ran = await receiptWaiting();
    expect(ran).toEqual([]);
    leave();
    expect(ran).toEqual(['receipt']);
    await vi.advanceTimersByTimeAsync(300);
    window.dispatchEvent(new Event('pagehide'));
    expect(ran).toEqual(['receipt']);
    Reflect.deleteProperty(document, 'visibilityState');
  });

  it('a page shown again while the queue waits keeps waiting', async () => {
    const ran = await receiptWaiting();
    document.dispatchEvent(new Event('visibilitychange'));
    expect(ran).toEqual([]);
    await vi.advanceTimersByTimeAsync(250);
    expect(ran).toEqual(['receipt']);
  });
});
