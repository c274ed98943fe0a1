// The script-tag entry: the only module that does anything when loaded. It reads its
// configuration from the page, creates one store and wires every part to it.
import { validateConfig, type ScriptConfig } from '../core/config.js';
import { buildConsentStore } from '../core/store.js';
import type { ConsentState, Grants } from '../core/types.js';
import { isPlainObject } from '../core/validate.js';
import { VERSION } from '../core/version.js';
import { doc } from '../dom/document.js';
import { announceConsent } from '../signals/events.js';
import { createCookieStorage } from '../storage/cookie-storage.js';
import type { BootContext, ConsentlineApi } from './boot/context.js';
import { loadDni } from './boot/dni-loader.js';
import { prepareSignals, startSignals } from './boot/signals.js';
import { createLater, deferListeners } from './boot/later.js';
import { readUiConfig, startUi } from './boot/ui.js';

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
// The top-level keys a data attribute sets (data-cookie-name → cookieName): those whose value is one word.
const ATTRIBUTE_KEYS = /^(regime|revision|consentDays|refusalDays|cookieName|cookieDomain|privacyPolicyUrl|debug)$/;
// Marks the window while a copy runs. Not `window.Consentline`: page content can fake that one
// (<a id="Consentline"> is window.Consentline by named access), but no element can set a symbol.
const RUNNING = Symbol.for('consentline');

// Page markup can shadow document's own members (DOM clobbering): <img name="currentScript">
// makes `document.currentScript` that image, with its data-region and no nonce. The getter and
// methods on Document.prototype cannot be shadowed, so the SDK reads its tag and its config
// through them. The running tag is known only now, while this file first runs.
const running: unknown = doc('currentScript');
const query = (selector: string): NodeListOf<Element> => Document.prototype.querySelectorAll.call(document, selector);

const warn = (message: string) => console.warn(PREFIX, message);
const onError = (error: unknown) => console.error(PREFIX, error);

/** The SDK's own tag: the running script, else (the code was bundled or evaluated) the one marked data-consentline. */
function ownTag(): HTMLScriptElement | undefined {
  if (running instanceof HTMLScriptElement) return running;
  return query('script[data-consentline]')[0] as HTMLScriptElement | undefined;
}

/**
 * The JSON block: the `<script type="application/json">` whose id the tag names in `data-config`,
 * else the one with id `consentline-config`. No other element is read, whatever its id: comments,
 * reviews and CMS blocks keep ids, and a config read from them would let page content choose the
 * regime, the labels and every endpoint.
 */
function readConfigBlock(id: string): Record<string, unknown> {
  const found = Array.from(query(`[id="${CSS.escape(id)}"]`));
  const blocks = found.filter(
    (el): el is HTMLScriptElement => el instanceof HTMLScriptElement && /^application\/json$/i.test(el.type),
  );
  const ignored = found.length - blocks.length;
  if (ignored)
    warn(`#${id}: read only from <script type="application/json">; ${ignored} other element(s) with this id ignored`);
  if (blocks.length > 1) warn(`#${id}: ${blocks.length} config blocks; only the first is read`);
  const block = blocks[0];
  if (!block) return {};
  try {
    const parsed: unknown = JSON.parse(block.text || '{}');
    if (isPlainObject(parsed)) return parsed;
    warn(`#${id}: expected a JSON object; using the defaults`);
  } catch {
    warn(`#${id}: not valid JSON; using the defaults`);
  }
  return {};
}

/** Reads the JSON block (see readConfigBlock), then the tag's data attributes over it. */
function readRawConfig(tag: HTMLScriptElement | undefined): unknown {
  const raw = readConfigBlock(tag?.dataset['config'] || CONFIG_ID);
  if (tag) {
    // A data-* attribute sets a top-level key (data-cookie-name → cookieName); the site wrote the
    // attribute, so one we do not know is named as written.
    for (const key of Object.keys(tag.dataset)) {
      if (ATTRIBUTE_KEYS.test(key)) raw[key] = tag.dataset[key];
      else if (!NOT_CONFIG.test(key))
        warn(`data-${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}: unknown attribute, ignored`);
    }
  }
  return raw;
}

function boot(): void {
  const tag = ownTag();
  const config: ScriptConfig = validateConfig(readRawConfig(tag), warn);
  const early = prepareSignals(config, warn, tag);
  const ui = readUiConfig(config, warn, window.ConsentlineLangs);
  // Work a click on Accept or Reject need not wait for (see later.ts): the store's check of its
  // cookie after a grant, and the subscribers of `later` below.
  const defer = createLater(onError);
  // The configuration is checked (validateConfig, and the region's regime by prepareSignals): the
  // store is built from it as it is, without createConsentStore's defaults and checks.
  const store = buildConsentStore({
    categories: config.categories ?? [],
    regime: early.regime ?? config.regime ?? 'opt-in',
    revision: config.revision ?? 1,
    consentDays: config.consentDays ?? 395,
    refusalDays: config.refusalDays ?? 182,
    // One place clears a withdrawn category's cookies, the extra `ui.cookiePaths` included, in
    // the task of the decision.
    storage: createCookieStorage({
      name: config.cookieName ?? 'consentline',
      ...(config.cookieDomain && { domain: config.cookieDomain }),
      ...(ui.cookiePaths && { clearPaths: ui.cookiePaths }),
    }),
    gpc: early.gpc,
    now: Date.now,
    onError,
    defer,
  });
  const later = deferListeners(store, defer);
  const api = window.Consentline as ConsentlineApi;
  Object.assign(api, {
    get: () => store.get(),
    set: (grants: Partial<Grants>) => store.set(grants, 'api'),
    acceptAll: () => store.acceptAll('api'),
    rejectAll: () => store.rejectAll('api'),
    reset: () => store.reset(),
    on: (listener: (state: ConsentState) => void) => later.subscribe((state) => listener(state)),
    categories: store.categories,
  });
  announceConsent(later);
  const ctx: BootContext = {
    config,
    store,
    later,
    defer,
    holdLater: defer._private_hold,
    api,
    warn,
    onError,
    early,
    ui,
    tag,
  };
  for (const start of [startSignals, startUi, loadDni]) {
    try {
      start(ctx);
    } catch (error) {
      // One part failing must not take the others, or the page, down with it.
      onError(error);
    }
  }
}

// Loaded twice (two tags, or a tag plus a bundle): the first instance stays the only one.
const marks = window as unknown as Record<symbol, boolean>;
if (!marks[RUNNING]) {
  marks[RUNNING] = true;
  window.Consentline = { version: VERSION };
  // Booted from a microtask: after this file's top-level code has returned, before the page's next
  // script. The cookie read makes Chromium record a performance issue with the script's stack, and
  // with DevTools attached it collects the source positions of each function on that stack by
  // parsing it again: this file's top-level function is the whole file.
  queueMicrotask(() => {
    try {
      boot();
    } catch (error) {
      onError(error);
    }
  });
}
