// A task of its own for work that must come soon, but not in the task running now.
// `scheduler.postTask` at `user-blocking` priority runs ahead of the page's queued timers and
// messages (https://wicg.github.io/scheduling-apis/#sec-task-priorities); without it, a timer.

import { noop } from '../core/env.js';

type PostTask = (task: () => void, options: { priority: 'user-blocking' }) => Promise<unknown>;

/** Runs `task` in a later task (errors go to `onError`, never to the page); returns its cancel. */
export const inOwnTask = (task: () => void, onError: (error: unknown) => void): (() => void) =>
  startOnce(task, onError, false);

/**
 * Runs `task` once, in a later task or in the next frame's animation callbacks, whichever comes
 * first: Chromium runs a frame ahead of queued tasks when the page has gone long without one
 * (its parsing at a slow CPU), and what is drawn there is painted in that frame.
 */
export const inOwnTaskOrFrame = (task: () => void, onError: (error: unknown) => void): (() => void) =>
  startOnce(task, onError, true);

function startOnce(task: () => void, onError: (error: unknown) => void, frame: boolean): () => void {
  let live = true;
  const run = () => {
    if (!live) return;
    live = false;
    try {
      task();
    } catch (error) {
      onError(error);
    }
  };
  const scheduler = (globalThis as { scheduler?: { postTask?: PostTask } }).scheduler;
  if (typeof scheduler?.postTask === 'function') scheduler.postTask(run, { priority: 'user-blocking' });
  else setTimeout(run, 0);
  let cancelFrame = noop;
  if (frame) {
    const id = requestAnimationFrame(run);
    cancelFrame = () => cancelAnimationFrame(id);
  }
  return () => {
    live = false;
    cancelFrame();
  };
}
