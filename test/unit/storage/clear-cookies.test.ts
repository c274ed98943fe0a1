// @vitest-environment happy-dom
// @vitest-environment-options { "url": "https://shop.example.com/blog/post" }
// What clearCookies asks the browser to delete. happy-dom's jar does not model domains, paths or
// prefixes faithfully, so the deletions are recorded from the cookie setter here; the browser
// test (test/browser/cookies-clearing.spec.ts) checks what a real jar keeps.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { clearCookies, coveredNames, expireCookies } from '../../../src/storage/clear-cookies';

afterEach(() => {
  vi.restoreAllMocks();
});

/** Every deletion written while `run` runs against a jar of `jar`. */
function deletionsFrom(jar: string, run: () => void): string[] {
  const writes: string[] = [];
  const proto = Object.getPrototypeOf(document);
  vi.spyOn(proto, 'cookie', 'get').mockReturnValue(jar);
  vi.spyOn(proto, 'cookie', 'set').mockImplementation((v: unknown) => {
    writes.push(String(v));
  });
  run();
  vi.restoreAllMocks();
  return writes;
}

const namesIn = (writes: string[]) => [...new Set(writes.map((w) => w.split('=')[0]!))].sort();

const DOMAINS = ['', ';domain=shop.example.com', ';domain=example.com', ';domain=com'];
const everywhere = (name: string, paths: string[]) =>
  paths.flatMap((p) => DOMAINS.map((d) => `${name}=;max-age=-1;path=${p}${d};secure`));

describe('clearCookies', () => {
  it("deletes on `/`, this page's path and each parent (with and without a trailing slash), and on each extra path", () => {
    const writes = deletionsFrom('_ga=1', () => clearCookies(['_ga'], { paths: ['/shop'] }));
    expect(writes.sort()).toEqual(
      everywhere('_ga', ['/', '/blog', '/blog/', '/blog/post', '/blog/post/', '/shop']).sort(),
    );
  });

  it("never carries an attribute from the page's URL: a `;` in the path would append one", () => {
    const page = location.pathname;
    history.replaceState(null, '', '/blog;max-age=99999999/post');
    try {
      const writes = deletionsFrom('_ga=1', () => clearCookies(['_ga']));
      expect(writes.length).toBeGreaterThan(0);
      for (const write of writes) expect(write).toMatch(/^_ga=;max-age=-1;path=\/(;domain=[\w.]+)?;secure$/);
    } finally {
      history.replaceState(null, '', page);
    }
  });

  it('deletes Secure on https: a plain deletion would leave a Secure or __Secure- cookie in place', () => {
    const writes = deletionsFrom('__Secure-id=1; id=2', () => clearCookies(['__Secure-id', 'id']));
    expect(writes.length).toBeGreaterThan(0);
    expect(writes.filter((w) => !w.endsWith(';secure'))).toEqual([]);
  });

  it('deletes a __Host- cookie the one way it can exist: path=/, no domain, Secure', () => {
    const writes = deletionsFrom('__Host-sid=1', () => clearCookies(['__Host-*'], { paths: ['/shop'] }));
    expect(writes).toEqual(['__Host-sid=;max-age=-1;path=/;secure']);
  });

  it('keeps by name, never by value: a tracker whose value looks like a decision record is deleted', () => {
    const record = '1~2~abcdefghij~mxb9ucaa~ncsjluky~o~0~analytics:1';
    const jar = `ads_consent=${record}; ads_id=${record}; __Host-ads_consent=${record}; keep=1`;
    const keep = ['ads_consent', '__Host-ads_consent', '__Secure-ads_consent'];
    expect(namesIn(deletionsFrom(jar, () => clearCookies(['ads_*', '__Host-*'], { keep })))).toEqual(['ads_id']);
    expect(namesIn(deletionsFrom(jar, () => clearCookies(['*'], { keep })))).toEqual(['ads_id', 'keep']);
  });

  it('matches exact names and prefix* patterns, nothing else', () => {
    const jar = '_ga=1; _ga_ABC=2; _gax=3; x_ga=4';
    expect(namesIn(deletionsFrom(jar, () => clearCookies(['_ga', '_ga_*'])))).toEqual(['_ga', '_ga_ABC']);
  });

  it('does nothing when no pattern is given', () => {
    expect(deletionsFrom('_ga=1', () => clearCookies([]))).toEqual([]);
  });

  it('writes nothing for a cookie that is not there, unless extra paths are given (where it may be)', () => {
    expect(deletionsFrom('other=1', () => clearCookies(['_ga', '_ga_*']))).toEqual([]);
    const writes = deletionsFrom('other=1', () => clearCookies(['_ga', '_ga_*'], { paths: ['/shop'] }));
    expect(writes.sort()).toEqual(everywhere('_ga', ['/shop']).sort());
  });
});

describe('coveredNames', () => {
  it('names the visible cookies the patterns cover, less `keep`; with `unseen`, the exact names too', () => {
    vi.spyOn(Object.getPrototypeOf(document), 'cookie', 'get').mockReturnValue('_ga_X=1; keep=2; other=3');
    expect([...coveredNames(['_ga_*', '_fbp', 'keep'], ['keep'])].sort()).toEqual(['_ga_X']);
    expect([...coveredNames(['_ga_*', '_fbp', 'keep'], ['keep'], true)].sort()).toEqual(['_fbp', '_ga_X']);
  });

  it('reads a document that refuses cookies as an empty jar', () => {
    vi.spyOn(Object.getPrototypeOf(document), 'cookie', 'get').mockImplementation(() => {
      throw new DOMException('denied', 'SecurityError');
    });
    expect([...coveredNames(['_ga*'])]).toEqual([]);
  });
});

describe('expireCookies', () => {
  it('deletes a __Host- name only when `/` is among the paths', () => {
    expect(deletionsFrom('', () => expireCookies(['__Host-x'], ['/shop']))).toEqual([]);
  });

  it('a setter that throws does not stop the other deletions', () => {
    const writes: string[] = [];
    vi.spyOn(Object.getPrototypeOf(document), 'cookie', 'set').mockImplementation((v: unknown) => {
      writes.push(String(v));
      throw new DOMException('denied', 'SecurityError');
    });
    expect(() => expireCookies(['a', 'b'], ['/'])).not.toThrow();
    expect(namesIn(writes)).toEqual(['a', 'b']);
  });
});
