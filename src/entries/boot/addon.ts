// Script-tag add-ons: optional parts in files of their own beside the SDK's, fetched by the SDK
// only when the configuration uses them, so a site still pastes one tag and a consent-only site
// does not download call tracking. An add-on file runs `provideAddon(name, value)`; the SDK reads
// the value once the file has run. The registry sits under a symbol, which page markup cannot
// clobber (an element's id or name can stand in for a window property, never for a symbol).
import { doc } from '../../dom/document.js';
import { scriptPolicy } from '../../ui/trusted-types.js';

const REGISTRY = Symbol.for('consentline.addons');

/** An add-on file: its name beside the SDK's file, and its integrity (baked in at build time). */
export interface AddonFile {
  file: string;
  /** `sha384-…` of the file as built. */
  integrity: string;
}

/** What a load came to: the value the file provided, or why there is none. */
export type AddonResult = { kind: 'ready'; value: unknown } | { kind: 'failed'; reason: string };

type Registry = Record<string, unknown>;

const registry = (): Registry => {
  const w = window as unknown as Record<symbol, Registry | undefined>;
  w[REGISTRY] ||= Object.create(null) as Registry;
  return w[REGISTRY];
};

/** In an add-on file: hands `value` to the SDK that loads the file (or loads later). */
export function provideAddon(name: string, value: unknown): void {
  registry()[name] = value;
}

/** What the add-on `name` provided, if its file has run (a `<script>` before the SDK's). */
export function providedAddon(name: string): unknown {
  return registry()[name];
}

/**
 * Loads the add-on `name` from `addon.file` beside `tag`'s own src (same directory, the tag's
 * nonce and crossorigin mode, `addon.integrity`), and resolves with what the file provided. An
 * add-on already on the page (its own tag ran first) is used without a fetch. Never rejects:
 * without a tag to load from, or when the file is missing, blocked by the CSP or does not match
 * its integrity, it resolves `failed` and the page goes on without the add-on. Fetching is not
 * collecting: the file is the SDK's own static code, and the add-on itself decides what consent
 * allows.
 */
export function loadAddon(name: string, addon: AddonFile, tag: HTMLScriptElement | undefined): Promise<AddonResult> {
  const provided = (): AddonResult => {
    const value = registry()[name];
    return value === undefined
      ? { kind: 'failed', reason: `${addon.file} ran but provided no ${name}` }
      : { kind: 'ready', value };
  };
  if (registry()[name] !== undefined) return Promise.resolve(provided());
  if (!tag?.src || !tag.isConnected)
    return Promise.resolve({ kind: 'failed', reason: `no SDK <script src> to load ${addon.file} beside` });
  return new Promise((done) => {
    const script = doc('createElement').call(document, 'script') as HTMLScriptElement;
    const url = new URL(addon.file, tag.src).href;
    script.integrity = addon.integrity;
    // An integrity check on another origin's file needs a CORS fetch (a CDN answers one).
    script.crossOrigin = tag.crossOrigin || 'anonymous';
    if (tag.nonce) script.nonce = tag.nonce;
    script.onload = () => done(provided());
    script.onerror = () =>
      done({
        kind: 'failed',
        reason: `${url} did not load (missing, blocked by the page's policy, or not matching its integrity)`,
      });
    try {
      script.src = (scriptPolicy()?.createScriptURL(url) ?? url) as string;
      tag.after(script);
    } catch {
      // Trusted Types enforced without the "consentline" policy allowed.
      done({ kind: 'failed', reason: `${url}: the page's Trusted Types policy refused it` });
    }
  });
}
