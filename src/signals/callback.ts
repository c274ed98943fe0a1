/** A page's callback for `__gpp` and `__uspapi`: `(data, success)`. */
export type Callback = (data: unknown, success: boolean) => void;

/** Calls a page's callback for `__gpp` and `__uspapi`; its own failure is not ours to surface. */
export const call = (cb: Callback, data: unknown, ok = true): void => {
  try {
    cb(data, ok);
  } catch {
    // The caller's own callback failing is not ours to surface.
  }
};
