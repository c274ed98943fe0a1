// Script-tag add-on: the IAB GPP CMP API (`__gpp`), fetched by the SDK from beside its own file on
// a visit US rules apply to (see boot/gpp-loader.ts). Kept out of dist/consentline.min.js so a
// visit outside the US does not download the GPP encoder.
import { installGpp } from '../signals/gpp.js';
import { provideAddon } from './boot/addon.js';

provideAddon('gpp', installGpp);
