import { bool, entries, int, list, shape, str, url, type Check, type Warn } from '../../core/validate.js';
import { hasOwn } from '../../core/has-own.js';
import { E164 } from '../../dni/match.js';
import { dispatch } from '../../dom/listen.js';
import type { PoolOptions } from '../../dni/pool.js';
import type { createPoolSource } from '../../dni/pool-source.js';
import { startNumberInsertion, type NumberInsertionOptions } from '../../dni/start.js';
import { providedAddon } from './addon.js';
import type { BootContext } from './context.js';

/** Targets a page may configure, and entries of a rule's per-target map. */
export const MAX_TARGETS = 500;
/** Vanity texts of all targets together: they are matched by one pattern, whose cost grows with them. */
export const MAX_VANITY = 100;

// The validators are made when call tracking starts, not at import: in dist/dni.js they are the
// SDK's own, borrowed at start (borrowed.ts).
export const dniSchema = () => {
  // Past its limit a list keeps what fits, with a warning naming the count: a site with more
  // numbers than that still gets the first ones swapped. (Core's `list` refuses the whole list.)
  const over = (count: number, max: number, p: string, w: Warn, what = ''): boolean => {
    if (count > max) w(`${p}: ${count} ${what}given, the first ${max} kept`);
    return count > max;
  };
  const upTo =
    <T>(item: Check<T>, max: number): Check<T[]> =>
    (v, p, w) =>
      list(item, max)(Array.isArray(v) && over(v.length, max, p, w) ? v.slice(0, max) : v, p, w);

  const phone = str(16, E164);
  // (Never empty: an empty `path` would hold for every visit.)
  const text = str(100, /./s);
  const word = upTo(str(32, /^\w+$/), 20);
  const vanity = shape({ number: phone, text: upTo(str(40), 5), template: str(40) });
  const target: Check<NumberInsertionOptions['targets'][number]> = (v, p, w) => {
    const t = typeof v === 'string' ? phone(v, p, w) : vanity(v, p, w);
    return typeof t === 'string' || t?.number ? (t as NumberInsertionOptions['targets'][number]) : undefined;
  };
  // Vanity texts past MAX_VANITY in all are dropped (their targets' numbers still match).
  const targets: Check<NumberInsertionOptions['targets'][number][]> = (v, p, w) => {
    let room = MAX_VANITY;
    const out = upTo(target, MAX_TARGETS)(v, p, w)?.map((t) => {
      if (typeof t === 'string' || !t.text) return t;
      const text = t.text.slice(0, Math.max(room, 0));
      room -= t.text.length;
      return { ...t, text };
    });
    over(MAX_VANITY - room, MAX_VANITY, p, w, 'vanity texts ');
    return out;
  };
  // A map with an entry refused is refused whole (and its rule with it, below).
  const numbers: Check<string | Record<string, string>> = (v, p, w) => {
    if (typeof v === 'string') return phone(v, p, w);
    const kept = entries(E164, phone, MAX_TARGETS)(v, p, w);
    return kept?.length === Math.min(Object.keys(v as object).length, MAX_TARGETS)
      ? Object.fromEntries(kept)
      : undefined;
  };
  const conditions = shape({
    ...Object.fromEntries(
      'utm_source utm_medium utm_campaign utm_term utm_content clickId referrer source medium group path param'
        .split(' ')
        .map((k) => [k, text]),
    ),
    direct: bool,
    pool: bool,
    number: numbers,
  });
  // A condition refused or unknown (a typo) would widen its rule to visits it was not meant for
  // (every visit, for a rule of one condition), and a refused `number` would stop the rules after
  // it with no number to show: the whole rule is left out. A refused `pool` only narrows what the
  // rule gives (its number, without asking the pool).
  const rule: Check<Record<string, unknown>> = (v, p, w) => {
    const out = conditions(v, p, w);
    const lost = out && Object.keys(v as object).find((k) => k !== 'pool' && !hasOwn(out, k));
    if (!lost) return out;
    w(`${p}: ${lost} refused, the rule is ignored`);
    return undefined;
  };
  return shape({
    targets,
    rules: upTo(rule, 50),
    // Never `necessary`: visit context is recorded only after consent, whatever the config says.
    category: str(32, /^(?!necessary$)[a-z][a-z0-9_-]*$/),
    clickIds: word,
    params: word,
    pool: shape({ url, timeout: int(100, 1500), hide: int(0, 1000), failures: int(1, 10) }),
    days: int(1, 395),
    debug: bool,
  });
};

/** Starts call tracking when `dni.targets` is configured, with `url` as the landing; adds `Consentline.dni`. */
export function startDni(ctx: BootContext, url = location.href): () => void {
  const { debug, pool, ...c } = dniSchema()(ctx.config.dni ?? {}, 'dni', ctx.warn) ?? {};
  if (!c.targets?.length) return () => {};
  // A category no one can grant keeps call tracking off, as it should, but the site must hear why.
  if (c.category && !ctx.store.categories.some((x) => x.id === c.category))
    ctx.warn(`dni.category: unknown category "${c.category}", call tracking stays off`);
  // The pool comes from the dist/dni-pool.js add-on, fetched beside this one (dni-loader.ts), which
  // warns when it cannot arrive; from the registry, so only this release's (see addon.ts).
  const added = providedAddon('dni-pool');
  const poolSource = typeof added === 'function' ? (added as typeof createPoolSource) : undefined;
  const insertion = startNumberInsertion(
    ctx.store,
    {
      ...(c as NumberInsertionOptions),
      url,
      ...(debug || ctx.config.debug ? { log: (...a: unknown[]) => console.info('[consentline] dni', ...a) } : {}),
      onEvent: (type, n) =>
        dispatch(document, new CustomEvent('consentline:dni', { detail: { type, numbers: { ...n } } })),
    },
    pool?.url && poolSource ? poolSource(pool as PoolOptions) : undefined,
  );
  ctx.api['dni'] = { getNumber: insertion.getNumber, subscribe: insertion.subscribe };
  return insertion;
}
