// Checks of the bench's blocking time (no timings): `node --test bench/`.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addedBlockingTime, blockingTime } from './blocking-time.mjs';

test('only the part of a long task over 50 ms counts, and only inside the window', () => {
  const tasks = [
    [0, 120],
    [200, 40],
    [300, 90],
  ];
  assert.equal(blockingTime(tasks, 0, 1000), 70 + 40);
  // The first task ends 20 ms into the window: 20 of its 70 blocking ms fall inside it.
  assert.equal(blockingTime(tasks, 100, 1000), 20 + 40);
  assert.equal(blockingTime(tasks, 400, 1000), 0);
});

test('a window that never opened has no figure', () => {
  assert.equal(blockingTime([[0, 120]], null, 100), null);
  assert.equal(blockingTime([[0, 120]], 0, null), null);
});

test("a library's blocking time is what its script time adds over 50 ms in a task", () => {
  // 40 ms of its script in a 120 ms task: without it the task would still block 30 ms.
  assert.equal(addedBlockingTime(120, 40), 40);
  // 40 ms in a 70 ms task: without it the task is not long.
  assert.equal(addedBlockingTime(70, 40), 20);
  assert.equal(addedBlockingTime(45, 40), 0);
});
