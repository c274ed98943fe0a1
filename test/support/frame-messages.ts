// A frame as a postMessage call sees it: a `source` window that records what is posted back.

/**
 * A stand-in for another frame's window: `got` is everything posted to it, `to` the target origin
 * each was posted for; `parent` is the window that holds it (a frame of that window), if any.
 */
export const frame = (parent?: unknown) => ({
  got: [] as unknown[],
  to: [] as unknown[],
  parent,
  postMessage(m: unknown, targetOrigin?: unknown) {
    this.got.push(m);
    this.to.push(targetOrigin);
  },
});

/** Dispatches a `message` event on this window, as if `source` had posted `data` from a document of `origin`. */
export const post = (data: unknown, source: unknown, origin = '') =>
  window.dispatchEvent(new MessageEvent('message', { data, source: source as Window, origin }));
