// A withdrawal made where call tracking did not run (dist/dni.js blocked or not arrived yet, a
// page without it) leaves the visit context and its lease in localStorage. The next page that runs
// call tracking deletes them and, the visitor having refused, asks the server to forget the visit
// by that lease. Against the real consentline/server the demo mounts at /v1/.
import { expect, test } from './fixtures';
import { TARGET, attribution, call, poolReply, posted, pretty, shown } from './support/demo-server';

interface Reply {
  numbers: Record<string, string>;
  lease: string;
}

test('a withdrawal on a page whose call tracking never started: the next page forgets the visit', async ({
  page,
  demoServer: server,
}) => {
  await page.goto(`${server.url}/server.html`);
  await page.waitForFunction(() => typeof window.Consentline?.get === 'function');
  const assigned = poolReply(page, 'assign');
  await call(page, 'acceptAll');
  const first = (await (await assigned).json()) as Reply;
  const number = first.numbers[TARGET]!;
  await expect(shown(page)).toHaveText(pretty(number));
  const during = new Date().toISOString();
  const { session } = posted(server, '/v1/pool/assign')[0] as { session: string };
  expect((await attribution(server, number, during)).body.matches).toHaveLength(1);

  // The next page's add-on is blocked (a content blocker): the visitor withdraws there.
  await page.route('**/dni.js', (route) => route.abort());
  await page.goto(`${server.url}/server.html`);
  await page.waitForFunction(() => typeof window.Consentline?.get === 'function');
  await call(page, 'set', { analytics: false });
  expect(await page.evaluate(() => localStorage.getItem('consentline_dni'))).toContain(first.lease);
  expect(posted(server, '/v1/pool/release')).toEqual([]);

  // A later page runs call tracking again.
  await page.unroute('**/dni.js');
  await page.goto(`${server.url}/server.html`);
  await expect.poll(() => page.evaluate(() => localStorage.getItem('consentline_dni'))).toBeNull();
  await expect.poll(() => posted(server, '/v1/pool/release')).toEqual([{ session, lease: first.lease, forget: true }]);
  await expect.poll(async () => (await attribution(server, number, during)).body.matches).toEqual([]);
  expect(posted(server, '/v1/pool/assign')).toHaveLength(1);
});

test('a withdrawal the server could not take, then the visitor leaves at once: it is sent as the page goes', async ({
  page,
  demoServer: server,
}) => {
  await page.goto(`${server.url}/server.html`);
  await page.waitForFunction(() => typeof window.Consentline?.get === 'function');
  const assigned = poolReply(page, 'assign');
  await call(page, 'acceptAll');
  const first = (await (await assigned).json()) as Reply;
  const number = first.numbers[TARGET]!;
  await expect(shown(page)).toHaveText(pretty(number));
  const during = new Date().toISOString();
  const { session } = posted(server, '/v1/pool/assign')[0] as { session: string };

  // The server's database is down for the first try; the visitor is gone before the retry is due.
  let refused = 0;
  await page.context().route('**/v1/pool/release', (route) => {
    if (refused++ === 0) return route.fulfill({ status: 503, body: '{"error":"unavailable"}' });
    return route.continue();
  });
  const answered = page.waitForResponse((r) => r.url().endsWith('/v1/pool/release'));
  await call(page, 'set', { analytics: false });
  expect((await answered).status()).toBe(503);
  await page.goto('about:blank');
  await expect.poll(() => posted(server, '/v1/pool/release')).toEqual([{ session, lease: first.lease, forget: true }]);
  await expect.poll(async () => (await attribution(server, number, during)).body.matches).toEqual([]);
});
