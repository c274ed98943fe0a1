import Cookies from 'js-cookie';
import {
  consentCookieNames,
  cookieSources,
  domainAttributes,
  pathAttributes,
  readCookieValues,
} from '../core/cookie-jar.js';
import { inBrowser } from '../core/env.js';
import { doc } from '../dom/document.js';
import { on } from '../dom/listen.js';
import { createMemoryStorage } from '../core/memory-storage.js';
import { clearCookies, expireCookies } from './clear-cookies.js';
import { cookieShadowed, readDocumentCookie, writeDocumentCookie } from './document-cookie.js';
import type { ConsentStorage, CopySource, StoredCopy } from '../core/types.js';

/** Options of {@link createCookieStorage}. */
export interface CookieStorageOptions {
  /**
   * Cookie name. On https it is written with a prefix the browser enforces: `__Host-<name>` (this
   * host only, so a sibling subdomain can neither set nor overwrite it), or `__Secure-<name>` with
   * a `domain`. @default 'consentline'
   */
  name?: string;
  /** Cookie domain, e.g. `example.com` to share the decision with subdomains. @default the current host only */
  domain?: string;
  /** Channel name used to tell other tabs about a change. @default 'consentline' */
  channel?: string;
  /**
   * Paths to clear a withdrawn category's cookies on, besides `/` and the current page's path and
   * its parents (see `clearCookies`). @default []
   */
  clearPaths?: readonly string[];
}

const readAll = (name: string): string[] => {
  try {
    return readCookieValues(readDocumentCookie(), name);
  } catch {
    return [];
  }
};

/**
 * Keeps the decision in a first-party cookie (js-cookie; `SameSite=Lax`, `Secure` on https,
 * `Path=/`), named `__Host-<name>` on https, `__Secure-<name>` on https with a `domain`, `<name>`
 * on http. Every copy the page can see is reported by `readCopies`, with how far it is believed:
 * an unprefixed cookie of this host from before the prefix is moved by the store's next write.
 * Every write is read back: a copy of this site's in the way (another path, an older name) is
 * deleted and the write tried again; a copy a sibling subdomain keeps on a parent domain is not
 * this site's to delete (on https: on http the browser cannot tell it from one of ours), and the
 * store reads it for what it is. When a configured domain is refused (a public suffix, another
 * site) it falls back to the host; when the prefixed name is refused, to the unprefixed one (which
 * the next read moves again); when cookies are disabled, to memory for this page.
 *
 * When the store sees a category withdrawn, `clearCookies` deletes that category's cookies,
 * never one under the consent cookie's names.
 *
 * Outside a browser (a server render) there is no cookie jar: it is a memory storage, and the
 * server reads the request's cookie with `readConsentCookie`.
 */
