// Consent-gated number insertion: holds the landing context in memory until the DNI category is
// granted, then stores it, picks the visit's numbers and swaps them; undoes all of it on withdrawal.
import { inBrowser, noop } from '../core/env.js';
import { hasOwn } from '../core/has-own.js';
import type { ConsentState } from '../core/types.js';
import type { ConsentStore } from '../core/store.js';
import { doc } from '../dom/document.js';
import {
  CLICK_IDS,
  UTM,
  formatVisitContext,
  parseVisitContext,
  readVisitContext,
  type VisitContext,
} from './context.js';
import { createNumberMatcher, type NumberTarget } from './match.js';
import type { PoolOptions, PoolSession } from './pool.js';
import { matchRule, type SourceRule } from './source.js';
import { createSwapper } from './swap.js';

/** Options of {@link startNumberInsertion}. */
export interface NumberInsertionOptions {
  /** The site's numbers: E.164 strings, or objects with vanity texts. */
  targets: readonly (string | NumberTarget)[];
  /** Ordered source rules; the first that matches decides. @default [] */
  rules?: readonly SourceRule[];
  /** Category that gates DNI. @default 'analytics' */
  category?: string;
  /** Click-id parameters besides the built-in ones (gclid, gbraid, wbraid, dclid, msclkid, fbclid, ttclid, li_fat_id, twclid). @default [] */
  clickIds?: readonly string[];
  /** Landing parameters to keep besides UTM values and click ids (for `param` rules). @default [] */
  params?: readonly string[];
  /**
   * A session pool. `connect` makes its session: `createPoolSession`, which `consentline/dni`
   * passes for you; on script-tag pages the `dist/dni-pool.js` add-on. @default none
   */
  pool?: PoolOptions & {
    connect?: (options: PoolOptions, targets: readonly string[], keep?: string) => PoolSession;
  };
  /** localStorage key of the stored context. @default 'consentline_dni' */
  storageKey?: string;
  /** Days a stored context is kept after its first touch. @default 90 */
  days?: number;
  /** Logs each target found and why it was or was not swapped. @default none */
  log?: (...args: unknown[]) => void;
  /** Called with `overflow` or `exhausted` from the pool, and `number` when the numbers change. @default none */
  onEvent?: (type: string, numbers: Readonly<Record<string, string>>) => void;
  /** The landing URL the visit context is read from. @default location.href */
  url?: string;
  /** The referring URL (only its host is kept). @default document.referrer */
  referrer?: string;
}

/**
 * Session-level numbers on top of the rules' (a session pool: pool-source.ts, which script-tag
 * pages get from the dist/dni-pool.js add-on). A rule with `pool: true` asks it; without one, every
 * visit shows its rule's numbers.
 */
export interface SessionSource {
  /** Hears every consent state the flow handles, before the flow acts on it. */
  _private_heard(state: ConsentState): void;
  /**
   * A granted visit starts or its click-id rule changes (`noClicks`: click ids no longer allowed).
   * Receives the stored context to continue from (`fresh`) and what the visit may have sent
   * (`sent`: this page's context, else the stored one with its click ids); returns the context to
   * continue from.
   */
  _private_resume(fresh: VisitContext | null, sent: VisitContext | null, noClicks: boolean): VisitContext | null;
  /** Whether the visit shows session numbers: the rules then do not decide again. */
  _private_held(): boolean;
  /** The visit's rule asks for session numbers; `fallback` (the rule's) shows where there are none. */
  _private_open(fallback: Readonly<Record<string, string>>): void;
  /** Stops asking; `forget` (a withdrawal: the visit's context, or true) as {@link PoolSession.close} takes it. */
  _private_close(forget: boolean | VisitContext): void;
}

/** What the flow gives its session source. */
export interface SessionFlow {
  /** The store the flow follows. */
  _private_store: ConsentStore;
  /** The page's targets (E.164). */
  _private_targets: readonly string[];
  /** Every click-id parameter, the built-in ones and the site's. */
  _private_clicks: readonly string[];
  /** The flow's localStorage key: the source keeps its own entries under names derived from it. */
  _private_storageKey: string;
  /** The visit's context, once consent has been given. */
  _private_context(): VisitContext | undefined;
  /** Stores the visit's context (only ever called while the category is granted). */
  _private_save(context: VisitContext): void;
  /** Shows these numbers (by target): the page, `getNumber` and subscribers follow. */
  _private_show(numbers: Record<string, string>): void;
  /** Reports `type` (`overflow`, `exhausted`) to `onEvent` with the numbers shown. */
  _private_event(type: string): void;
  /** The site's `log` (the source's own errors go there). */
  _private_log: ((...args: unknown[]) => void) | undefined;
}

