import type { Category, ConsentState, Grants } from './types.js';

/**
 * The `window.Consentline` global of the script tag, typed by the site's category ids. Declare it
 * once in a TypeScript page script and a misspelt id no longer compiles:
 *
 * @example
 * import type { ConsentlineGlobal } from 'consentline';
 * declare global {
 *   interface Window { Consentline: ConsentlineGlobal<'necessary' | 'analytics' | 'advertising' | 'social' | 'chat'> }
 * }
 * window.Consentline.set({ chat: true });
 */
export interface ConsentlineGlobal<Id extends string = string> {
  /** The SDK's version. */
  readonly version: string;
  /** The current state. */
  get(): ConsentState<Id>;
  /** Grants or refuses some categories (recorded with method `api`). */
  set(grants: Partial<Grants<Id>>): void;
  /** Grants every category (sale/share ones stay denied while GPC applies), recorded with method `api`. */
  acceptAll(): void;
  /** Denies every category but `necessary`, recorded with method `api`. */
  rejectAll(): void;
  /** Forgets the decision: the banner shows again. */
  reset(): void;
  /** Calls `listener` on every change; returns the unsubscribe. */
  on(listener: (state: ConsentState<Id>) => void): () => void;
  /** Every category, `necessary` first. */
  readonly categories: readonly Category<Id>[];
  /** Do Not Sell or Share: denies every sale/share category and remembers it. */
  optOut(): void;
  /** Opens the preferences dialog (when the UI is mounted). */
  showPreferences(): void;
  /** Closes the preferences dialog without deciding (when the UI is mounted). */
  hidePreferences(): void;
  /** Call tracking, when `dni.targets` is configured. */
  readonly dni?: {
    /** The tracking number (E.164) shown for a target (default: the first), or undefined when the original shows. */
    getNumber(target?: string): string | undefined;
    /** Calls `fn` whenever the numbers change; returns the unsubscribe. */
    subscribe(fn: (numbers: Readonly<Record<string, string>>) => void): () => void;
  };
}
