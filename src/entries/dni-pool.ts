// Script-tag add-on: `<script src="dist/dni-pool.js">` before the SDK lets `dni.pool` ask a session
// pool. Kept out of dist/consentline.min.js so sites without pools do not download the client.
import { createPoolSession } from '../dni/pool.js';

declare global {
  interface Window {
    ConsentlinePool?: typeof createPoolSession;
  }
}

window.ConsentlinePool = createPoolSession;
