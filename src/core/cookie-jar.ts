import type { CopySource } from './types';

/** Where the decision cookie is written, and every name a copy may be under with how far it is believed. */
export interface CookieNames {
  /** The name the browser writes now. */
  readonly target: string;
  /** Every name a copy may be under, with how far that copy is believed. */
  readonly sources: Readonly<Record<string, CopySource>>;
}

/**
 * The consent cookie's names. On https it is `__Host-<name>` (this host only, so a sibling
 * subdomain can neither set nor overwrite it), or `__Secure-<name>` with a `domain`; `<name>` on
 * http. A sibling subdomain can set any cookie on the parent domain except a `__Host-` one; with a
 * `domain` the site shares the decision with its subdomains by choice, so their copies count as
 * its own. Shared by the cookie storage and the server-side reader so both read the same jar.
 */
export function cookieNames(name: string, secure: boolean, shared: boolean): CookieNames {
  const hostName = '__Host-' + name;
  const sharedName = '__Secure-' + name;
  if (!secure) return { target: name, sources: { [name]: 'current' } };
  if (shared) return { target: sharedName, sources: { [sharedName]: 'current', [hostName]: 'legacy', [name]: 'legacy' } };
  return { target: hostName, sources: { [hostName]: 'current', [name]: 'legacy', [sharedName]: 'foreign' } };
}

/**
 * Every value of the cookie called `name` in a cookie jar: `document.cookie`, or a request's
 * `Cookie:` header (both `a=1; b=2`). A value that cannot be decoded is kept as `\u0000`, which
 * no decision decodes from, so it counts as a bad copy rather than vanishing.
 */
export function readCookieValues(jar: string, name: string): string[] {
  const values: string[] = [];
  for (const pair of jar.split(/;\s*/)) {
    const eq = pair.indexOf('=');
    if (eq > 0 && pair.slice(0, eq) === name) {
      try {
        values.push(decodeURIComponent(pair.slice(eq + 1)));
      } catch {
        values.push('\u0000');
      }
    }
  }
  return values;
}
