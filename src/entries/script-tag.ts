// The script-tag entry: the only module that does anything when loaded. It reads its
// configuration from the page, creates one store and wires every part to it.
import { validateConfig, type ScriptConfig } from '../core/config';
import { createConsentStore } from '../core/store';
import type { ConsentState, Grants } from '../core/types';
import { VERSION } from '../core/version';
import { createCookieStorage } from '../storage/cookie-storage';
import type { BootContext, ConsentlineApi } from './boot/context';
import { startDni } from './boot/dni';
import { prepareSignals, startSignals } from './boot/signals';
import { startUi } from './boot/ui';

declare global {
  interface Window {
    Consentline?: ConsentlineApi;
    dataLayer?: unknown[];
  }
}

const PREFIX = '[consentline]';
const CONFIG_ID = 'consentline-config';
// data-* attributes on the tag that are not configuration keys.
const NOT_CONFIG = /^(consentline|config|region)$/;

const warn = (message: string) => console.warn(PREFIX, message);

function ownTag(): HTMLScriptElement | null {
  const current = document.currentScript;
  if (current instanceof HTMLScriptElement) return current;
  return document.querySelector<HTMLScriptElement>('script[data-consentline]');
}

/** Reads the JSON block (`<script type="application/json" id="consentline-config">`), then the tag's data attributes over it. */
function readRawConfig(tag: HTMLScriptElement | null): unknown {
  let raw: Record<string, unknown> = {};
  const id = tag?.dataset['config'] || CONFIG_ID;
  const block = document.getElementById(id);
  if (block) {
    try {
      const parsed: unknown = JSON.parse(block.textContent || '{}');
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) raw = parsed as Record<string, unknown>;
      else warn(`#${id}: expected a JSON object; using the defaults`);
    } catch {
      warn(`#${id}: not valid JSON; using the defaults`);
    }
  }
  if (tag) {
    // Every other data-* attribute is a top-level key (data-cookie-name → cookieName); the
    // validator warns about the ones it does not know.
    for (const key of Object.keys(tag.dataset)) if (!NOT_CONFIG.test(key)) raw[key] = tag.dataset[key];
  }
  return raw;
}

function announce(state: ConsentState): void {
  const d = state.decision;
  try {
    document.dispatchEvent(new CustomEvent('consentline:change', { detail: state }));
  } catch {
    // A page that broke CustomEvent still gets the dataLayer event below.
  }
  const dl = (window.dataLayer = window.dataLayer || []);
  dl.push({
    event: 'consentline_change',
    consentline: {
      grants: { ...state.grants },
      method: d ? d.method : null,
      gpc: state.gpc,
      optedOut: state.optedOut,
      regime: state.regime,
    },
  });
}

function boot(): void {
  const tag = ownTag();
  const config: ScriptConfig = validateConfig(readRawConfig(tag), warn);
  const early = prepareSignals(config, warn);
  const store = createConsentStore({
    categories: config.categories ?? [],
    regime: early.regime ?? config.regime ?? 'opt-in',
    revision: config.revision ?? 1,
    consentDays: config.consentDays ?? 395,
    refusalDays: config.refusalDays ?? 182,
    storage: createCookieStorage(config.cookieDomain ? { name: config.cookieName ?? 'consentline', domain: config.cookieDomain } : { name: config.cookieName ?? 'consentline' }),
    gpc: early.gpc,
    onError: (error) => console.error(PREFIX, error),
  });
  const api = window.Consentline as ConsentlineApi;
  Object.assign(api, {
    get: () => store.get(),
    set: (grants: Partial<Grants>) => store.set(grants, 'api'),
    acceptAll: () => store.acceptAll('api'),
    rejectAll: () => store.rejectAll('api'),
    reset: () => store.reset(),
    on: (listener: (state: ConsentState) => void) => store.subscribe((state) => listener(state)),
    categories: store.categories,
  });
  store.subscribe(announce);
  const ctx: BootContext = {
    config,
    store,
    api,
    warn,
    early,
  };
  for (const start of [startSignals, startUi, startDni]) {
    try {
      start(ctx);
    } catch (error) {
      // One part failing must not take the others, or the page, down with it.
      console.error(PREFIX, error);
    }
  }
}

// Loaded twice (two tags, or a tag plus a bundle): the first instance stays the only one.
if (!window.Consentline) {
  window.Consentline = { version: VERSION };
  try {
    boot();
  } catch (error) {
    console.error(PREFIX, error);
  }
}
