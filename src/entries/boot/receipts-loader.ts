// Consent receipts in the script-tag build: the SDK fetches the sender (an add-on) only when
// `signals.receipts.endpoint` is set. The visitor may decide before it arrives, so every decision
// made on this page until then is kept and handed to the sender, which sends them first. If the
// add-on never arrives, the console says so and everything else works.
import { noop } from '../../core/env.js';
import type { Decision } from '../../core/types.js';
import type { createReceiptSender } from '../../signals/receipts.js';
import { loadAddon, whenLoaded } from './addon.js';
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
  const stop = whenLoaded(loadAddon<typeof createReceiptSender>('receipts', ctx.tag), (addon) => {
    collecting();
    collecting = noop;
    if (addon.kind === 'ready') return addon.value(ctx.later, { endpoint, earlier });
    ctx.warn(`signals.receipts: ${addon.reason}; no receipts are sent`);
    return undefined;
  });
  return () => {
    collecting();
    stop();
  };
}
