// Call tracking in the script-tag build: the SDK fetches the add-on (and the pool client when a
// pool is configured) only when `dni.targets` is set, then hands it the boot context. Until the
// add-on runs, the page shows its own numbers, and `Consentline.dni` answers "no number" while
// keeping its subscribers for the add-on. If the add-on never arrives the page keeps its numbers
// and everything else works.
import { isBot } from '../../core/bot.js';
import { noop } from '../../core/env.js';
import { isPlainObject } from '../../core/validate.js';
import { loadAddon, whenLoaded } from './addon.js';
import { lendRuntime } from './runtime.js';
import type { BootContext, ConsentlineApi } from './context.js';
import type { startDni } from './dni.js';

type Numbers = Readonly<Record<string, string>>;
/** `Consentline.dni`, as the add-on's `startDni` adds it. */
interface DniApi {
  getNumber(target?: string): string | undefined;
  subscribe(fn: (numbers: Numbers) => void): () => void;
}

/** Whether the page configured numbers to track (what they are is the add-on's to check). */
const wantsDni = (dni: Record<string, unknown> | undefined): boolean => {
  const targets = dni?.['targets'];
  return Array.isArray(targets) ? targets.length > 0 : targets !== undefined;
};

/** Fetches and starts call tracking when `dni.targets` is configured; adds `Consentline.dni` at once. */
export function loadDni(ctx: BootContext): () => void {
  const dni = ctx.config.dni;
  if (!wantsDni(dni)) return noop;
  // The landing as the page was opened: its own scripts may rewrite the address (a router, a
  // script dropping the campaign parameters) before the add-on arrives.
  const landing = location.href;
  const pool = dni?.['pool'];
  let started: DniApi | undefined;
  // Subscribers that came before the add-on: each attaches to it once it has started.
  const waiting = new Set<(api: DniApi) => void>();
  ctx.api['dni'] = {
    getNumber: (target?: string) => started?.getNumber(target),
    subscribe(fn: (numbers: Numbers) => void) {
      let off = noop;
      const attach = (api: DniApi) => {
        off = api.subscribe(fn);
      };
      if (started) attach(started);
      else waiting.add(attach);
      return () => {
        waiting.delete(attach);
        off();
      };
    },
  } satisfies DniApi;
  // dist/dni.js takes the validators and helpers it shares with the SDK from here (runtime.ts).
  lendRuntime();
  const loading = Promise.all([
    loadAddon<typeof startDni>('dni', ctx.tag),
    // Fetched alongside, so the pool is there when the add-on starts (dni.ts reads this release's
    // from the registry). Not for a known crawler, which never takes a pool number.
    isPlainObject(pool) && pool['url'] && !isBot(navigator.userAgent) ? loadAddon('dni-pool', ctx.tag) : undefined,
  ]);
  return whenLoaded(loading, ([addon, client]) => {
    if (client?.kind === 'failed') ctx.warn(`dni.pool: ${client.reason}; the numbers come from dni.rules`);
    if (addon.kind === 'failed') {
      ctx.warn(`dni: ${addon.reason}; the page keeps its own numbers`);
      return undefined;
    }
    // The add-on adds its own `dni` to this object; the page's `Consentline.dni` stays the one above.
    const api: ConsentlineApi = {};
    // Call tracking hears the click's own store: a refusal undoes its work in the click, and a
    // grant's numbers are written once the click's listeners are done (held-back scripts already
    // on their way), before the browser renders the decision.
    const stop = addon.value({ ...ctx, store: ctx.store, api }, landing);
    started = api['dni'] as DniApi | undefined;
    if (started) waiting.forEach((attach) => attach(started as DniApi));
    waiting.clear();
    return stop;
  });
}
