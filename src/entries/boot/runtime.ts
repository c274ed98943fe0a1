// What the SDK lends to an add-on file it loads: the modules both would otherwise carry a copy of
// (the config validators, the crawler check, the random id). The add-on build resolves those
// modules to borrowed.ts instead of bundling them (rollup.config.ts), and the add-on takes them
// from here when it starts. The npm subpaths are bundled whole and borrow nothing.
import { isBot } from '../../core/bot.js';
import { randomId } from '../../core/random-id.js';
import { bool, entries, int, list, shape, str, url } from '../../core/validate.js';
import { VERSION } from '../../core/version.js';
import { provideAddon } from './addon.js';

/** The add-on registry's name for the runtime. */
export const RUNTIME = 'runtime';

/**
 * The runtime as lent, under this release's key (see addon.ts), so an add-on file of another
 * release finds none. `version` keeps its name in every build and is checked too; the rest is
 * minified with the SDK and its add-ons, which are built together.
 */
export interface Runtime {
  version: string;
  _private_isBot: typeof isBot;
  _private_randomId: typeof randomId;
  _private_bool: typeof bool;
  _private_entries: typeof entries;
  _private_int: typeof int;
  _private_list: typeof list;
  _private_shape: typeof shape;
  _private_str: typeof str;
  _private_url: typeof url;
}

/** Puts the runtime in the add-on registry, for an add-on file about to be loaded. */
export function lendRuntime(): void {
  provideAddon(RUNTIME, {
    version: VERSION,
    _private_isBot: isBot,
    _private_randomId: randomId,
    _private_bool: bool,
    _private_entries: entries,
    _private_int: int,
    _private_list: list,
    _private_shape: shape,
    _private_str: str,
    _private_url: url,
  } satisfies Runtime);
}
