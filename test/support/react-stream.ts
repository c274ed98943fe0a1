// Server HTML from React's two Node renderers, for tests that must hold for both.
import { Writable } from 'node:stream';
import type { ReactNode } from 'react';
import { renderToPipeableStream, renderToString } from 'react-dom/server';

/** What the tests pass to a server renderer: the prefix of `useId`'s ids, for one of a page's several roots. */
export interface ServerRenderOptions {
  identifierPrefix?: string;
}

/** The HTML React streams for `node` once all of it is ready (what a crawler gets). */
export function renderToStream(node: ReactNode, options: ServerRenderOptions = {}): Promise<string> {
  return new Promise((done, failed) => {
    let html = '';
    const sink = new Writable({
      write(chunk, _encoding, next) {
        html += String(chunk);
        next();
      },
      final(next) {
        done(html);
        next();
      },
    });
    const stream = renderToPipeableStream(node, {
      ...options,
      onAllReady: () => stream.pipe(sink),
      onShellError: failed,
    });
  });
}

/**
 * Runs `render` where there is no document, as a server does: in a DOM test environment, code
 * that tells a server from a browser by the document sees a server for as long as it runs.
 */
async function asServer<T>(render: () => Promise<T>): Promise<T> {
  const own = Object.getOwnPropertyDescriptor(globalThis, 'document');
  if (!own) return render();
  Object.defineProperty(globalThis, 'document', { value: undefined, configurable: true, writable: true });
  try {
    return await render();
  } finally {
    Object.defineProperty(globalThis, 'document', own);
  }
}

/** React's server renderers by name, each giving the HTML for a tree, rendered where there is no document. */
export const SERVER_RENDERERS: Record<
  'renderToString' | 'renderToPipeableStream',
  (node: ReactNode, options?: ServerRenderOptions) => Promise<string>
> = {
  renderToString: (node, options) => asServer(async () => renderToString(node, options)),
  renderToPipeableStream: (node, options) => asServer(() => renderToStream(node, options)),
};
