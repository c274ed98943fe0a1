// The visit's lease across pages, against the real consentline/server the demo mounts at /v1/: the
// lease id is kept with the visit context (after consent), so the next page's assign names it and
// gets the same lease and number back, and a withdrawal on a page that has no lease of its own
// still forgets the visit by it.
import type { Page } from '@playwright/test';
import { expect, test, type TestServer } from './fixtures';
import { TARGET, attribution, call, poolReply, posted, pretty, shown } from './support/demo-server';

interface Reply {
  numbers: Record<string, string>;
  lease: string;
}

/** Consents on a first page and returns its lease. */
const firstPage = async (page: Page, server: TestServer): Promise<Reply> => {
  await page.goto(`${server.url}/server.html`);
  await page.waitForFunction(() => typeof window.Consentline?.get === 'function');
  const assigned = poolReply(page, 'assign');
  await call(page, 'acceptAll');
  const reply = (await (await assigned).json()) as Reply;
  await expect(shown(page)).toHaveText(pretty(reply.numbers[TARGET]!));
  return reply;
};

test.describe("the visit's lease across pages", () => {
  test('the next page names the stored lease and gets the same lease and number back', async ({
    page,
    demoServer: server,
  }) => {
    const first = await firstPage(page, server);
    const stored = await page.evaluate(() => localStorage.getItem('consentline_dni'));
    expect(stored).toContain(first.lease);
    const assigned = poolReply(page, 'assign');
    await page.goto(`${server.url}/server.html`);
    const again = await assigned;
    expect(again.status()).toBe(200);
    expect(((await again.json()) as Reply).lease).toBe(first.lease);
    await expect(shown(page)).toHaveText(pretty(first.numbers[TARGET]!));
    const assigns = posted(server, '/v1/pool/assign');
    expect(assigns.map((a) => a['lease'])).toEqual([undefined, first.lease]);
  });

  test('a withdrawal on a later page with no lease of its own forgets the visit by the stored lease', async ({
    page,
    demoServer: server,
  }) => {
    const first = await firstPage(page, server);
    const number = first.numbers[TARGET]!;
    const during = new Date().toISOString();
    const { session } = posted(server, '/v1/pool/assign')[0] as { session: string };
    expect((await attribution(server, number, during)).body.matches).toHaveLength(1);

    // The next page's assign never reaches the server: this page holds no lease.
    await page.route('**/v1/pool/assign', (route) => route.abort());
    await page.goto(`${server.url}/server.html`);
    await expect(shown(page)).toHaveText('(888) 999-0000');
    const released = poolReply(page, 'release');
    await call(page, 'set', { analytics: false });
    expect((await released).status()).toBe(204);
    expect(posted(server, '/v1/pool/release')).toEqual([{ session, lease: first.lease, forget: true }]);
    expect((await attribution(server, number, during)).body.matches).toEqual([]);
    expect(await page.evaluate(() => localStorage.getItem('consentline_dni'))).toBeNull();
  });
});
