// Helpers for the specs that drive the demo page on the real consentline/server mount at /v1/
// (demo/site/server.html): the SDK's API, what the server was sent, its read APIs and the page's
// exchanges with the pool.
import type { Page, Request, Response } from '@playwright/test';
import { callConsentline, type DemoServer, type TestServer } from '../fixtures';

/** The demo's office number, the target its pool leases numbers for. */
export const TARGET = '+15551234567';

/** Where server.html shows the number in its text. */
export const shown = (page: Page) => page.locator('main strong');

/** The bodies the server was sent by POST to `path`, parsed. */
export const posted = (server: TestServer, path: string): Record<string, unknown>[] =>
  server.requests
    .filter((r) => r.method === 'POST' && r.path === path)
    .map((r) => JSON.parse(r.body) as Record<string, unknown>);

/** Calls `window.Consentline[method](arg)` in the page and lets the tasks it queued at once run. */
export const call = (page: Page, method: string, arg?: unknown) => callConsentline(page, method, arg);

/** `(555) 123-4567` for `+15551234567`, as server.html writes its number. */
export const pretty = (e164: string) => `(${e164.slice(2, 5)}) ${e164.slice(5, 8)}-${e164.slice(8)}`;

/**
 * The page's next request to /v1/pool/<op> (or `<pool><op>`), once answered. A request that fails
 * (the SDK aborts one the server has not answered in time) rejects at once, naming why, instead of
 * leaving the test waiting for a response that will never come.
 */
export function poolReply(page: Page, op: string, pool = '/v1/pool/'): Promise<Response> {
  const ours = (request: Request) => request.url().endsWith(`${pool}${op}`);
  const reply = new Promise<Response>((resolve, reject) => {
    const onResponse = (response: Response) => {
      if (!ours(response.request())) return;
      stop();
      resolve(response);
    };
    const onFailed = (request: Request) => {
      if (!ours(request)) return;
      stop();
      reject(new Error(`the page's ${pool}${op} request failed: ${request.failure()?.errorText ?? 'unknown'}`));
    };
    const stop = () => {
      page.off('response', onResponse);
      page.off('requestfailed', onFailed);
    };
    page.on('response', onResponse);
    page.on('requestfailed', onFailed);
  });
  // Awaited later by the caller: a failure before then is not an unhandled rejection.
  reply.catch(() => {});
  return reply;
}

/** A read API, from the site's own servers (no browser), with the token if given. */
export const read = async (
  server: TestServer,
  path: string,
  token?: string,
): Promise<{ status: number; body: any }> => {
  const response = await fetch(server.url + path, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: response.status, body: await response.json() };
};

/** Which visit held `number` at `at`, from the attribution API. */
export const attribution = (server: DemoServer, number: string, at: string) =>
  read(
    server,
    `/v1/attribution?number=${encodeURIComponent(number)}&at=${encodeURIComponent(at)}`,
    server.consentline.token,
  );
