// Script-tag add-on: call tracking, fetched by the SDK from beside its own file when `dni.targets`
// is configured (see boot/dni-loader.ts). Kept out of dist/consentline.min.js so consent-only
// sites do not download it. It starts with the validators and helpers of the SDK that loaded it
// (boot/borrowed.ts); started by anything else, it says so and leaves the page's numbers alone.
import { noop } from '../core/env.js';
import { provideAddon } from './boot/addon.js';
import { borrowRuntime } from './boot/borrowed.js';
import type { BootContext } from './boot/context.js';
import { startDni } from './boot/dni.js';

provideAddon('dni', (ctx: BootContext, url?: string): (() => void) =>
  borrowRuntime('dni.js') ? startDni(ctx, url) : noop,
);
