// A withdrawal made where call tracking did not run (dist/dni.js blocked or not arrived yet, a
// page without it) leaves the visit context and its lease in localStorage. The next page that runs
// call tracking deletes them and, the visitor having refused, asks the server to forget the visit
// by that lease. Against the real consentline/server the demo mounts at /v1/.
import type { ServerResponse } from 'node:http';
import { type DemoServer, expect, test } from './fixtures';
import { TARGET, attribution, call, poolReply, posted, pretty, shown } from './support/demo-server';

interface Reply {
  numbers: Record<string, string>;
  lease: string;
}

/** Makes the server answer the next `times` pool releases with 503 (its database down); counts them. */
const releasesFail = (server: DemoServer, times = Number.POSITIVE_INFINITY) => {
  const original = server.routes['/v1/']!;
  const down = { refused: 0 };
  server.routes['/v1/'] = (req, res, body, url) => {
    if (url.pathname !== '/v1/pool/release' || down.refused >= times) return original(req, res, body, url);
    down.refused++;
    (res as ServerResponse).writeHead(503, { 'content-type': 'application/json' }).end('{"error":"unavailable"}');
    return true;
  };
  return { down, up: () => void (server.routes['/v1/'] = original) };
};

/** The demo page, granted: the visit's session, its lease and number, and a time when it held it. */
const grantedVisit = async (page: import('@playwright/test').Page, server: DemoServer) => {
  await page.goto(`${server.url}/server.html`);
  await page.waitForFunction(() => typeof window.Consentline?.get === 'function');
  const assigned = poolReply(page, 'assign');
  await call(page, 'acceptAll');
  const first = (await (await assigned).json()) as Reply;
  const number = first.numbers[TARGET]!;
  await expect(shown(page)).toHaveText(pretty(number));
  const { session } = posted(server, '/v1/pool/assign')[0] as { session: string };
  return { session, lease: first.lease, number, during: new Date().toISOString() };
};

test('a withdrawal on a page whose call tracking never started: the next page forgets the visit', async ({
  page,
  demoServer: server,
}) => {
  const { session, lease, number, during } = await grantedVisit(page, server);
  expect((await attribution(server, number, during)).body.matches).toHaveLength(1);

  // The next page's add-on is blocked (a content blocker): the visitor withdraws there.
  await page.route('**/dni.js', (route) => route.abort());
  await page.goto(`${server.url}/server.html`);
  await page.waitForFunction(() => typeof window.Consentline?.get === 'function');
  await call(page, 'set', { analytics: false });
  expect(await page.evaluate(() => localStorage.getItem('consentline_dni'))).toContain(lease);
  expect(posted(server, '/v1/pool/release')).toEqual([]);

  // A later page runs call tracking again.
  await page.unroute('**/dni.js');
  await page.goto(`${server.url}/server.html`);
  await expect.poll(() => page.evaluate(() => localStorage.getItem('consentline_dni'))).toBeNull();
  await expect.poll(() => posted(server, '/v1/pool/release')).toEqual([{ session, lease, forget: true }]);
  await expect.poll(async () => (await attribution(server, number, during)).body.matches).toEqual([]);
  expect(posted(server, '/v1/pool/assign')).toHaveLength(1);
});

test('a withdrawal the server could not take, then the visitor leaves at once: it is sent as the page goes', async ({
  page,
  demoServer: server,
}) => {
  const { session, lease, number, during } = await grantedVisit(page, server);
  // The server's database is down for the first try; the visitor is gone before the retry is due.
  const { down, up } = releasesFail(server, 1);
  try {
    await call(page, 'set', { analytics: false });
    await expect.poll(() => down.refused).toBe(1);
    await page.goto('about:blank');
    const forget = { session, lease, forget: true };
    await expect.poll(() => posted(server, '/v1/pool/release')).toEqual([forget, forget]);
    await expect.poll(async () => (await attribution(server, number, during)).body.matches).toEqual([]);
  } finally {
    up();
  }
});

test('a withdrawal the server could not take before the visitor left: the next page sends it', async ({
  page,
  demoServer: server,
}) => {
  const { session, lease, number, during } = await grantedVisit(page, server);
  // The server cannot take it while the visitor is on the page, nor as the page goes.
  const { down, up } = releasesFail(server);
  try {
    await call(page, 'set', { analytics: false });
    await expect.poll(() => down.refused).toBe(1);
    // Kept once the client has heard the refusal (a moment after the server counted it).
    await expect
      .poll(async () =>
        JSON.parse((await page.evaluate(() => localStorage.getItem('consentline_dni_forget'))) ?? 'null'),
      )
      .toEqual([{ session, lease }]);
    expect(await page.evaluate(() => localStorage.getItem('consentline_dni'))).toBeNull();
    // A retry may come first (a second after the refusal) on a slow run; leaving sends it again.
    const onThePage = down.refused;
    await page.goto('about:blank');
    await expect.poll(() => down.refused).toBeGreaterThan(onThePage);
  } finally {
    up();
  }
  const refused = down.refused;
  // The visitor comes back later; the server is up.
  await page.goto(`${server.url}/server.html`);
  const forget = { session, lease, forget: true };
  await expect.poll(() => posted(server, '/v1/pool/release')).toEqual(Array(refused + 1).fill(forget));
  await expect.poll(() => page.evaluate(() => localStorage.getItem('consentline_dni_forget'))).toBeNull();
  await expect.poll(async () => (await attribution(server, number, during)).body.matches).toEqual([]);
  expect(posted(server, '/v1/pool/assign')).toHaveLength(1);
});
