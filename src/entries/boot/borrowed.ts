// In an add-on file: the SDK's copies of the modules it lends (runtime.ts), in place of the
// add-on's own. The add-on build resolves src/core/bot.ts, random-id.ts and validate.ts to this
// module (rollup.config.ts); its bindings are set by `borrowRuntime` when the add-on starts, and
// nothing of the add-on uses them before (no validator is built at import).
import type * as Bot from '../../core/bot.js';
import type * as RandomId from '../../core/random-id.js';
import type * as Validate from '../../core/validate.js';
import { VERSION } from '../../core/version.js';
import { providedAddon } from './addon.js';
import { RUNTIME, type Runtime } from './runtime.js';

export type { Check, Warn } from '../../core/validate.js';

export let isBot: typeof Bot.isBot;
export let randomId: typeof RandomId.randomId;
export let bool: typeof Validate.bool;
export let entries: typeof Validate.entries;
export let int: typeof Validate.int;
export let list: typeof Validate.list;
export let shape: typeof Validate.shape;
export let str: typeof Validate.str;
export let url: typeof Validate.url;

/**
 * Takes the runtime of the SDK that loaded the add-on `file`. Without one of this very version (a
 * copy of the file left from another release, started by another SDK) the add-on must not start:
 * it says so in the console and returns false.
 */
export function borrowRuntime(file: string): boolean {
  const runtime = providedAddon(RUNTIME) as Runtime | undefined;
  if (runtime?.version !== VERSION) {
    console.error(
      '[consentline]',
      `${file} ${VERSION} not started: it runs only inside the Consentline SDK ${VERSION} that loads it (found ${runtime ? runtime.version : 'none'})`,
    );
    return false;
  }
  ({
    _private_isBot: isBot,
    _private_randomId: randomId,
    _private_bool: bool,
    _private_entries: entries,
    _private_int: int,
    _private_list: list,
    _private_shape: shape,
    _private_str: str,
    _private_url: url,
  } = runtime);
  return true;
}
