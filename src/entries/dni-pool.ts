// Script-tag add-on: the session pool for `dni.pool`, as call tracking's session source. The SDK
// fetches it with call tracking when `dni.pool.url` is set; a page may also load it itself, before
// the SDK, as `<script src="dist/dni-pool.js">`. Kept out of dist/consentline.min.js and
// dist/dni.js so sites without pools do not download the client or the lease handling.
import { createPoolSource } from '../dni/pool-source.js';
import { provideAddon } from './boot/addon.js';

provideAddon('dni-pool', createPoolSource);
