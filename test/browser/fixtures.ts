// Browser-test fixtures: a local server per worker that records every request, plus helpers
// to read what a page stored. Tests import `test` and `expect` from here.
import { test as base, expect, type BrowserContext, type Page } from '@playwright/test';
// @ts-expect-error plain ESM module without types
import { startServer } from '../../demo/server.mjs';

export interface RecordedRequest {
  time: number;
  method: string;
  path: string;
  search: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface TestServer {
  url: string;
  requests: RecordedRequest[];
  routes: Record<string, (req: unknown, res: unknown, body: string, url: URL) => boolean | Promise<boolean>>;
  clear(): void;
  close(): Promise<void>;
}

/** Everything a page could have written, for the privacy assertions. */
export interface StorageSnapshot {
  cookies: Awaited<ReturnType<BrowserContext['cookies']>>;
  localStorage: string[];
  sessionStorage: string[];
}

export async function snapshotStorage(page: Page): Promise<StorageSnapshot> {
  const cookies = await page.context().cookies();
  const { local, session } = await page.evaluate(() => ({
    local: Object.keys(localStorage),
    session: Object.keys(sessionStorage),
  }));
  return { cookies, localStorage: local, sessionStorage: session };
}

/** Requests the server saw that are not the page's own static files. */
export const nonStatic = (requests: RecordedRequest[]): RecordedRequest[] =>
  requests.filter(
    (r) => !/\.(html|js|css|map|ico|svg|png|json)$/.test(r.path) && r.path !== '/' && !r.path.endsWith('/'),
  );

/** The text of every console message of `type` the page logs from now on (the array fills as it logs). */
export function consoleTexts(page: Page, type: 'error' | 'warning'): string[] {
  const texts: string[] = [];
  page.on('console', (m) => m.type() === type && texts.push(m.text()));
  return texts;
}

/** Serves `html` at `path` (uncached) from the test server; the page's URL. */
export function serveHtml(server: TestServer, path: string, html: string): string {
  server.routes[path] = (_req, res) => {
    const out = res as { writeHead(s: number, h: Record<string, string>): void; end(b: string): void };
    out.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    out.end(html);
    return true;
  };
  return `${server.url}${path}`;
}

/**
 * Calls `window.Consentline[method](arg)` in the page and returns its result once the tasks the
 * call queued at once have run (a grant's context, storage and number).
 */
export const callConsentline = <T = unknown>(page: Page, method: string, arg?: unknown): Promise<T> =>
  page.evaluate(
    async ([m, a]) => {
      const out = (window.Consentline as unknown as Record<string, (...args: unknown[]) => unknown>)[m as string]!(a);
      await new Promise((r) => setTimeout(r, 0));
      return out;
    },
    [method, arg] as const,
  ) as Promise<T>;

/**
 * How many `consentline_change` events the page has pushed to `dataLayer`. The script tag pushes
 * one with the rest of the work a decision leaves for later (src/entries/boot/later.ts), all of it
 * in one task: once the count has grown, that work has run, and a test can assert what it must
 * not have done.
 */
export const changesAnnounced = (page: Page): Promise<number> =>
  page.evaluate(
    () =>
      ((window.dataLayer ?? []) as Array<{ event?: unknown } | null>).filter((e) => e?.event === 'consentline_change')
        .length,
  );

/** What the demo's consentline/server mount (demo/consentline-mount.mjs) answers to `ready()`. */
export type MountLoad = { kind: 'ready'; file: string } | { kind: 'failed'; reason: string };

/** A server with the real consentline/server mounted at /v1/, and the token its read APIs want. */
export interface DemoServer extends TestServer {
  consentline: { token: string; ready(): Promise<MountLoad> };
}

/**
 * Lets each open page run the work it has left for later. The script tag leaves a grant's cookie
 * read-back to its later queue (the store's `defer`): that read-back tries the next cookie name
 * when the first was refused, and writes the decision again when it finds none, so the jar is
 * read, and cleared, only after it has run. The queue runs in the task after the grant (a
 * zero-delay timer queued after it comes later), unless the grant inserted external held-back
 * scripts: then it waits for them, at most HOLD_MS (src/entries/boot/later.ts) from that task on,
 * so a timer of that length set once that task has run fires after the wait's own, and a
 * zero-delay timer then comes after the queue.
 */
const settlePages = async (context: BrowserContext): Promise<void> => {
  const HOLD_MS = 200;
  for (const page of context.pages())
    await page
      .evaluate(async (hold) => {
        const task = (ms: number) => new Promise((r) => setTimeout(r, ms));
        await task(0);
        const inserted = [...document.querySelectorAll<HTMLScriptElement>('script[data-category][src]')];
        if (!inserted.some((s) => s.type !== 'text/plain')) return;
        await task(hold);
        await task(0);
      }, HOLD_MS)
      .catch(() => undefined);
};

export const test = base.extend<
  { pageErrors: Error[]; freshLog: void; demoServer: DemoServer },
  { server: TestServer }
>({
  // Reading or clearing the cookie jar comes after each page's queued work, as a visitor's next
  // action would.
  context: async ({ context }, use) => {
    const clear = context.clearCookies.bind(context);
    const read = context.cookies.bind(context);
    context.clearCookies = async (...args: Parameters<BrowserContext['clearCookies']>) => {
      await settlePages(context);
      return clear(...args);
    };
    context.cookies = async (...args: Parameters<BrowserContext['cookies']>) => {
      await settlePages(context);
      return read(...args);
    };
    await use(context);
  },
  // Each test starts with an empty request log (the server is shared by a worker's tests).
  freshLog: [
    async ({ server }, use) => {
      server.clear();
      await use();
    },
    { auto: true },
  ],
  server: [
    async ({}, use) => {
      const server = (await startServer({ port: 0 })) as TestServer;
      await use(server);
      await server.close();
    },
    { scope: 'worker' },
  ],
  // A server of the test's own with its /v1/ handler loaded before any page asks: the handler
  // (dist/server, better-sqlite3, a new database) loads on the first /v1/ request, which on a busy
  // machine can take longer than the 1.5 s the SDK gives a lease request (the SDK then aborts it and
  // shows the fallback number). Its own, too, so its request log and leases are this test's alone.
  demoServer: async ({}, use) => {
    const server = (await startServer({ port: 0 })) as DemoServer;
    try {
      const loaded = await server.consentline.ready();
      if (loaded.kind === 'failed') throw new Error(`consentline/server did not load at /v1/: ${loaded.reason}`);
      await use(server);
    } finally {
      await server.close();
    }
  },
  // Every page error fails the test unless the test takes the array and says otherwise.
  pageErrors: async ({ page }, use) => {
    const errors: Error[] = [];
    page.on('pageerror', (e) => errors.push(e));
    await use(errors);
    expect(errors, 'uncaught exceptions in the page').toEqual([]);
  },
});

export { expect };
