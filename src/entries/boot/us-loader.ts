// The US frameworks in the script-tag build: on a visit they apply to, the SDK puts stubs of
// `__gpp` and `__uspapi` in place at once (tags right after it find both) and fetches dist/us.js,
// which installs the real APIs on the store and answers what the stubs kept. A visit they do not
// apply to gets neither API nor the file: a vendor finding no GPP or US Privacy API learns what
// `applicableSections: [-1]` and `1---` would tell it.
import { noop } from '../../core/env.js';
import { loadAddon } from './addon.js';
import { US_ADDON } from './addon-files.js';
import type { BootContext } from './context.js';
import type { startUsFrameworks, UsFrameworks } from './us.js';
import { installUsStubs } from './us-stubs.js';

/** Installs the stubs, fetches and starts dist/us.js on `ctx.later`; returns the cleanup. */
export function loadUsFrameworks(ctx: BootContext, frameworks: UsFrameworks): () => void {
  const stubs = installUsStubs(window, {
    gpp: !!frameworks.gpp,
    usp: !!frameworks.usp,
    cmpId: (frameworks.gpp && frameworks.gpp.cmpId) || 0,
  });
  let stop = noop;
  let stopped = false;
  void loadAddon('us', US_ADDON, ctx.tag).then((addon) => {
    if (stopped) return;
    const start = addon.kind === 'ready' && addon.value;
    if (typeof start !== 'function') {
      const reason = addon.kind === 'failed' ? addon.reason : `${US_ADDON.file} provided no function`;
      ctx.warn(`signals: ${reason}; __gpp and __uspapi answer every call with a failure`);
      stubs.fail();
      return;
    }
    try {
      stop = (start as typeof startUsFrameworks)(ctx.later, frameworks);
      stubs.handOver();
    } catch (error) {
      console.error('[consentline]', error);
      stubs.fail();
    }
  });
  return () => {
    stopped = true;
    stop();
    stubs.remove();
  };
}
