import type { ScriptConfig } from '../../core/config.js';
import type { ConsentStore } from '../../core/store.js';
import type { Warn } from '../../core/validate.js';
import type { SignalsConfig } from '../../signals/config.js';
import type { ConsentUi } from '../../ui/mount.js';
import type { UiConfig } from './ui.js';

/** The global `Consentline` object; each part adds its own methods. */
export interface ConsentlineApi {
  [method: string]: unknown;
}

/** What the script-tag boot hands to each part. */
export interface BootContext {
  config: ScriptConfig;
  store: ConsentStore;
  /** The same store, whose subscribers hear each change in the task after it (see later.ts): for everything a click need not wait for. */
  later: ConsentStore;
  /** Runs a task after the current one, in order with `later`'s listeners. */
  defer: (task: () => void) => void;
  /** Holds `defer`'s and `later`'s next run until `loading` settles, for a moment at most (see later.ts). */
  holdLater?: (loading: Promise<unknown>) => void;
  api: ConsentlineApi;
  warn: Warn;
  /** Reports an error of the SDK's (to the console); never throws into the page. */
  onError: (error: unknown) => void;
  /** What `prepareSignals` decided before the store existed. */
  early: EarlySignals;
  /** The validated `ui` section, read before the store (its `cookiePaths` go to the cookie storage). */
  ui: UiConfig;
  /**
   * The SDK's own `<script>` tag, read once in a way page markup cannot stand in for (see
   * script-tag.ts): its nonce gates held-back scripts, its `data-region` hints the regime.
   * Absent when the code runs without a tag of its own.
   */
  tag?: HTMLScriptElement | undefined;
  /** Whether the consent UI's preferences dialog is open (see `ConsentUi.watchPreferences`); set once the UI is mounted. */
  watchPreferences?: ConsentUi['watchPreferences'];
}

/** What the signal bridge decides before the store exists. */
export interface EarlySignals {
  gpc: boolean;
  regime?: 'opt-in' | 'opt-out';
  /** The region hint, upper-cased, when the page gave a valid one. */
  region?: string | undefined;
  /** The validated `signals` section, handed on to `startSignals`. */
  signals?: SignalsConfig;
  /** Whether US frameworks (GPP US sections, USP) apply to this visit. */
  usApplies?: () => boolean;
}
