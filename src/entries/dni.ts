/**
 * Consent-gated dynamic number insertion (call tracking), and the parts of it a site may use
 * alone: number matching and formatting, source classification, the visit context and the
 * session-pool client.
 *
 * @packageDocumentation
 */
// Named exports only; nothing runs at import. etc/api/consentline-dni.api.md is the reviewed surface.
import type { ConsentStore } from '../core/store.js';
import { createPoolSource } from '../dni/pool-source.js';
import { startNumberInsertion as start, type NumberInsertion, type NumberInsertionOptions } from '../dni/start.js';

export { subscribeNumber } from '../dni/start.js';
export type { NumberInsertion, NumberInsertionOptions } from '../dni/start.js';
export { createNumberMatcher, formatLike } from '../dni/match.js';
export type { NumberMatcher, NumberTarget, ParsedTarget, PickNumber, Reading } from '../dni/match.js';
export { classifySource } from '../dni/source.js';
export type { SourceInfo, SourceRule } from '../dni/source.js';
export { readVisitContext } from '../dni/context.js';
export type { ReadVisitContextOptions, Touch, VisitContext } from '../dni/context.js';
export { createPoolClient, createPoolSession } from '../dni/pool.js';
export type { PoolClient, PoolOptions, PoolReply, PoolResult, PoolSession } from '../dni/pool.js';

/**
 * Starts consent-gated dynamic number insertion on the page. Nothing is stored, sent or swapped
 * until `category` is granted; a grant is handled in short tasks right after the call that made
 * it (number, storage, then the page). Withdrawing restores the page, deletes the stored context
 * and releases any pool lease at once. A `pool` is asked through {@link createPoolSession} unless it brings its
 * own `connect`.
 *
 * @example
 * const stop = startNumberInsertion(store, { targets: ['+15551234567'], rules: [{ medium: 'cpc', number: '+18889990000' }] });
 * stop.subscribe((n) => render(n['+15551234567']));
 */
export function startNumberInsertion(store: ConsentStore, options: NumberInsertionOptions): NumberInsertion {
  return start(store, options, options.pool && createPoolSource(options.pool));
}
