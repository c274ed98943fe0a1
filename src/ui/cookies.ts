import { inBrowser } from '../core/env.js';
import { coveredNames, expireCookies } from '../storage/clear-cookies.js';

/**
 * The UI's part of clearing a withdrawn category's cookies: the store has them cleared by its
 * storage (on `/`, this page's path and its parents, under any name but the consent cookie's),
 * so the UI adds only the extra `cookiePaths` it was given. The consent cookie lives on `/` alone,
 * which is skipped here, so no pattern can reach it from this side.
 */
export function clearCookies(patterns: readonly string[], paths: readonly string[] = []): void {
  const extra = paths.filter((path) => path !== '/');
  if (!inBrowser() || !extra.length) return;
  expireCookies(coveredNames(patterns, [], true), extra);
}
