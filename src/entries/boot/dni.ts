import { bool, entries, int, list, shape, str, url, type Check } from '../../core/validate';
import { E164 } from '../../dni/match';
import type { PoolOptions } from '../../dni/pool';
import { startNumberInsertion, type NumberInsertionOptions } from '../../dni/start';
import type {} from '../dni-pool';
import type { BootContext } from './context';

const phone = str(16, E164);
const text = str(100);
const word = list(str(32, /^\w+$/), 20);
const vanity = shape({ number: phone, text: list(str(40), 5), template: str(40) });
const target: Check<NumberInsertionOptions['targets'][number]> = (v, p, w) => {
  const t = typeof v === 'string' ? phone(v, p, w) : vanity(v, p, w);
  return typeof t === 'string' || t?.number ? (t as NumberInsertionOptions['targets'][number]) : undefined;
};
const numbers: Check<string | Record<string, string>> = (v, p, w) =>
  typeof v === 'string' ? phone(v, p, w) : Object.fromEntries(entries(E164, phone, 20)(v, p, w) ?? []);
const rule = shape({
  ...Object.fromEntries('utm_source utm_medium utm_campaign utm_term utm_content clickId referrer source medium group path param'.split(' ').map((k) => [k, text])),
  direct: bool,
  pool: bool,
  number: numbers,
});
const schema = shape({
  targets: list(target, 20),
  rules: list(rule, 50),
  // Never `necessary`: visit context is recorded only after consent, whatever the config says.
  category: str(32, /^(?!necessary$)[a-z][a-z0-9_-]*$/),
  clickIds: word,
  params: word,
  pool: shape({ url, timeout: int(100, 1500), hide: int(0, 1000), failures: int(1, 10) }),
  days: int(1, 395),
  debug: bool,
});

/** Starts call tracking when `dni.targets` is configured; adds `Consentline.dni`. */
export function startDni(ctx: BootContext): () => void {
  const { debug, pool, ...c } = schema(ctx.config.dni ?? {}, 'dni', ctx.warn) ?? {};
  if (!c.targets?.length) return () => {};
  const connect = window.ConsentlinePool;
  if (pool?.url && !connect) ctx.warn('dni.pool: load dist/dni-pool.js before the SDK');
  const insertion = startNumberInsertion(ctx.store, {
    ...(c as NumberInsertionOptions),
    // The pool client comes from the dist/dni-pool.js add-on (loaded before the SDK).
    ...(pool?.url && connect ? { pool: { ...(pool as PoolOptions), connect } } : {}),
    ...(debug || ctx.config.debug ? { log: (...a: unknown[]) => console.info('[consentline] dni', ...a) } : {}),
    onEvent: (type, n) => document.dispatchEvent(new CustomEvent('consentline:dni', { detail: { type, numbers: { ...n } } })),
  });
  ctx.api['dni'] = { getNumber: insertion.getNumber, subscribe: insertion.subscribe };
  return insertion;
}
