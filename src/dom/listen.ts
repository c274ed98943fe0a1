// Listening and dispatching through EventTarget.prototype: a <form name="addEventListener"> or
// <form name="dispatchEvent"> shadows the document's own, and a form's control of that name the
// form's own.

/** Adds a listener; returns its removal. */
export const on = (
  target: EventTarget,
  type: string,
  fn: (e: Event) => void,
  options?: AddEventListenerOptions,
): (() => void) => {
  EventTarget.prototype.addEventListener.call(target, type, fn, options);
  return () => EventTarget.prototype.removeEventListener.call(target, type, fn, options);
};

/** Dispatches `event` on `target`. */
export const dispatch = (target: EventTarget, event: Event): boolean =>
  EventTarget.prototype.dispatchEvent.call(target, event);
