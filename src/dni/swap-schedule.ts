// Work on the whole page is done in tasks of its own, each a few milliseconds long, so that none
// of them (nor the consent call that started it) grows into a long task on a slow phone.

/**
 * One phase of the work: does one task's share of it, given the time that task started
 * (`performance.now()`), and returns the phase the next task runs (itself to go on), or
 * undefined when the work is done.
 */
export type Phase = (taskStart: number) => Phase | undefined;

/**
 * Runs `first` in a task of its own right after the call (or, with `now`, in the call), and each
 * phase it leads to in the task after, each through `guard` (which reports an exception: it ends
 * the work). Returns the cancel: no task runs anything after it.
 */
export function runInTasks(first: Phase, guard: (task: () => void) => void, now = false): () => void {
  let live = true;
  const step = (phase: Phase): void => {
    if (live) {
      guard(() => {
        const next = phase(performance.now());
        if (next) run(next);
      });
    }
  };
  const run = (phase: Phase): void => {
    setTimeout(() => step(phase));
  };
  if (now) step(first);
  else run(first);
  return () => {
    live = false;
  };
}
