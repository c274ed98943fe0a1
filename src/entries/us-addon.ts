// Script-tag add-on: the US frameworks (GPP's `__gpp`, US Privacy's `__uspapi`), fetched by the
// SDK from beside its own file on a visit they apply to (see boot/us-loader.ts). Kept out of
// dist/consentline.min.js so a visit outside the US does not download the GPP encoder.
import { provideAddon } from './boot/addon.js';
import { startUsFrameworks } from './boot/us.js';

provideAddon('us', startUsFrameworks);
