// Unit-free checks of the trace reading behind the bench's script time (no timings): `node --test bench/`.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { scriptTime } from './script-time.mjs';

const ORIGIN = 'http://127.0.0.1:1';
const main = { pid: 1, tid: 7 };
const x = (name, ts, dur, tdur, at = main) => ({ ph: 'X', name, ts, dur, tdur, ...at });
const parse = { ph: 'X', name: 'ParseHTML', ts: 0, dur: 5, ...main, args: { beginData: { url: `${ORIGIN}/p.html` } } };

test('microtasks count as script time, as the script that queued them does', () => {
  const events = [parse, x('EvaluateScript', 10, 4000, 3000), x('RunMicrotasks', 5000, 6000, 5000)];
  assert.deepEqual(scriptTime(events, ORIGIN), { cpu: 8, wall: 10 });
});

test('style and layout inside a script are left out; nested script events count once', () => {
  const events = [
    parse,
    x('EvaluateScript', 10, 10_000, 9000),
    x('FunctionCall', 100, 1000, 1000),
    x('UpdateLayoutTree', 2000, 3000, 2000),
    x('Layout', 2500, 1000, 1000),
  ];
  assert.deepEqual(scriptTime(events, ORIGIN), { cpu: 7, wall: 7 });
});

test("other threads and other pages' main threads do not count; no page, no figure", () => {
  const events = [parse, x('FunctionCall', 10, 2000, 2000), x('FunctionCall', 10, 9000, 9000, { pid: 2, tid: 7 })];
  assert.deepEqual(scriptTime(events, ORIGIN), { cpu: 2, wall: 2 });
  assert.ok(Number.isNaN(scriptTime([x('FunctionCall', 10, 2000, 2000)], ORIGIN).wall));
});
