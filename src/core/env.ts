/**
 * Whether this code runs where there is a document: a browser page (or a DOM test environment).
 * A server render, an edge runtime or a worker has none, and every part that would touch the DOM,
 * `location`, `dataLayer` or `__gpp` does nothing there instead (a documented no-op returning its
 * cleanup), so calling it during SSR neither throws nor writes a global the server shares between
 * requests. The script-tag build replaces this module with one that says yes: it only ever runs
 * in a page (see rollup.config.ts).
 */
export const inBrowser = (): boolean => typeof (globalThis as { document?: unknown }).document === 'object';

/** Does nothing: what a no-op returns as its cleanup. */
export const noop = (): void => {};
