// @vitest-environment happy-dom
// @vitest-environment-options { "url": "https://shop.example.com/page" }
import Cookies from 'js-cookie';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createCookieStorage } from '../../../src/storage/cookie-storage';

afterEach(() => {
  vi.restoreAllMocks();
  for (const name of Object.keys(Cookies.get())) Cookies.remove(name, { path: '/' });
});

describe('createCookieStorage', () => {
  it('writes SameSite=Lax, Secure on https, Path=/, with the given expiry, and reads it back', () => {
    const set = vi.spyOn(Cookies, 'set');
    const storage = createCookieStorage({ name: 'c' });
    const expires = Date.now() + 86_400_000;
    storage.write('1~1~abcdefghij~x~y~b~0~analytics:1', expires);
    expect(set).toHaveBeenCalledWith('c', '1~1~abcdefghij~x~y~b~0~analytics:1', {
      path: '/',
      sameSite: 'Lax',
      secure: true,
      expires: new Date(expires),
    });
    expect(storage.read()).toBe('1~1~abcdefghij~x~y~b~0~analytics:1');
    storage.remove();
    expect(storage.read()).toBeUndefined();
  });

  it('falls back to memory when the cookie does not stick', () => {
    vi.spyOn(Cookies, 'set').mockImplementation(() => undefined);
    const storage = createCookieStorage({ name: 'c' });
    storage.write('value', Date.now() + 1000);
    expect(storage.read()).toBe('value');
    expect(document.cookie).toBe('');
  });

  it('reads two disagreeing cookies of the same name as no value', () => {
    vi.spyOn(Object.getPrototypeOf(document), 'cookie', 'get').mockReturnValue('c=one; other=x; c=two');
    expect(createCookieStorage({ name: 'c' }).read()).toBeUndefined();
  });

  it('reads a cookie that cannot be decoded as garbage, not as a throw', () => {
    vi.spyOn(Object.getPrototypeOf(document), 'cookie', 'get').mockReturnValue('c=%E0%A4%A');
    expect(createCookieStorage({ name: 'c' }).read()).toBe('\u0000');
  });

  it('a document whose cookie getter throws reads as no value', () => {
    vi.spyOn(Object.getPrototypeOf(document), 'cookie', 'get').mockImplementation(() => {
      throw new DOMException('denied', 'SecurityError');
    });
    expect(createCookieStorage({ name: 'c' }).read()).toBeUndefined();
  });
});