/** Makes the flow's session source, or none (a crawler, say). */
export type SessionSourceFactory = (flow: SessionFlow) => SessionSource | undefined;

/** The running insertion: call it to stop (restoring the page); read or follow the current number. */
export interface NumberInsertion {
  /** Stops: restores every original number and link, stops renewing any pool lease (left to run out: another tab of the visit may share it) and no longer follows consent. A stored context is kept. */
  (): void;
  /** The tracking number (E.164) shown for a target (default: the first), or undefined when the original shows. */
  getNumber(target?: string): string | undefined;
  /** Calls `fn` whenever the numbers change; returns the unsubscribe. */
  subscribe(fn: (numbers: Readonly<Record<string, string>>) => void): () => void;
}

/**
 * Starts consent-gated dynamic number insertion on the page. Nothing is stored, sent or swapped
 * until `category` is granted; a grant is handled as soon as the call that made it returns
 * (number, storage, then the page: in that task when the page was read ahead, else in short tasks
 * right after it). Withdrawing restores the page, deletes the stored context
 * and releases any pool lease at once. Outside a browser (a server render) it does nothing and
 * reports no number, so the page renders its own numbers, as a browser does before consent.
 * Session numbers come from `sessions` only: `options.pool` is for the entries, which make the
 * pool's source of it (pool-source.ts).
 *
 * @example
 * const stop = startNumberInsertion(store, { targets: ['+15551234567'], rules: [{ medium: 'cpc', number: '+18889990000' }] });
 * stop.subscribe((n) => render(n['+15551234567']));
 */
