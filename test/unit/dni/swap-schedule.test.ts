import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runInTasks, type Phase } from '../../../src/dni/swap-schedule';

// Runs each task through, reporting an exception as the swapper does.
const guarded =
  (errors: unknown[], after: () => void = () => {}) =>
  (task: () => void) => {
    try {
      task();
    } catch (error) {
      errors.push(error);
    }
    after();
  };

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('runInTasks: phases run one share per task, each in a task of its own', () => {
  it('runs nothing inside the call, then one share per task until a phase says it is done', async () => {
    const log: string[] = [];
    let left = 3;
    const last: Phase = () => {
      log.push('last');
      return undefined;
    };
    const first: Phase = () => {
      log.push(`first ${left}`);
      return --left ? first : last;
    };
    runInTasks(first, guarded([]));
    expect(log).toEqual([]);
    await vi.advanceTimersToNextTimerAsync();
    expect(log).toEqual(['first 3']);
    await vi.runAllTimersAsync();
    expect(log).toEqual(['first 3', 'first 2', 'first 1', 'last']);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('gives each share the time its task started', async () => {
    vi.spyOn(performance, 'now').mockReturnValue(1234);
    const starts: number[] = [];
    runInTasks((start) => {
      starts.push(start);
      return undefined;
    }, guarded([]));
    await vi.runAllTimersAsync();
    expect(starts).toEqual([1234]);
    vi.restoreAllMocks();
  });

  it('the cancel stops every task not yet run', async () => {
    let shares = 0;
    const forever: Phase = () => {
      shares++;
      return forever;
    };
    const cancel = runInTasks(forever, guarded([]));
    await vi.advanceTimersToNextTimerAsync();
    await vi.advanceTimersToNextTimerAsync();
    cancel();
    await vi.runAllTimersAsync();
    expect(shares).toBe(2);
  });

  it('an exception is reported and ends the work; the guard runs after every task', async () => {
    const errors: unknown[] = [];
    let after = 0;
    let shares = 0;
    const failing: Phase = () => {
      shares++;
      if (shares === 2) throw new Error('boom');
      return failing;
    };
    runInTasks(
      failing,
      guarded(errors, () => after++),
    );
    await vi.runAllTimersAsync();
    expect(shares).toBe(2);
    expect(errors).toEqual([new Error('boom')]);
    expect(after).toBe(2);
  });
});
