import type { CopySource } from './types.js';

/** Every name a copy of the decision may be under, with how far it is believed; the first is where it is written. */
export type CookieSources = Readonly<Record<string, CopySource>>;

/** `__Host-<name>` and `__Secure-<name>`, the names the consent cookie takes on https. */
export const prefixedNames = (name: string): [string, string] => ['__Host-' + name, '__Secure-' + name];

/** Every name the consent cookie called `name` may have, whatever the scheme: never cleared as some category's cookie. */
export const consentCookieNames = (name: string): string[] => [name, ...prefixedNames(name)];

/** Whether a category's cookie pattern (a name, or a prefix ending in `*`) covers the cookie `name`. */
export const covers = (pattern: string, name: string): boolean =>
  pattern.endsWith('*') ? name.startsWith(pattern.slice(0, -1)) : pattern === name;

/**
 * The consent cookie's names. On https it is `__Host-<name>` (this host only, so a sibling
 * subdomain can neither set nor overwrite it), or `__Secure-<name>` with a `domain`; `<name>` on
 * http. A sibling subdomain can set any cookie on the parent domain except a `__Host-` one; with a
 * `domain` the site shares the decision with its subdomains by choice, so their copies count as
 * its own. Shared by the cookie storage and the server-side reader so both read the same jar.
 */
export function cookieSources(name: string, secure: boolean, shared: boolean): CookieSources {
  const [hostName, sharedName] = prefixedNames(name);
  if (!secure) return { [name]: 'current' };
  if (shared) return { [sharedName]: 'current', [hostName]: 'legacy', [name]: 'legacy' };
  return { [hostName]: 'current', [name]: 'legacy', [sharedName]: 'foreign' };
}

/**
 * Every value of the cookie called `name` in a cookie jar: `document.cookie`, or a request's
 * `Cookie:` header (both `a=1; b=2`). A value that cannot be decoded is kept as `\u0000`, which
 * no decision decodes from, so it counts as a bad copy rather than vanishing.
 */
export function readCookieValues(jar: string, name: string): string[] {
  const values: string[] = [];
  for (const pair of jar.split(/; */)) {
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

/**
 * The `;domain=…` attributes a cookie this page sees may carry: none (this host only), then the
 * host and each parent domain. A cookie is deleted only with its own domain, so deleting one
 * everywhere tries each.
 */
export function domainAttributes(host: string): string[] {
  const labels = host.split('.');
  return ['', ...labels.map((_, i) => ';domain=' + labels.slice(i).join('.'))];
}

/**
 * The `;path=…` attributes a cookie this page sees may carry: `/` and each prefix of `pathname`,
 * written with and without a trailing slash (a cookie is visible on the paths under its own).
 * A cookie is deleted only with its own path, so deleting one everywhere tries each.
 */
export function pathAttributes(pathname: string): string[] {
  const paths = new Set(['/']);
  let path = '';
  for (const segment of pathname.split('/')) {
    // A URL keeps `;` in its path, a cookie path cannot hold one, and written into the deletion it
    // would end the attribute: `/a;max-age=99999999/` would turn it into a long-lived cookie.
    if (segment.includes(';')) break;
    if (!segment) continue;
    path += '/' + segment;
    paths.add(path).add(path + '/');
  }
  return [...paths];
}
