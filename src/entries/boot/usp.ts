// US Privacy in the script-tag build. `__uspapi` answers from the store at once, on every visit it
// is configured for: tags such as Prebid wait only ~50 ms for it. Its path for frames (answers to
// `__uspapiCall` postMessages and the `__uspapiLocator` frame that frames find it by) comes with
// dist/gpp.js on a visit CCPA applies to, so the SDK's file does not carry it. Calls frames post
// before the add-on has arrived are kept and answered once it has. If it never arrives, frames
// find no locator frame, as on a visit CCPA does not apply to, and `__uspapi` still answers.
import type { SignalsConfig } from '../../signals/config.js';
import { keepFrameCalls } from '../../signals/frame-calls.js';
import { putUspapi } from '../../signals/usp.js';
import type { answerUspFrames } from '../../signals/usp-frames.js';
import { loadAddon, whenLoaded } from './addon.js';
import type { BootContext } from './context.js';

/** The validated `signals.usp` section. */
export type UspConfig = Exclude<SignalsConfig['usp'], false | undefined>;

/** Installs `__uspapi` at once and, on a visit CCPA `applies` to, fetches its frame path; returns the cleanup. */
export function startUsp(ctx: BootContext, config: UspConfig, applies: () => boolean): () => void {
  const { api, remove } = putUspapi(window, ctx.later, { ...config, applies });
  if (!applies()) return remove;
  const take = keepFrameCalls(window, '__uspapi');
  const stopFrames = whenLoaded(loadAddon<typeof answerUspFrames>('usp', ctx.tag), (addon) => {
    const early = take();
    if (addon.kind === 'ready') return addon.value(window, api, applies, early);
    ctx.warn(`signals.usp: ${addon.reason}; frames find no __uspapiLocator (__uspapi answers on the page)`);
    return undefined;
  });
  return () => {
    take();
    stopFrames();
    remove();
  };
}
