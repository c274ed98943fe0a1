import { cookieSources, readCookieValues } from './cookie-jar.js';
import { createConsentStore } from './store.js';
import type { ConsentStoreOptions } from './store.js';
import type { BuiltInCategoryId, ConsentState, ConsentStorage, StoredCopy } from './types.js';

/** Options of {@link readConsentCookie}: the store's and the cookie storage's, as the browser page has them. */
export interface ReadConsentCookieOptions<Id extends string = string>
  extends Pick<
    ConsentStoreOptions<Id>,
    'categories' | 'regime' | 'revision' | 'consentDays' | 'refusalDays' | 'gpc' | 'now'
  > {
  /** Cookie name, as given to `createCookieStorage`. @default 'consentline' */
  name?: string;
  /** Cookie domain, as given to `createCookieStorage`. @default the current host only */
  domain?: string;
  /**
   * Whether the page is served over https, which decides the cookie's name (`__Host-<name>`, or
   * `__Secure-<name>` with a `domain`; `<name>` on http). Pass `false` for a site served over
   * plain http, such as a development server on `http://localhost`. @default true
   */
  secure?: boolean;
}

/**
 * Reads the consent decision from a request's `Cookie:` header, on the server: the state a
 * browser store created with the same options computes from that cookie, so a server render and
 * the first client render agree. Pure: no DOM, no globals, never throws on a hostile header.
 *
 * Two things only the browser knows must be passed in: GPC (send `gpc: true` when the request
 * has `Sec-GPC: 1`, and read it in the browser with `readGpc`) and whether the page is https.
 * On https without a `domain`, an unprefixed `<name>` cookie may have been set by a sibling
 * subdomain, and a header cannot tell, so it is read as such: it can take consent away, never
 * grant it on its own.
 *
 * @example
 * const state = readConsentCookie(request.headers.get('cookie'), { gpc: request.headers.get('sec-gpc') === '1' });
 * if (state.grants.analytics) renderAnalyticsTag();
 */
export function readConsentCookie<const Id extends string = never>(
  cookieHeader: string | null | undefined,
  options: ReadConsentCookieOptions<Id> = {},
): ConsentState<BuiltInCategoryId | Id> {
  const { name = 'consentline', domain, secure = true, ...storeOptions } = options;
  const shared = Boolean(domain);
  const sources = cookieSources(name, secure, shared);
  const jar = typeof cookieHeader === 'string' ? cookieHeader : '';
  const copies: StoredCopy[] = [];
  for (const cookie of Object.keys(sources)) {
    // The browser tells this host's own unprefixed cookie from a sibling's by deleting it; a
    // server cannot, so it believes it least.
    const source = secure && !shared && cookie === name ? 'foreign' : sources[cookie]!;
    for (const value of readCookieValues(jar, cookie)) copies.push({ value, source });
  }
  // The store itself reads the copies, so the server computes exactly what the browser will.
  const storage: ConsentStorage = {
    read: () => undefined,
    readCopies: () => copies,
    write: () => {},
    remove: () => {},
  };
  return createConsentStore({ ...storeOptions, storage }).get();
}
