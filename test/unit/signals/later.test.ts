// The script tag's deferred listeners (src/entries/boot/later.ts): each change a task later, in order.
import { describe, expect, it, vi } from 'vitest';
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
