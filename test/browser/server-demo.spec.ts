// The SDK against the real consentline/server the demo mounts at /v1/ (memory leases, SQLite
// records), on demo/site/server.html: consent leases a number from /v1/pool/assign and stores a
// consent receipt at /v1/receipts; withdrawal releases the lease with `forget: true`, after which
// attribution for that number finds no visit. A release that is not a withdrawal keeps the records.
import type { Page, Response } from '@playwright/test';
import { expect, test, type TestServer } from './fixtures';

type Api = Record<string, (...a: unknown[]) => unknown>;

/** The fixture's server, with the /v1/ mount's token for the read APIs. */
type DemoServer = TestServer & { consentline: { token: string } };

const shown = (page: Page) => page.locator('main strong');
const posted = (server: TestServer, path: string) =>
  server.requests.filter((r) => r.method === 'POST' && r.path === path);
const call = (page: Page, method: string, arg?: unknown) =>
  page.evaluate(
    async ([m, a]) => {
      (window.Consentline as unknown as Api)[m as string]!(a);
      await new Promise((r) => setTimeout(r, 0));
    },
    [method, arg] as const,
  );
/** A read API, from the site's own servers (no browser), with the token the demo prints. */
const read = async (server: TestServer, path: string, token?: string): Promise<{ status: number; body: any }> => {
  const response = await fetch(server.url + path, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: response.status, body: await response.json() };
};
const attribution = (server: DemoServer, number: string, at: string) =>
  read(
    server,
    `/v1/attribution?number=${encodeURIComponent(number)}&at=${encodeURIComponent(at)}`,
    server.consentline.token,
  );
const pretty = (e164: string) => `(${e164.slice(2, 5)}) ${e164.slice(5, 8)}-${e164.slice(8)}`;
const poolReply = (page: Page, op: string) => page.waitForResponse((r: Response) => r.url().endsWith(`/v1/pool/${op}`));

test.describe('the demo on consentline/server (/v1/)', () => {
  test('consent leases a real number and stores a receipt; withdrawal forgets the visit: attribution finds nothing', async ({
    page,
    server: base,
  }) => {
    const server = base as DemoServer;
    await page.goto(`${server.url}/server.html?utm_source=google&utm_medium=cpc`);
    await page.waitForFunction(() => typeof window.Consentline?.get === 'function');
    await page.waitForTimeout(200);
    expect(server.requests.filter((r) => r.path.startsWith('/v1/'))).toEqual([]);

    const assigned = poolReply(page, 'assign');
    await call(page, 'acceptAll');
    const reply = await assigned;
    expect(reply.status()).toBe(200);
    const lease = (await reply.json()) as { numbers: Record<string, string>; lease: string; status: string };
    const number = lease.numbers['+15551234567']!;
    expect(number).toMatch(/^\+1888555020[1-5]$/);
    expect(lease.status).toBe('ok');
    await expect(shown(page)).toHaveText(pretty(number));
    const { session } = JSON.parse(posted(server, '/v1/pool/assign')[0]!.body) as { session: string };
    const during = new Date().toISOString();

    // The receipt, stored: readable as proof with the token, and not without it.
    await expect.poll(() => posted(server, '/v1/receipts').length).toBe(1);
    const receipt = JSON.parse(posted(server, '/v1/receipts')[0]!.body) as {
      id: string;
      grants: Record<string, boolean>;
    };
    await expect
      .poll(async () => (await read(server, `/v1/receipts/${receipt.id}`, server.consentline.token)).status)
      .toBe(200);
    const proof = await read(server, `/v1/receipts/${receipt.id}`, server.consentline.token);
    expect(proof.body).toMatchObject({ id: receipt.id, grants: receipt.grants, method: 'api', origin: server.url });
    expect(proof.body.received).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect((await read(server, `/v1/receipts/${receipt.id}`)).status).toBe(401);

    // Attribution: a call to that number now is this visit's.
    const before = await attribution(server, number, during);
    expect(before.status).toBe(200);
    expect(before.body.matches).toEqual([expect.objectContaining({ session, confidence: 'exact' })]);
    expect(before.body.matches[0].context.f.q).toEqual({ utm_source: 'google', utm_medium: 'cpc' });

    const released = poolReply(page, 'release');
    await call(page, 'set', { analytics: false });
    await expect(shown(page)).toHaveText('(555) 123-4567');
    expect((await released).status()).toBe(204);
    expect(posted(server, '/v1/pool/release').map((r) => JSON.parse(r.body))).toEqual([
      { session, lease: lease.lease, forget: true },
    ]);
    expect((await attribution(server, number, during)).body).toEqual({ matches: [] });
    // The proof of the decisions stays: withdrawing deletes the attribution records only.
    expect((await read(server, `/v1/receipts/${receipt.id}`, server.consentline.token)).status).toBe(200);
  });

  test('a lease that ran out on the page (an idle visitor) is still forgotten on withdrawal, by its last lease id', async ({
    page,
    server: base,
  }) => {
    const server = base as DemoServer;
    await page.clock.install();
    await page.goto(`${server.url}/server.html`);
    await page.waitForFunction(() => typeof window.Consentline?.get === 'function');
    const assigned = poolReply(page, 'assign');
    await call(page, 'acceptAll');
    const lease = (await (await assigned).json()) as { numbers: Record<string, string>; lease: string; ttl: number };
    const number = lease.numbers['+15551234567']!;
    await expect(shown(page)).toHaveText(pretty(number));
    const { session } = JSON.parse(posted(server, '/v1/pool/assign')[0]!.body) as { session: string };
    const during = new Date().toISOString();
    expect((await attribution(server, number, during)).body.matches).toHaveLength(1);

    // No activity for the whole lease: the page stops showing the number (the fallback shows).
    await page.clock.fastForward(lease.ttl * 1000 + 1000);
    await expect(shown(page)).toHaveText('(888) 999-0000');
    expect(posted(server, '/v1/pool/renew')).toEqual([]);

    const released = poolReply(page, 'release');
    await call(page, 'set', { analytics: false });
    expect((await released).status()).toBe(204);
    expect(posted(server, '/v1/pool/release').map((r) => JSON.parse(r.body))).toEqual([
      { session, lease: lease.lease, forget: true },
    ]);
    expect((await attribution(server, number, during)).body).toEqual({ matches: [] });
  });

  test('a release that is not a withdrawal (the lease no longer needed) sends no forget: the records stay', async ({
    page,
    server: base,
  }) => {
    const server = base as DemoServer;
    await page.goto(`${server.url}/server.html`);
    await page.waitForFunction(() => typeof window.ConsentlinePool === 'function');
    const session = `keep${Date.now().toString(36)}`.slice(0, 16).padEnd(16, '0');
    // The add-on's session, as the SDK drives it, closed without withdrawal.
    const reply = await page.evaluate(async (id) => {
      const pool = window.ConsentlinePool!({ url: '/v1/pool/' }, ['+15551234567']);
      const got = await new Promise<{ numbers: Record<string, string>; lease: string } | null>((done) =>
        pool.open(() => ({ session: id, first: { time: Date.now(), path: '/server.html', params: {} } }), done),
      );
      pool.close();
      return got;
    }, session);
    const number = reply!.numbers['+15551234567']!;
    const during = new Date().toISOString();
    await expect.poll(() => posted(server, '/v1/pool/release').length).toBe(1);
    expect(JSON.parse(posted(server, '/v1/pool/release')[0]!.body)).toEqual({ session, lease: reply!.lease });
    expect((await attribution(server, number, during)).body.matches).toEqual([expect.objectContaining({ session })]);
  });
});
