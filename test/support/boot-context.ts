// A script tag's boot context for the signal add-ons' tests: the configuration read as the script
// tag reads it, a store in the regime it names, no deferral, and SDK errors thrown into the test.
import type { ScriptConfig } from '../../src/core/config';
import { createConsentStore, type ConsentStore } from '../../src/core/store';
import type { BootContext } from '../../src/entries/boot/context';
import { prepareSignals } from '../../src/entries/boot/signals';

/**
 * The context the script tag would build from `config`, its warnings pushed to `warnings`;
 * `region` stands for the visitor's region, `prepare` changes the store before the context is made.
 */
export function bootContext(
  config: ScriptConfig,
  warnings: string[],
  options: { region?: string | undefined; prepare?: (store: ConsentStore) => void } = {},
): BootContext {
  const warn = (m: string) => warnings.push(m);
  const early = prepareSignals(config, warn, undefined);
  if (options.region) early.region = options.region;
  const store = createConsentStore({ regime: early.regime ?? 'opt-in', gpc: early.gpc });
  options.prepare?.(store);
  return {
    config,
    store,
    later: store,
    defer: (task) => task(),
    api: {},
    warn,
    early,
    ui: {},
    onError: (error) => {
      throw error;
    },
  };
}
