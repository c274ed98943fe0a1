// Held-back embeds in the script-tag build: the SDK fetches their placeholders (an add-on) only
// when the page has an embed, found by the held-back scan at start or by its observer later.
// Until the add-on has run, and for good if it never does, every embed stays blocked: it has no
// src, and it is hidden in place, keeping its box, so the placeholder that takes its place later
// moves nothing. Consent given before the add-on arrives is read from the store when it does, so
// a granted embed loads then. Held-back scripts never wait for this (held-back.ts runs them).
import { noop } from '../../core/env.js';
import type { EmbedHolder, EmbedStarter } from '../../ui/held-back-embeds.js';
import { loadAddon, whenLoaded } from './addon.js';
import type { BootContext } from './context.js';

/** An embed starter that fetches the embed add-on at the page's first embed; the add-on then handles every embed. */
export const loadEmbeds =
  (ctx: BootContext): EmbedStarter =>
  (store, options, rescan) => {
    let holder: EmbedHolder | undefined;
    let stop: (() => void) | undefined;
    // Embeds hidden here, shown again if the held-back handling is torn down before the add-on runs.
    const hidden = new Set<HTMLElement>();
    return {
      _private_handle(el) {
        if (holder) {
          holder._private_handle(el);
          return;
        }
        el.style.setProperty('visibility', 'hidden', 'important');
        hidden.add(el);
        stop ||= whenLoaded(loadAddon<EmbedStarter>('embeds', ctx.tag), (addon) => {
          if (addon.kind === 'failed') {
            ctx.warn(`embeds: ${addon.reason}; embeds stay blocked`);
            return undefined;
          }
          const started = addon.value(store, options, rescan);
          holder = started;
          hidden.clear();
          // Every embed found so far (and any added since) is handed to the add-on.
          rescan();
          return () => started._private_stop();
        });
      },
      _private_tidy: () => holder?._private_tidy(),
      _private_stop() {
        (stop ?? noop)();
        hidden.forEach((el) => el.style.removeProperty('visibility'));
      },
    };
  };
