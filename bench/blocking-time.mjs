// Total blocking time over a window of a load: the part over 50 ms of each long task, counted only
// for the time the task spent inside the window (https://web.dev/articles/tbt).

/**
 * Blocking time of `longTasks` ([start, duration] pairs, ms) between `from` and `to`; null when
 * either end is missing (no FCP, or no banner).
 */
export function blockingTime(longTasks, from, to) {
  if (from === null || from === undefined || to === null || to === undefined) return null;
  let total = 0;
  for (const [start, duration] of longTasks) {
    const inside = Math.min(start + duration, to) - Math.max(start, from);
    if (inside > 0 && duration > 50) total += Math.min(duration - 50, inside);
  }
  return total;
}

/**
 * The blocking time a script adds to one task: the task's part over 50 ms, less what that part
 * would be without the script's `scriptMs` in it.
 */
export const addedBlockingTime = (duration, scriptMs) =>
  Math.max(0, duration - 50) - Math.max(0, duration - scriptMs - 50);
