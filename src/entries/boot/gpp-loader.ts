// GPP in the script-tag build: on a visit US rules apply to, the SDK puts a stub of `__gpp` in
// place at once (tags right after it find the API) and fetches dist/gpp.js, with
// dist/gpp-states.js alongside when `signals.gpp.states` asks for the visitor's state section;
// the add-on installs the CMP API on the store and answers what the stub kept; a file that has not
// arrived within 10 s counts as failed until it does. A visit US rules
// do not apply to gets neither the API nor a file: a vendor finding no GPP CMP learns what
// `applicableSections: [-1]` would tell it.
import type { SignalsConfig } from '../../signals/config.js';
import type { GppOptions, installGpp } from '../../signals/gpp.js';
import type { GppSection, GppSectionName } from '../../signals/gpp-encode.js';
import type { pickGppSection } from '../../signals/gpp-states.js';
import { loadAddon, providedAddon, whenLoaded, type AddonResult } from './addon.js';
import type { BootContext } from './context.js';
import { installGppStub } from './gpp-stub.js';

/** The validated `signals.gpp` section. */
export type GppConfig = Exclude<SignalsConfig['gpp'], false | undefined>;

/**
 * The section picker from dist/gpp-states.js: already on the page (its own `<script>` before the
 * SDK's), or fetched when `gpp.states` is set and the region hint names a state (`US-VA`; not
 * `US`, nor no hint, which get the configured section anyway); none otherwise.
 */
const loadStates = (ctx: BootContext, gpp: GppConfig): Promise<AddonResult<typeof pickGppSection>> | undefined => {
  const onPage = providedAddon('gpp-states') !== undefined;
  if (onPage || (gpp.states && /^US-/.test(ctx.early.region ?? ''))) return loadAddon('gpp-states', ctx.tag);
  return undefined;
};

/** The region hint's state section when the picker is there (and works), else the configured one. */
function pickSection(
  ctx: BootContext,
  gpp: GppConfig,
  states: AddonResult<typeof pickGppSection> | undefined,
): GppSection | GppSectionName {
  const fallback = gpp.section ?? 'usnat';
  if (states?.kind === 'failed') ctx.warn(`signals.gpp.states: ${states.reason}; the section is ${fallback}`);
  if (states?.kind !== 'ready') return fallback;
  try {
    return states.value(ctx.early.region, { fallback });
  } catch {
    return fallback;
  }
}

// A file that neither arrives nor fails (a network that hangs) must not keep the tags that wait on
// the stub waiting for ever: past this, the stub answers as when the file fails, and a file that
// arrives later still takes over.
const GPP_WAIT_MS = 10_000;

/** Installs the stub, fetches and starts dist/gpp.js on `ctx.later`; returns the cleanup. */
export function loadGpp(ctx: BootContext, config: GppConfig | undefined): () => void {
  // Own keys only: a polluted Object.prototype must not pick the section, the window or `applies`.
  const gpp: GppConfig = Object.assign(Object.create(null), config);
  const stub = installGppStub(window, gpp.cmpId ?? 0);
  const loading = Promise.all([loadAddon<typeof installGpp>('gpp', ctx.tag), loadStates(ctx, gpp)]);
  const fail = (reason: string): void => {
    const answer = stub.ours ? '__gpp reports cmpStatus "error"' : "the page's own __gpp stub is left as it is";
    ctx.warn(`signals.gpp: ${reason}; ${answer}`);
    stub.fail();
  };
  const waiting = setTimeout(() => fail(`gpp.js has not arrived within ${GPP_WAIT_MS / 1000} s`), GPP_WAIT_MS);
  const stop = whenLoaded(
    loading,
    ([addon, states]) => {
      clearTimeout(waiting);
      if (addon.kind === 'failed') {
        fail(addon.reason);
        return undefined;
      }
      // The dialog's opening and closing reach GPP at once, so a ping says so in the same task;
      // GPP itself holds a closing that comes before it has told the change saved in the dialog,
      // which it hears a task later (`ctx.later`), so saving is one chain of events.
      const options: GppOptions = Object.assign(Object.create(null), gpp, {
        section: pickSection(ctx, gpp, states),
        preferences: ctx.watchPreferences,
      });
      let stopGpp: (() => void) | undefined;
      stub.handOver(() => {
        stopGpp = addon.value(ctx.later, options);
      });
      return stopGpp;
    },
    stub.fail,
  );
  return () => {
    clearTimeout(waiting);
    stop();
    stub.fail();
    stub.remove();
  };
}
