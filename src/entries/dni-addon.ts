// Script-tag add-on: call tracking, fetched by the SDK from beside its own file when `dni.targets`
// is configured (see boot/dni-loader.ts). Kept out of dist/consentline.min.js so consent-only
// sites do not download it.
import { provideAddon } from './boot/addon.js';
import { startDni } from './boot/dni.js';

provideAddon('dni', startDni);
