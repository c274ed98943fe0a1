// Counts what a page has running on its window and document (event listeners by type) and its
// open BroadcastChannels, so a binding's test can see a leaked or doubled cross-tab watch
// (StrictMode, unmount). Call the returned stop to put the originals back.
import { vi } from 'vitest';

/** What is running now, as `{ 'window focus': 1, channels: 1 }` (zero counts left out). */
export interface PageListeners {
  running(): Record<string, number>;
  stop(): void;
}

export function countPageListeners(): PageListeners {
  const counts = new Map<string, number>();
  const bump = (key: string, by: number) => counts.set(key, (counts.get(key) ?? 0) + by);
  const spies = (['window', 'document'] as const).flatMap((name) => {
    const target: EventTarget = name === 'window' ? window : document;
    const add = target.addEventListener.bind(target);
    const remove = target.removeEventListener.bind(target);
    return [
      vi.spyOn(target, 'addEventListener').mockImplementation((type, listener, options) => {
        bump(`${name} ${type}`, 1);
        add(type, listener, options);
      }),
      vi.spyOn(target, 'removeEventListener').mockImplementation((type, listener, options) => {
        bump(`${name} ${type}`, -1);
        remove(type, listener, options);
      }),
    ];
  });
  const Channel = globalThis.BroadcastChannel;
  globalThis.BroadcastChannel = class extends Channel {
    constructor(name: string) {
      super(name);
      bump('channels', 1);
    }
    override close(): void {
      bump('channels', -1);
      super.close();
    }
  };
  return {
    running: () => Object.fromEntries([...counts].filter(([, n]) => n !== 0)),
    stop() {
      for (const spy of spies) spy.mockRestore();
      globalThis.BroadcastChannel = Channel;
    },
  };
}
