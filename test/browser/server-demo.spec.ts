// The SDK against the real consentline/server the demo mounts at /v1/ (memory leases, SQLite
// records), on demo/site/server.html: consent leases a number from /v1/pool/assign and stores a
// consent receipt at /v1/receipts; withdrawal releases the lease with `forget: true`, after which
// attribution for that number finds no visit. A session closed otherwise sends nothing.
import { expect, test } from './fixtures';
import { attribution, call, poolReply, posted, pretty, read, shown } from './support/demo-server';

test.describe('the demo on consentline/server (/v1/)', () => {
  test('consent leases a real number and stores a receipt; withdrawal forgets the visit: attribution finds nothing', async ({
    page,
    demoServer: server,
  }) => {
    await page.goto(`${server.url}/server.html?utm_source=google&utm_medium=cpc`);
    await page.waitForFunction(() => typeof window.Consentline?.get === 'function');
    // Nothing in flight for a while: whatever the page would send before a decision has gone.
    await page.waitForLoadState('networkidle');
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
    const { session } = posted(server, '/v1/pool/assign')[0] as { session: string };
    const during = new Date().toISOString();

    // The receipt, stored: readable as proof with the token, and not without it.
    await expect.poll(() => posted(server, '/v1/receipts').length).toBe(1);
    const receipt = posted(server, '/v1/receipts')[0] as { id: string; grants: Record<string, boolean> };
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
    expect(posted(server, '/v1/pool/release')).toEqual([{ session, lease: lease.lease, forget: true }]);
    expect((await attribution(server, number, during)).body).toEqual({ matches: [] });
    // The proof of the decisions stays: withdrawing deletes the attribution records only.
    expect((await read(server, `/v1/receipts/${receipt.id}`, server.consentline.token)).status).toBe(200);
  });

  test('a lease that ran out on the page (an idle visitor) is still forgotten on withdrawal, by its last lease id', async ({
    page,
    demoServer: server,
  }) => {
    await page.clock.install();
    await page.goto(`${server.url}/server.html`);
    await page.waitForFunction(() => typeof window.Consentline?.get === 'function');
    const assigned = poolReply(page, 'assign');
    await call(page, 'acceptAll');
    const lease = (await (await assigned).json()) as { numbers: Record<string, string>; lease: string; ttl: number };
    const number = lease.numbers['+15551234567']!;
    await expect(shown(page)).toHaveText(pretty(number));
    const { session } = posted(server, '/v1/pool/assign')[0] as { session: string };
    const during = new Date().toISOString();
    expect((await attribution(server, number, during)).body.matches).toHaveLength(1);

    // No activity for the whole lease: the page stops showing the number (the fallback shows).
    await page.clock.fastForward(lease.ttl * 1000 + 1000);
    await expect(shown(page)).toHaveText('(888) 999-0000');
    expect(posted(server, '/v1/pool/renew')).toEqual([]);

    const released = poolReply(page, 'release');
    await call(page, 'set', { analytics: false });
    expect((await released).status()).toBe(204);
    expect(posted(server, '/v1/pool/release')).toEqual([{ session, lease: lease.lease, forget: true }]);
    expect((await attribution(server, number, during)).body).toEqual({ matches: [] });
  });

  test('a session closed without withdrawal sends nothing: the lease runs out, the records stay', async ({
    page,
    demoServer: server,
  }) => {
    await page.goto(`${server.url}/server.html`);
    const session = `keep${Date.now().toString(36)}`.slice(0, 16).padEnd(16, '0');
    // The package's pool session, as the SDK drives it, closed without withdrawal.
    const reply = await page.evaluate(async (id) => {
      const dni: typeof import('../../src/entries/dni') = await import(`${location.origin}/dist/esm/dni.js`);
      const pool = dni.createPoolSession({ url: '/v1/pool/' }, ['+15551234567']);
      const got = await new Promise<{ numbers: Record<string, string>; lease: string } | null>((done) =>
        pool.open(() => ({ session: id, first: { time: Date.now(), path: '/server.html', params: {} } }), done),
      );
      pool.close();
      return got;
    }, session);
    expect(reply, 'the pool answered the assign').not.toBeNull();
    const number = reply!.numbers['+15551234567']!;
    const during = new Date().toISOString();
    // Another tab of the visit may show the number: the lease is left to run out.
    await page.evaluate(() => new Promise((r) => setTimeout(r, 200)));
    expect(posted(server, '/v1/pool/release')).toEqual([]);
    const renewal = { session, lease: reply!.lease, targets: ['+15551234567'] };
    const renewed = await page.evaluate(
      async (body) => (await fetch('/v1/pool/renew', { method: 'POST', body: JSON.stringify(body) })).status,
      renewal,
    );
    expect(renewed).toBe(200);
    expect((await attribution(server, number, during)).body.matches).toEqual([expect.objectContaining({ session })]);
  });
});
