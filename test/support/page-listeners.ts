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
  const add = window.addEventListener.bind(window);
  const remove = window.removeEventListener.bind(window);
  // The document's are counted on EventTarget.prototype: the SDK listens there, past page content
  // that shadows document.addEventListener (src/dom/listen.ts), and document's own method is it.
  const { addEventListener: protoAdd, removeEventListener: protoRemove } = EventTarget.prototype;
  const spies = [
    vi.spyOn(window, 'addEventListener').mockImplementation((type, listener, options) => {
      bump(`window ${type}`, 1);
      add(type, listener, options);
    }),
    vi.spyOn(window, 'removeEventListener').mockImplementation((type, listener, options) => {
      bump(`window ${type}`, -1);
      remove(type, listener, options);
    }),
    vi.spyOn(EventTarget.prototype, 'addEventListener').mockImplementation(function (
      this: EventTarget,
      type,
      listener,
      options,
    ) {
      if (this === document) bump(`document ${type}`, 1);
      protoAdd.call(this, type, listener, options);
    }),
    vi.spyOn(EventTarget.prototype, 'removeEventListener').mockImplementation(function (
      this: EventTarget,
      type,
      listener,
      options,
    ) {
      if (this === document) bump(`document ${type}`, -1);
      protoRemove.call(this, type, listener, options);
    }),
  ];
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
