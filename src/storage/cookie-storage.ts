import Cookies from 'js-cookie';
import { cookieSources, domainAttributes, readCookieValues } from '../core/cookie-jar.js';
import { inBrowser } from '../core/env.js';
import { createMemoryStorage } from '../core/memory-storage.js';
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
}

const readAll = (name: string): string[] => {
  try {
    return readCookieValues(document.cookie, name);
  } catch {
    return [];
  }
};

const expire = (name: string, path: string, domain: string, secure: boolean): void => {
  try {
    document.cookie = `${name}=;max-age=-1;path=${path}${domain}${secure ? ';secure' : ''}`;
  } catch {
    // Cookies disabled: nothing to remove.
  }
};

// Deletes every cookie called `name` this page can see. A cookie is deleted only with its own
// domain and path, and a visible one sits on this host or a parent domain, on `/` or a prefix of
// this page's path (written with or without a trailing slash).
const expireEverywhere = (name: string, secure: boolean): void => {
  const domains = domainAttributes(location.hostname);
  const paths = new Set(['/']);
  let path = '';
  for (const segment of location.pathname.split('/')) {
    if (!segment) continue;
    path += '/' + segment;
    paths.add(path).add(path + '/');
  }
  for (const p of paths) for (const domain of domains) expire(name, p, domain, secure);
};

/**
 * Keeps the decision in a first-party cookie (js-cookie; `SameSite=Lax`, `Secure` on https,
 * `Path=/`), named `__Host-<name>` on https, `__Secure-<name>` on https with a `domain`, `<name>`
 * on http. Every copy the page can see is reported by `readCopies`, with how far it is believed:
 * an unprefixed cookie of this host from before the prefix is moved by the store's next write.
 * Every write is read back: a copy in the way (another path or domain, a sibling's) is deleted and
 * the write tried again; when cookies are disabled, or a configured domain is refused (a public
 * suffix, another site), it falls back to the host, then to memory for this page.
 *
 * Outside a browser (a server render) there is no cookie jar: it is a memory storage, and the
 * server reads the request's cookie with `readConsentCookie`.
 */
export function createCookieStorage(options: CookieStorageOptions = {}): ConsentStorage {
  if (!inBrowser()) return createMemoryStorage();
  const { name = 'consentline', domain, channel = 'consentline' } = options;
  const secure = location.protocol === 'https:';
  const base = { path: '/', sameSite: 'Lax', secure } as const;
  const sources = cookieSources(name, secure, Boolean(domain));
  const names = Object.keys(sources);
  const target = names[0]!;
  let fallback: ConsentStorage | undefined;
  let bc: BroadcastChannel | undefined;

  const copiesOf = (cookie: string, source: CopySource): StoredCopy[] => readAll(cookie).map((value) => ({ value, source }));

  // On https without a domain, an unprefixed cookie is either this host's own from before the
  // prefix (host-only, Path=/) or one a sibling set on the parent domain. Deleting the host-only
  // one tells them apart: what disappears was ours, and the store's next write moves it.
  const unprefixed = (): StoredCopy[] => {
    const before = readAll(name);
    if (!before.length) return [];
    expire(name, '/', '', secure);
    const after = readAll(name);
    return before.map((value) => ({ value, source: after.includes(value) ? 'foreign' : 'legacy' }));
  };

  const readCopies = (): StoredCopy[] => {
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

  const removeAll = () => {
    for (const cookie of names) expireEverywhere(cookie, secure);
  };

  // Writes the target cookie; true when it reads back as the only copy of `value` under that name.
  const put = (value: string, expires: number, withDomain: string | undefined): boolean => {
    try {
      Cookies.set(target, value, withDomain ? { ...base, domain: withDomain, expires: new Date(expires) } : { ...base, expires: new Date(expires) });
    } catch {
      return false;
    }
    const back = readAll(target);
    return back.length === 1 && back[0] === value;
  };

  const strays = (): boolean => names.some((cookie) => cookie !== target && readAll(cookie).length > 0);

  const stick = (value: string, expires: number, withDomain: string | undefined): boolean => {
    if (put(value, expires, withDomain) && !strays()) return true;
    // Another copy is in the way (another path or domain, an older name, a sibling's): the new
    // decision must be the one the next page reads, so every copy goes and the write is repeated.
    removeAll();
    return put(value, expires, withDomain);
  };

  const channelFor = (): BroadcastChannel | undefined => {
    if (!bc && typeof BroadcastChannel === 'function') {
      try {
        bc = new BroadcastChannel(channel);
      } catch {
        // Opaque origins refuse channels; other tabs then catch up on focus.
      }
    }
    return bc;
  };

  return {
    read() {
      const values = readCopies().map((copy) => copy.value);
      return values.length > 0 && values.every((v) => v === values[0]) ? values[0] : undefined;
    },
    readCopies,
    write(value, expires) {
      fallback = undefined;
      if (domain && stick(value, expires, domain)) return;
      // The domain was refused: this host only, under the same name.
      if (stick(value, expires, undefined)) return;
      removeAll();
      fallback = createMemoryStorage(value);
    },
    remove() {
      fallback = undefined;
      removeAll();
    },
    notify() {
      try {
        channelFor()?.postMessage('change');
      } catch {
        // No channel: other tabs catch up when they regain focus.
      }
    },
    watch(onChange) {
      const ch = channelFor();
      const onMessage = () => onChange();
      const onVisible = () => {
        if (document.visibilityState === 'visible') onChange();
      };
      ch?.addEventListener('message', onMessage);
      document.addEventListener('visibilitychange', onVisible);
      window.addEventListener('focus', onChange);
      return () => {
        ch?.removeEventListener('message', onMessage);
        document.removeEventListener('visibilitychange', onVisible);
        window.removeEventListener('focus', onChange);
        ch?.close();
        bc = undefined;
      };
    },
  };
}
