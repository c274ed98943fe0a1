import type { ScriptConfig } from '../../core/config';
import type { ConsentStore } from '../../core/store';
import type { Warn } from '../../core/validate';
import type { SignalsConfig } from '../../signals/config';

/** The global `Consentline` object; each part adds its own methods. */
export interface ConsentlineApi {
  [method: string]: unknown;
}

/** What the script-tag boot hands to each part. */
export interface BootContext {
  config: ScriptConfig;
  store: ConsentStore;
  api: ConsentlineApi;
  warn: Warn;
  /** What `prepareSignals` decided before the store existed. */
  early: EarlySignals;
}

/** What the signal bridge decides before the store exists. */
export interface EarlySignals {
  gpc: boolean;
  regime?: 'opt-in' | 'opt-out';
  /** The validated `signals` section, handed on to `startSignals`. */
  signals?: SignalsConfig;
  /** Whether US frameworks (GPP US sections, USP) apply to this visit. */
  usApplies?: () => boolean;
}
