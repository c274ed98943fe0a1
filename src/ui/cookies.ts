import { domainAttributes } from '../core/cookie-jar.js';
import { inBrowser } from '../core/env.js';

// A Consentline decision record (`schema~revision~id~…`). The consent cookie is never cleared,
// whatever its name or prefix and whatever a category's pattern covers: clearing it would undo
// the very withdrawal that asked for the clearing.
const DECISION = /^\d+~\d+~[0-9a-z]+~/;

/**
 * Deletes the page's cookies whose names match `patterns` (exact names, or `prefix*`), on the
 * host and every parent domain, on path `/` and each of `paths`: a tag may have set its cookie on
 * any of them, and a cookie survives unless deleted with the same domain and path. A name that
 * holds a consent decision is kept. Outside a browser it does nothing.
 */
export function clearCookies(patterns: readonly string[], paths: readonly string[] = []): void {
  if (!inBrowser()) return;
  const d = document;
  const domains = domainAttributes(location.hostname);
  const matched = new Set<string>();
  const kept = new Set<string>();
  for (const pair of d.cookie.split(';')) {
    const eq = pair.indexOf('=');
    const name = pair.slice(0, eq < 0 ? pair.length : eq).trim();
    if (!name || !patterns.some((p) => (p.endsWith('*') ? name.startsWith(p.slice(0, -1)) : p === name))) continue;
    if (DECISION.test(pair.slice(eq + 1))) kept.add(name);
    else matched.add(name);
  }
  for (const name of matched) {
    if (kept.has(name)) continue;
    for (const path of ['/', ...paths]) for (const domain of domains) d.cookie = `${name}=;max-age=0;path=${path}${domain}`;
  }
}
