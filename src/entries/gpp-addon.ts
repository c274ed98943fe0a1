// Script-tag add-on: the IAB GPP CMP API (`__gpp`) and US Privacy's path for frames, fetched by the
// SDK from beside its own file on a visit US rules apply to (see boot/gpp-loader.ts and
// boot/usp.ts). Kept out of dist/consentline.min.js so a visit outside the US does not download
// the GPP encoder or the frame code.
import { installGpp } from '../signals/gpp.js';
import { answerUspFrames } from '../signals/usp-frames.js';
import { provideAddon } from './boot/addon.js';

provideAddon('gpp', installGpp);
provideAddon('usp', answerUspFrames);