export function startNumberInsertion(
  store: ConsentStore,
  options: NumberInsertionOptions,
  sessions?: SessionSourceFactory,
): NumberInsertion {
  if (!inBrowser()) return Object.assign(() => {}, { getNumber: () => undefined, subscribe: () => noop });
  const {
    targets,
    rules = [],
    category = 'analytics',
    clickIds = [],
    params = [],
    storageKey = 'consentline_dni',
    days = 90,
    log,
    onEvent,
    url = location.href,
    referrer = doc('referrer'),
  } = options;
  const matcher = createNumberMatcher(targets);
  const keys = matcher.targets.map((t) => t.e164);
  const clicks = [...CLICK_IDS, ...clickIds];
  const keep = [...UTM, ...clicks, ...params];
  const noClicks = keep.filter((k) => !clicks.includes(k));
  const listeners = new Set<(n: Record<string, string>) => void>();
  let numbers: Record<string, string> = {};
  let context: VisitContext | undefined;
  let active = false;
  let kept: string[] | undefined;

  const swapper = createSwapper(matcher, {
    pick: (t) => numbers[t.e164],
    token: () => (context ? `cl1.${context.session}` : ''),
    ...(log ? { log } : {}),
  });
  // Storage that is missing or throws (sandboxed frames, blocked storage, a page that broke it)
  // leaves the context in memory for this page: DNI still works, nothing escapes.
  const stash = (op: 'getItem' | 'setItem' | 'removeItem', value = ''): string | null => {
    try {
      return localStorage[op](storageKey, value) ?? null;
    } catch {
      return null;
    }
  };
  // Site code (listeners, `onEvent`) that throws is logged and stops nothing of ours.
  const emit = <A extends unknown[]>(fn: ((...a: A) => void) | undefined, ...a: A) => {
    try {
      fn?.(...a);
    } catch (error) {
      log?.(error);
    }
  };
  // The context is stored only while the category is granted: every write goes through here.
  const save = (c: VisitContext) => {
    context = c;
    stash('setItem', formatVisitContext(c));
  };
  const show = (next: Record<string, string>) => {
    if (JSON.stringify(next) === JSON.stringify(numbers)) return;
    numbers = next;
    if (active) swapper.apply();
    emit(onEvent, 'number', numbers);
    listeners.forEach((fn) => emit(fn, numbers));
  };
  const source = sessions?.({
    _private_store: store,
    _private_targets: keys,
    _private_clicks: clicks,
    _private_storageKey: storageKey,
    _private_context: () => context,
    _private_save: save,
    _private_show: show,
    _private_event: (type) => emit(onEvent, type, numbers),
    _private_log: log,
  });
  const start = (state: ConsentState, heardAt?: number) => {
    // Click ids only while advertising is granted and no opt-out or GPC applies. The landing URL
    // has stayed in memory only until now.
    const params = !state.grants['advertising'] || state.gpc || state.optedOut ? noClicks : keep;
    // Already running with the same click-id rule: another category changed, nothing to rewrite.
    if (active && params === kept) return;
    kept = params;
    const raw = stash('getItem');
    const stored = parseVisitContext(raw, params);
    const fresh = stored && stored.first.time + days * 864e5 > Date.now() ? stored : null;
    // The session id stays for the page even when storage is blocked (a lease is held under it).
    const c = readVisitContext({
      url,
      referrer,
      params,
      previous: source
        ? source._private_resume(fresh, context ?? parseVisitContext(raw, keep), params === noClicks)
        : fresh,
      ...(context && { id: context.session }),
    });
    save(c);
    // Click ids allowed or no longer allowed on this page: the rules decide again (a click-id rule
    // applies at once), unless the visit holds session numbers.
    if (source?._private_held()) return;
    const rule = matchRule(rules, c, clicks);
    const n = rule?.number;
    const fallback: Record<string, string> =
      typeof n === 'string' ? Object.fromEntries(keys.map((k) => [k, n])) : { ...n };
    log?.('rule', rule);
    show(fallback);
    if (!active) swapper.apply(heardAt);
    active = true;
    if (rule?.pool) source?._private_open(fallback);
  };

  // `forget` on withdrawal only: the pool server then deletes the visit's records too, and a copy
  // of the swapped page that the page puts back later gets the originals too. The context names
  // the visit's lease, also one taken on an earlier page.
  const stop = (forget = false) => {
    source?._private_close(forget && (context ?? true));
    active = false;
    swapper.restore(forget);
    show({});
  };

  // A grant's work (context, storage, numbers, then the swap) runs once the consent call has
  // returned, in a microtask: the call itself stays short, and the numbers are written before the
  // browser renders the decision, in the same frame. A withdrawal is done at once and cancels a
  // grant not yet run; the grant then reads the state again, so one withdrawn since starts nothing.
  let queued = 0;
  // `heardAt`: the grant is started now; it was heard then (the swap's time in the call counts from it).
  const update = (state: ConsentState, heardAt?: number) => {
    try {
      source?._private_heard(state);
      const grant = ++queued;
      if (!state.grants[category]) {
        // Storage first, so that nothing after it can keep it; only when something is stored: a
        // first visit before any decision touches no storage at all.
        const stored = stash('getItem');
        if (stored !== null) stash('removeItem');
        // A refusal made where call tracking did not run (another page, before the add-on came)
        // left the context stored: its lease is what the server forgets the visit by. Not while
        // undecided: nothing is sent before the visitor decides.
        if (!state.needsDecision) context ??= parseVisitContext(stored, []) ?? undefined;
        // The lease is released with the session id, and the visit's records forgotten.
        stop(true);
        context = undefined;
        // Still undecided, and nothing (GPC, an opt-out) keeps the category denied: the page is
        // read ahead, read-only, so that a grant only writes. Never after a refusal.
        if (
          state.needsDecision &&
          !(store.categories.find((c) => c.id === category)?.saleShare && (state.gpc || state.optedOut))
        )
          swapper.prepare();
      } else if (heardAt !== undefined) start(state, heardAt);
      else {
        const heard = performance.now();
        queueMicrotask(() => grant === queued && update(store.get(), heard));
      }
    } catch (error) {
      log?.(error);
    }
  };

  // A refusal is always acted on, whatever came after it.
  const off = store.subscribe((s) => update(s));
  // A grant already there starts after this call too, once the caller has subscribed.
  update(store.get());
  // While the page is idle, runs the pure code a consent click will run (the landing context in
  // memory, the rules, the patterns twice: V8 makes native regexp code on the second run), so the
  // click does not wait for compilation. No DOM, storage or network. (The first few targets only:
  // each target's pattern is built when first needed, and hundreds would make this a long task.)
  const warm = setTimeout(() => {
    try {
      matchRule(rules, readVisitContext({ url, referrer, params: keep }), clicks);
      const first = keys.slice(0, 4);
      for (const k of [...first, ...first])
        matcher.maybe(k) && matcher.replace(k.slice(1), () => k) && matcher.replaceHref('tel:' + k, () => k);
    } catch {
      // A landing URL that cannot be read fails at consent too, closed (no context, no swap).
    }
  }, 200);
  const insertion = (() => {
    clearTimeout(warm);
    queued++;
    off();
    stop();
  }) as NumberInsertion;
  // Own entries only: a target such as "constructor" reads Object.prototype's member otherwise.
  insertion.getNumber = (target = keys[0] as string) => (hasOwn(numbers, target) ? numbers[target] : undefined);
  insertion.subscribe = (fn) => {
    listeners.add(fn);
    return () => listeners.delete(fn);
  };
  return insertion;
}

/** Calls `fn` with the tracking number for `target` (default: the first) now and on every change; returns the unsubscribe. */
export function subscribeNumber(
  insertion: NumberInsertion,
  fn: (number: string | undefined) => void,
  target?: string,
): () => void {
  fn(insertion.getNumber(target));
  return insertion.subscribe(() => fn(insertion.getNumber(target)));
}
