// Script-tag add-ons: optional parts in files of their own beside the SDK's, fetched by the SDK
// only when the configuration uses them, so a site still pastes one tag and a consent-only site
// does not download call tracking. An add-on file runs `provideAddon(name, value)`; the SDK reads
// the value once the file has run. The registry sits under a symbol, which page markup cannot
// clobber (an element's id or name can stand in for a window property, never for a symbol).
// Each release's add-ons are kept under keys of their own (`gpp@1.2.0`): a file of another release
// already on the page (a cached copy, a tag left from before an upgrade) is never taken for this
// SDK's, which fetches its own file, with its integrity, instead.
import { noop } from '../../core/env.js';
import { VERSION } from '../../core/version.js';
import { doc } from '../../dom/document.js';
import { scriptPolicy } from '../../ui/trusted-types.js';
import { ADDONS, type AddonFile, type AddonName } from './addon-files.js';

const REGISTRY = Symbol.for('consentline.addons');

/** What every add-on provides: the function that starts it. */
export type AddonFunction = (...args: never[]) => unknown;

/** What a load came to: the function the file provided, or why there is none. */
export type AddonResult<T = AddonFunction> = { kind: 'ready'; value: T } | { kind: 'failed'; reason: string };

/** Whether a file ran, or why it did not. */
type Fetched = { kind: 'ran' } | { kind: 'failed'; reason: string };

type Registry = Record<string, unknown>;

/** The registry key of this release's add-on `name`. */
const keyOf = (name: string): string => `${name}@${VERSION}`;

const registry = (): Registry => {
  const w = window as unknown as Record<symbol, Registry | undefined>;
  w[REGISTRY] ||= Object.create(null) as Registry;
  return w[REGISTRY];
};

// One fetch per file: dist/gpp.js serves both GPP and US Privacy's frames.
const fetches = new Map<string, Promise<Fetched>>();

/** In an add-on file: hands `value` to the SDK of the same release that loads the file (or loads later). */
export function provideAddon(name: string, value: unknown): void {
  registry()[keyOf(name)] = value;
}

/** What the add-on `name` of this release provided, if its file has run (a `<script>` before the SDK's). */
export function providedAddon(name: string): unknown {
  return registry()[keyOf(name)];
}

/**
 * Says in the console when `file`, of another release, provided the add-on `name` (releases before
 * keys had versions used the bare name): a site that pins the SDK's version learns which tag is
 * left behind. Returns whether it did.
 */
export function warnIfOtherRelease(name: string, file: string): boolean {
  // This release's own key is no other release, whatever it holds.
  const own = keyOf(name);
  const other = Object.keys(registry()).some((key) => key !== own && key.split('@')[0] === name);
  if (other) console.warn('[consentline]', `${file} on the page is not of release ${VERSION}: not used`);
  return other;
}

/**
 * Runs `addon.file` (the add-on `name`'s) from beside `tag`'s own src (same directory, the tag's
 * nonce and crossorigin mode, `addon.integrity`), once per page.
 */
function fetchFile(name: string, addon: AddonFile, tag: HTMLScriptElement | undefined): Promise<Fetched> {
  if (!tag?.src || !tag.isConnected)
    return Promise.resolve({ kind: 'failed', reason: `no SDK <script src> to load ${addon.file} beside` });
  const url = new URL(addon.file, tag.src).href;
  let fetching = fetches.get(url);
  if (fetching) return fetching;
  // Once per file: dist/gpp.js provides two add-ons.
  warnIfOtherRelease(name, addon.file);
  fetching = new Promise((done) => {
    const script = doc('createElement').call(document, 'script') as HTMLScriptElement;
    script.integrity = addon.integrity;
    // An integrity check on another origin's file needs a CORS fetch (a CDN answers one).
    script.crossOrigin = tag.crossOrigin || 'anonymous';
    if (tag.nonce) script.nonce = tag.nonce;
    script.onload = () => done({ kind: 'ran' });
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
  fetches.set(url, fetching);
  return fetching;
}

/**
 * Loads the add-on `name` from its file (see addon-files.ts) beside `tag`'s own src, and resolves
 * with the function the file provided. An add-on of this release already on the page (its own tag
 * ran first) is used without a fetch; one of another release is not used. Never rejects: without
 * a tag to load from, or when the file is missing, blocked by the CSP or does not match its
 * integrity, it resolves `failed` and the page goes on without the add-on. Fetching is not
 * collecting: the file is the SDK's own static code, and the add-on itself decides what consent
 * allows.
 */
export function loadAddon<T extends AddonFunction>(
  name: AddonName,
  tag: HTMLScriptElement | undefined,
): Promise<AddonResult<T>> {
  const { file } = ADDONS[name];
  const provided = (): AddonResult<T> => {
    const value = providedAddon(name);
    return typeof value === 'function'
      ? { kind: 'ready', value: value as T }
      : { kind: 'failed', reason: `${file} ran but provided no ${name}` };
  };
  if (providedAddon(name) !== undefined) return Promise.resolve(provided());
  return fetchFile(name, ADDONS[name], tag).then((fetched) => (fetched.kind === 'ran' ? provided() : fetched));
}

/**
 * Starts what `loading` brings with `start` (which returns its cleanup), unless the cleanup this
 * returns ran first. An exception `start` throws goes to the console and to `onError`; the page
 * goes on without the add-on.
 */
export function whenLoaded<T>(
  loading: Promise<T>,
  start: (loaded: T) => (() => void) | undefined,
  onError: () => void = noop,
): () => void {
  let stop: (() => void) | undefined;
  let stopped = false;
  void loading.then((loaded) => {
    if (stopped) return;
    try {
      stop = start(loaded);
    } catch (error) {
      console.error('[consentline]', error);
      onError();
    }
  });
  return () => {
    stopped = true;
    stop?.();
  };
}
