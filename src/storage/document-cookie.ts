// `document.cookie` read and written through document's prototype chain. Page content named after
// a member of document shadows it (named access on Document overrides its own members): with
// <form name="cookie"> or <img name="cookie"> in the page, `document.cookie` is that element, and
// assigning to it sets nothing, so the store would forget every decision, an opt-out included.
// Named properties live on the document itself; the accessor found from its prototype is the real one.
import { hasOwn } from '../core/has-own.js';
import { doc, setDoc } from '../dom/document.js';

/** The page's cookies (`a=1; b=2`). Throws in a sandboxed document, as `document.cookie` does. */
export function readDocumentCookie(): string {
  const jar: unknown = doc('cookie');
  return typeof jar === 'string' ? jar : '';
}

/** Sets one cookie from a `Set-Cookie`-style string (`name=value; path=/; …`). */
export function writeDocumentCookie(cookie: string): void {
  setDoc('cookie', cookie);
}

/**
 * Whether page content shadows `document.cookie`: the named element is then an own property of
 * document (the real accessor is on its prototype), and an assignment to it sets nothing.
 */
export const cookieShadowed = (): boolean => hasOwn(document, 'cookie');
