// Script time of one page load from a Chrome trace (category `devtools.timeline`): the
// outermost script events on the page's main thread (EvaluateScript, FunctionCall, v8.compile and
// RunMicrotasks), without the style recalcs and layouts nested in them. CDP's ScriptDuration
// (Performance.getMetrics) leaves out style and layout too, but it also leaves out every promise
// callback and queueMicrotask: a library whose start is an async function does most of its work
// in microtasks, which that metric never counts. This one counts them; for code that runs no
// microtasks the two agree. `wall` is the elapsed time, `cpu` the thread's CPU time, which other
// processes holding the cores of a shared machine do not stretch.
export const TRACE_CATEGORIES = ['devtools.timeline'];

const SCRIPT = new Set(['EvaluateScript', 'FunctionCall', 'v8.compile', 'RunMicrotasks']);
const STYLE = new Set(['UpdateLayoutTree', 'Layout']);

/** { cpu, wall } script ms of the page at `origin` in one trace's events. */
export function scriptTime(events, origin) {
  const main = events.find((e) => e.name === 'ParseHTML' && String(e.args?.beginData?.url ?? '').startsWith(origin));
  if (!main) return { cpu: Number.NaN, wall: Number.NaN };
  const own = events
    .filter((e) => e.ph === 'X' && e.pid === main.pid && e.tid === main.tid && e.dur !== undefined)
    .sort((a, b) => a.ts - b.ts || b.dur - a.dur);
  let cpuUs = 0;
  let wallUs = 0;
  let script = null;
  let style = null;
  for (const e of own) {
    if (script && e.ts >= script.ts + script.dur) script = null;
    if (style && e.ts >= style.ts + style.dur) style = null;
    if (!script && SCRIPT.has(e.name)) {
      script = e;
      cpuUs += e.tdur ?? e.dur;
      wallUs += e.dur;
    } else if (script && !style && STYLE.has(e.name)) {
      style = e;
      cpuUs -= e.tdur ?? e.dur;
      wallUs -= e.dur;
    }
  }
  return { cpu: cpuUs / 1000, wall: wallUs / 1000 };
}
