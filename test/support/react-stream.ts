// Server HTML from React's two Node renderers, for tests that must hold for both.
import { Writable } from 'node:stream';
import type { ReactNode } from 'react';
import { renderToPipeableStream, renderToString } from 'react-dom/server';

/** The HTML React streams for `node` once all of it is ready (what a crawler gets). */
export function renderToStream(node: ReactNode): Promise<string> {
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
    const stream = renderToPipeableStream(node, { onAllReady: () => stream.pipe(sink), onShellError: failed });
  });
}

/** React's server renderers by name, each giving the HTML for a tree. */
export const SERVER_RENDERERS: Record<
  'renderToString' | 'renderToPipeableStream',
  (node: ReactNode) => Promise<string>
> = {
  renderToString: async (node) => renderToString(node),
  renderToPipeableStream: renderToStream,
};
