// Script-tag add-on: the session-pool client for `dni.pool`. The SDK fetches it with call tracking
// when `dni.pool.url` is set; a page may also load it itself, before the SDK, as
// `<script src="dist/dni-pool.js">`. Kept out of dist/consentline.min.js so sites without pools
// do not download the client.
import { createPoolSession } from '../dni/pool.js';
import { provideAddon } from './boot/addon.js';

declare global {
  interface Window {
    ConsentlinePool?: typeof createPoolSession;
  }
}

window.ConsentlinePool = createPoolSession;
provideAddon('dni-pool', createPoolSession);
