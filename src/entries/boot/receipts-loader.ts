// Consent receipts in the script-tag build: the SDK fetches the sender (an add-on) only when
// `signals.receipts.endpoint` is set. The visitor may decide before it arrives, so every decision
// made on this page until then is kept and handed to the sender, which sends them first. If the
// add-on never arrives, the console says so and everything else works.
import { noop } from '../../core/env.js';
import type { Decision } from '../../core/types.js';
import type { createReceiptSender } from '../../signals/receipts.js';
import { loadAddon } from './addon.js';
import { RECEIPTS_ADDON } from './addon-files.js';
import type { BootContext } from './context.js';

/** Fetches and starts the receipt sender for `endpoint`; returns the cleanup. */
export function loadReceipts(ctx: BootContext, endpoint: string): () => void {
  const earlier: Decision[] = [];
  // The store's own listeners hear a change at once (`later`'s a task after), so no decision made
  // before the sender subscribes can fall between the two. The decision the page loaded with was
  // sent by the page that made it.
  let last = ctx.store.get().decision?.id;
  let collecting = ctx.store.subscribe(({ decision }) => {
    if (decision && decision.id !== last) earlier.push(decision);
    last = decision?.id;
  });
  let stop = noop;
  let stopped = false;
  void loadAddon('receipts', RECEIPTS_ADDON, ctx.tag).then((addon) => {
    collecting();
    collecting = noop;
    if (addon.kind === 'failed') {
      ctx.warn(`signals.receipts: ${addon.reason}; no receipts are sent`);
      return;
    }
    if (stopped || typeof addon.value !== 'function') return;
    try {
      stop = (addon.value as typeof createReceiptSender)(ctx.later, { endpoint, earlier });
    } catch (error) {
      console.error('[consentline]', error);
    }
  });
  return () => {
    stopped = true;
    collecting();
    stop();
  };
}