export function createCookieStorage(options: CookieStorageOptions = {}): ConsentStorage {
  if (!inBrowser()) return createMemoryStorage();
  const { name = 'consentline', domain, channel = 'consentline', clearPaths = [] } = options;
  const secure = location.protocol === 'https:';
  const base = { path: '/', sameSite: 'Lax', secure } as const;
  const sources = cookieSources(name, secure, Boolean(domain));
  const names = Object.keys(sources);
  const target = names[0]!;
  let fallback: ConsentStorage | undefined;
  let bc: BroadcastChannel | undefined;
  // How many watches listen on `bc`: the last one to stop closes it.
  let watching = 0;

  const copiesOf = (cookie: string, source: CopySource): StoredCopy[] =>
    readAll(cookie).map((value) => ({ value, source }));

  // On https without a domain, an unprefixed cookie is either this host's own from before the
  // prefix (host-only, Path=/) or one a sibling set on the parent domain. Deleting the host-only
  // one tells them apart: what disappears was ours, and the store's next write moves it.
  const unprefixed = (): StoredCopy[] => {
    const before = readAll(name);
    if (!before.length) return [];
    expireCookies([name], ['/'], ['']);
    const after = readAll(name);
    return before.map((value) => ({ value, source: after.includes(value) ? 'foreign' : 'legacy' }));
  };

  // The rest of a write whose cookie is set but not yet read back (see writeFirst): a read, a
  // write or a removal runs it first, so each sees the storage as after a whole write.
  let unfinished: (() => void) | undefined;
  const finish = () => {
    const rest = unfinished;
    unfinished = undefined;
    rest?.();
  };

  const readCopies = (): StoredCopy[] => {
    finish();
    if (fallback) {
      const value = fallback.read();
      return value === undefined ? [] : [{ value, source: 'current' }];
    }
    const copies: StoredCopy[] = [];
    for (const cookie of names) {
      copies.push(...(secure && !domain && cookie === name ? unprefixed() : copiesOf(cookie, sources[cookie]!)));
    }
    return copies;
  };

  const allDomains = domainAttributes(location.hostname);
  // Where this site's own copies are: this host only, and the configured domain. On http a
  // sibling's copy cannot be told from ours (see unprefixed), so every domain counts as ours.
  const ownDomains = secure ? ['', ...(domain ? [';domain=' + domain] : [])] : allDomains;

  // A copy is deleted only with its own domain and path, and a visible one sits on `/` or a
  // prefix of this page's path.
  const removeAll = () => expireCookies(names, pathAttributes(location.pathname), allDomains);
  const removeOwn = () => expireCookies(names, pathAttributes(location.pathname), ownDomains);

  // Sets `cookie`; false when the browser refused with a throw.
  const set = (cookie: string, value: string, expires: number, withDomain: string | undefined): boolean => {
    try {
      // js-cookie encodes the cookie and returns the string it assigned to document.cookie. Where
      // page content shadows document.cookie that assignment set nothing (see document-cookie.ts),
      // so the string is written through the prototype's setter.
      const written = Cookies.set(
        cookie,
        value,
        withDomain
          ? { ...base, domain: withDomain, expires: new Date(expires) }
          : { ...base, expires: new Date(expires) },
      );
      if (written && cookieShadowed()) writeDocumentCookie(written);
      return true;
    } catch {
      return false;
    }
  };

  // Whether `value` reads back as the only copy under the name `cookie`.
  const readsBack = (cookie: string, value: string): boolean => {
    const back = readAll(cookie);
    return back.length === 1 && back[0] === value;
  };

  // Writes `cookie`; true when it reads back as the only copy of `value` under that name.
  const put = (cookie: string, value: string, expires: number, withDomain: string | undefined): boolean =>
    set(cookie, value, expires, withDomain) && readsBack(cookie, value);

  const strays = (cookie: string): boolean => names.some((other) => other !== cookie && readAll(other).length > 0);

  // Whether the write of `cookie`, set (`wasSet`) or refused, stuck; if not, it is tried again.
  const stuck = (
    wasSet: boolean,
    cookie: string,
    value: string,
    expires: number,
    withDomain: string | undefined,
  ): boolean => {
    if (wasSet && readsBack(cookie, value) && !strays(cookie)) return true;
    // Another copy of ours is in the way (another path, an older name): the new decision must be
    // the one the next page reads, so they go and the write is repeated. A sibling's copy stays;
    // the store lets this site's newer decision outrank it.
    removeOwn();
    return put(cookie, value, expires, withDomain);
  };

  // Where a decision is written, best first: the configured domain, this host, and on https the
  // unprefixed name for a browser that refuses the prefixed one, so a decision (or the copy the
  // store is moving to the prefixed name) is never lost to a refused write.
  const attempts: ReadonlyArray<{ cookie: string; withDomain: string | undefined }> = [
    ...(domain ? [{ cookie: target, withDomain: domain }] : []),
    { cookie: target, withDomain: undefined },
    ...(target !== name ? [{ cookie: name, withDomain: undefined }] : []),
  ];

  // The channel other tabs hear changes on. One is kept open only while a watch listens on it, and
  // a change is told through that one: another channel of the same name in this tab would hear it.
  const openChannel = (): BroadcastChannel | undefined => {
    try {
      return new BroadcastChannel(channel);
    } catch {
      // No BroadcastChannel, or an opaque origin that refuses one: other tabs catch up on focus.
      return undefined;
    }
  };

  const writeFirst = (value: string, expires: number): (() => void) => {
    finish();
    fallback = undefined;
    const [first, ...others] = attempts;
    const wasSet = set(first!.cookie, value, expires, first!.withDomain);
    unfinished = () => {
      if (stuck(wasSet, first!.cookie, value, expires, first!.withDomain)) return;
      for (const { cookie, withDomain } of others)
        if (stuck(set(cookie, value, expires, withDomain), cookie, value, expires, withDomain)) return;
      removeOwn();
      fallback = createMemoryStorage(value);
    };
    return finish;
  };

  return {
    read() {
      const values = readCopies().map((copy) => copy.value);
      return values.length > 0 && values.every((v) => v === values[0]) ? values[0] : undefined;
    },
    readCopies,
    write(value, expires) {
      writeFirst(value, expires)();
    },
    writeFirst,
    remove() {
      finish();
      fallback = undefined;
      removeAll();
    },
    clearCookies(patterns) {
      clearCookies(patterns, { paths: clearPaths, keep: consentCookieNames(name) });
    },
    notify() {
      const ch = bc ?? openChannel();
      try {
        ch?.postMessage('change');
      } catch {
        // No channel: other tabs catch up when they regain focus.
      }
      if (ch !== bc) ch?.close();
    },
    watch(onChange) {
      if (!watching) bc = openChannel();
      watching++;
      const ch = bc;
      let stopped = false;
      const onMessage = () => onChange();
      ch?.addEventListener('message', onMessage);
      window.addEventListener('focus', onChange);
      // The document's through its prototype: page content can shadow its own members (see
      // src/dom/document.ts), and this runs while the SDK starts.
      const offVisible = on(document, 'visibilitychange', () => {
        if (doc('visibilityState') === 'visible') onChange();
      });
      return () => {
        if (stopped) return;
        stopped = true;
        ch?.removeEventListener('message', onMessage);
        window.removeEventListener('focus', onChange);
        offVisible();
        if (--watching) return;
        ch?.close();
        bc = undefined;
      };
    },
  };
}
