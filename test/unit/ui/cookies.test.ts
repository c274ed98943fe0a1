// @vitest-environment happy-dom
// @vitest-environment-options { "url": "https://shop.example.com/page" }
// The UI's part of clearing on withdrawal: the `cookiePaths` it was given (the store clears the
// rest through its storage).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { clearCookies } from '../../../src/ui/cookies';

afterEach(() => {
  vi.restoreAllMocks();
});

function deletionsFrom(jar: string, patterns: string[], paths: string[]): string[] {
  const writes: string[] = [];
  const proto = Object.getPrototypeOf(document);
  vi.spyOn(proto, 'cookie', 'get').mockReturnValue(jar);
  vi.spyOn(proto, 'cookie', 'set').mockImplementation((v: unknown) => {
    writes.push(String(v));
  });
  clearCookies(patterns, paths);
  vi.restoreAllMocks();
  return writes;
}

describe('clearCookies (UI)', () => {
  it('deletes matching cookies on the extra paths only, on every domain, Secure on https', () => {
    const writes = deletionsFrom('_ga=1; keep=2', ['_ga*'], ['/shop']);
    expect(writes.sort()).toEqual(
      ['', ';domain=shop.example.com', ';domain=example.com', ';domain=com']
        .map((d) => `_ga=;max-age=-1;path=/shop${d};secure`)
        .sort(),
    );
  });

  it('never deletes on `/`, where the consent cookie lives, whatever pattern covers it', () => {
    const writes = deletionsFrom('consentline=1; __Host-consentline=2', ['*'], ['/', '/shop']);
    expect(writes.some((w) => w.includes('path=/;') || w.endsWith('path=/'))).toBe(false);
    expect(writes.some((w) => w.startsWith('__Host-'))).toBe(false);
    expect(writes.filter((w) => w.startsWith('consentline=')).length).toBeGreaterThan(0);
  });

  it('does nothing without extra paths', () => {
    expect(deletionsFrom('_ga=1', ['_ga'], [])).toEqual([]);
  });
});
