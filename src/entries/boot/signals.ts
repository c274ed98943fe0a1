import type { ScriptConfig } from '../../core/config';
import type { Warn } from '../../core/validate';
import type { BootContext, EarlySignals } from './context';

// Replaced by the signal bridge (issue 4): GPC, regime per visit, Consent Mode default.
export function prepareSignals(_config: ScriptConfig, _warn: Warn): EarlySignals {
  return { gpc: false };
}

export function startSignals(_ctx: BootContext): () => void {
  return () => {};
}
