// The session pool as the consent flow's session source (start.ts): the visit's lease asked for when
// its rule says `pool`, released on withdrawal, and taken back when click ids it was sent are no
// longer allowed. Script-tag pages get it from the dist/dni-pool.js add-on, so pages without pools
// never download it; `consentline/dni` bundles it.
import { isBot } from '../core/bot.js';
import { hasOwn } from '../core/has-own.js';
import type { VisitContext } from './context.js';
import { createPoolSession, type PoolOptions, type PoolSession } from './pool.js';
import type { SessionSourceFactory } from './start.js';

/** A pool's settings, and what makes its session (default: {@link createPoolSession}). */
export type PoolSourceOptions = PoolOptions & {
  connect?: (options: PoolOptions, targets: readonly string[], keep?: string) => PoolSession;
};

/** A context that no longer names its lease: the next assign starts a new visit. */
const withoutLease = ({ lease, ...rest }: VisitContext): VisitContext => rest;

/** Makes the session source of a pool, for `startNumberInsertion`'s flow (start.ts). */
export const createPoolSource =
  (pool: PoolSourceOptions): SessionSourceFactory =>
  (flow) => {
    // Known crawlers get the source-level number but never take a pool number.
    if (isBot(navigator.userAgent)) return undefined;
    const { _private_clicks: clicks } = flow;
    // Own settings only: a `connect` planted on Object.prototype must not make the visit's session.
    const connect = (hasOwn(pool, 'connect') && pool.connect) || createPoolSession;
    // Withdrawals the pool server could not take are kept beside the context (see forget-ledger.ts).
    const session = connect(pool, flow._private_targets, `${flow._private_storageKey}_forget`);
    const carriesClicks = (c: VisitContext): boolean =>
      [c.first, c.latest].some((touch) => touch && clicks.some((k) => hasOwn(touch.params, k)));
    let pooled = false;
    let resent = false;
    return {
      _private_heard(state) {
        // Withdrawals an earlier page could not get the pool server to take, sent once per page
        // when the visitor's decision is known (nothing is sent before it), whatever it is now.
        if (!resent && !state.needsDecision) {
          resent = true;
          session.resend?.();
        }
      },
      _private_resume(fresh, sent, noClicks) {
        // Click ids no longer allowed, after the pool server was sent some (on this page, or on one
        // before: the stored lease carried them): its records of the visit hold them, so it forgets
        // the visit, and the page takes a lease for a new visit, of the same session, without them.
        if (!noClicks || !sent || !(pooled || sent.lease) || !carriesClicks(sent)) return fresh;
        session.close(sent);
        pooled = false;
        return fresh && withoutLease(fresh);
      },
      _private_held: () => pooled,
      _private_open(fallback) {
        pooled = true;
        session.open(
          () => {
            // Consent read again before the pool is asked: a withdrawal on another host of the
            // site, or while this page was hidden or in the back-forward cache, is heard when the
            // page is seen again, and the visitor's activity that asks may come first.
            flow._private_store.refresh();
            return flow._private_context() as VisitContext;
          },
          (reply) => {
            try {
              const context = flow._private_context();
              // The visit's latest lease is kept with its context: a later page names it.
              if (reply && context && reply.lease !== context.lease)
                flow._private_save({ ...context, lease: reply.lease });
              if (reply && reply.status !== 'ok') flow._private_event(reply.status);
              flow._private_show({ ...fallback, ...reply?.numbers });
            } catch (error) {
              flow._private_log?.(error);
            }
          },
        );
      },
      _private_close(forget) {
        session.close(forget);
        pooled = false;
      },
    };
  };
