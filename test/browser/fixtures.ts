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

export const test = base.extend<{ pageErrors: Error[]; freshLog: void }, { server: TestServer }>({
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
  // Every page error fails the test unless the test takes the array and says otherwise.
  pageErrors: async ({ page }, use) => {
    const errors: Error[] = [];
    page.on('pageerror', (e) => errors.push(e));
    await use(errors);
    expect(errors, 'uncaught exceptions in the page').toEqual([]);
  },
});

export { expect };
