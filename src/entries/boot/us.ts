// The US frameworks of the script-tag build, as dist/us.js runs them: the GPP CMP API (`__gpp`)
// and, when configured, US Privacy (`__uspapi`), both answering from the store the SDK hands over.
import type { ConsentStore } from '../../core/store.js';
import { installGpp, type GppOptions } from '../../signals/gpp.js';
import { installUspapi, type UspOptions } from '../../signals/usp.js';

/** Which US APIs to install, and their options; `false` leaves one out. */
export interface UsFrameworks {
  gpp: GppOptions | false;
  usp: UspOptions | false;
}

/**
 * Installs `__uspapi`, then `__gpp` (draining a stub's queue), on `store`; returns the cleanup.
 * US Privacy comes first, so a GPP listener that asks it while the queue drains is answered at once.
 */
export function startUsFrameworks(store: ConsentStore, frameworks: UsFrameworks): () => void {
  const offs = [
    frameworks.usp && installUspapi(store, frameworks.usp),
    frameworks.gpp && installGpp(store, frameworks.gpp),
  ];
  return () => offs.forEach((off) => off && off());
}
