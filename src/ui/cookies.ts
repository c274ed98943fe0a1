/**
 * Deletes the page's cookies whose names match `patterns` (exact names, or `prefix*`), on the
 * host and every parent domain, on path `/` and each of `paths`: a tag may have set its cookie on
 * any of them, and a cookie survives unless deleted with the same domain and path.
 */
export function clearCookies(patterns: readonly string[], paths: readonly string[] = []): void {
  const d = document;
  const host = location.hostname.split('.');
  const domains = ['', ...host.map((_, i) => ';domain=' + host.slice(i).join('.'))];
  for (const pair of d.cookie.split(';')) {
    const name = pair.split('=')[0]!.trim();
    if (!name || !patterns.some((p) => (p.endsWith('*') ? name.startsWith(p.slice(0, -1)) : p === name))) continue;
    for (const path of ['/', ...paths]) for (const domain of domains) d.cookie = `${name}=;max-age=0;path=${path}${domain}`;
  }
}
