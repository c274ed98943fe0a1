// A frame as a postMessage call sees it: a `source` window that records what is posted back.

/** A stand-in for another frame's window: `got` is everything posted to it. */
export const frame = () => ({
  got: [] as unknown[],
  postMessage(m: unknown) {
    this.got.push(m);
  },
});

/** Dispatches a `message` event on this window, as if `source` had posted `data`. */
export const post = (data: unknown, source: unknown) =>
  window.dispatchEvent(new MessageEvent('message', { data, source: source as Window }));
