import { covers, domainAttributes, pathAttributes } from '../core/cookie-jar.js';
import { inBrowser } from '../core/env.js';
import { readDocumentCookie, writeDocumentCookie } from './document-cookie.js';

/** Options of {@link clearCookies}. */
export interface ClearCookiesOptions {
  /**
   * Paths to delete on besides `/` and this page's own path and its parents. A cookie set on
   * another path is not visible from this page, so the exact names among the patterns are deleted
   * there unseen too. @default []
   */
  paths?: readonly string[];
  /** Names never deleted, whatever pattern covers them: the consent cookie's. @default [] */
  keep?: readonly string[];
}

/** The names of the cookies this page can see. */
const visibleNames = (): string[] => {
  try {
    return readDocumentCookie()
      .split(';')
      .map((pair) => pair.split('=')[0]!.trim());
  } catch {
    // A sandboxed document refuses cookies: nothing to see, nothing to delete.
    return [];
  }
};

/**
 * Deletes the cookies called one of `names` on each of `paths`, on each of `domains` (`;domain=…`
 * attributes, `''` for this host only; by default this host and every parent domain). A cookie is
 * deleted only with its own domain and path, and only by a deletion as secure as it is: on https
 * every deletion is `Secure` (a prefixed name requires it, and a Secure cookie ignores a plain
 * one), and a `__Host-` cookie exists only on `/` with no domain, so it is deleted only when
 * `paths` has `/`.
 */
export function expireCookies(
  names: Iterable<string>,
  paths: readonly string[],
  domains: readonly string[] = domainAttributes(location.hostname),
): void {
  const secure = location.protocol === 'https:' ? ';secure' : '';
  for (const name of names) {
    const host = name.startsWith('__Host-');
    for (const path of host ? paths.filter((p) => p === '/') : paths) {
      for (const domain of host ? [''] : domains) {
        try {
          writeDocumentCookie(`${name}=;max-age=-1;path=${path}${domain}${secure}`);
        } catch {
          // Cookies refused: nothing was there to delete.
        }
      }
    }
  }
}

/**
 * The names `patterns` (exact names, or `prefix*`) cover among the cookies this page can see, less
 * `keep`; with `unseen`, also the exact names among the patterns, which may be set on a path this
 * page does not see.
 */
export function coveredNames(patterns: readonly string[], keep: readonly string[] = [], unseen = false): Set<string> {
  const names = new Set<string>();
  for (const name of visibleNames()) if (name && patterns.some((p) => covers(p, name))) names.add(name);
  if (unseen) for (const pattern of patterns) if (pattern && !pattern.endsWith('*')) names.add(pattern);
  for (const name of keep) names.delete(name);
  return names;
}

/**
 * Deletes the cookies whose names match `patterns` (exact names, or `prefix*`: a withdrawn
 * category's `cookies`) wherever this page could have set them: on this host and every parent
 * domain, on `/`, this page's path and its parents, and each of `paths`; `Secure` and prefixed
 * ones included. What to keep is decided by name (`keep`), never by what a value looks like.
 * Outside a browser it does nothing.
 *
 * The cookie storage calls it for the store whenever a category is withdrawn, keeping the
 * consent cookie's own names; call it yourself only for cookies no category lists.
 *
 * @example
 * clearCookies(['_ga', '_ga_*'], { paths: ['/shop'] });
 */
export function clearCookies(patterns: readonly string[], options: ClearCookiesOptions = {}): void {
  if (!inBrowser()) return;
  const { paths = [], keep = [] } = options;
  // A cookie this page cannot see is not on its own paths: only what it sees is deleted there.
  const seen = coveredNames(patterns, keep);
  expireCookies(seen, [...new Set([...pathAttributes(location.pathname), ...paths])]);
  if (paths.length)
    expireCookies(
      [...coveredNames(patterns, keep, true)].filter((name) => !seen.has(name)),
      paths,
    );
}
