// The HTTP API against hostile input, on each record store (SQLite, and a real PostgreSQL): bodies
// that JSON.parse reads one way and another reader another (a name twice in one object), names
// that touch prototypes, and a withdrawal racing a renewal of its own lease. Bad input gets a 4xx
// and changes nothing; a withdrawal leaves nothing of its visit behind.
import { describe, expect, it } from 'vitest';
import { createMemoryLeaseStore, createSqliteRecordStore, type RecordStore } from '../../src/server/index';
import {
  createHarness,
  OTHER_TARGET,
  sessionId,
  T0,
  TARGET,
  trackingNumbers,
  type Harness,
  recordStoreMakers,
} from './support/harness';
import { usePostgres } from './support/services';

const postgres = usePostgres();

const TOKEN = 'hostile-token-0b7e';
const stores = recordStoreMakers(postgres, 'h');

const receiptText = (id: string) =>
  `"v":1,"id":"${id}","time":"${new Date(T0 - 1000).toISOString()}","revision":1,"method":"banner","gpc":false,"origin":"https://shop.example"`;

/** A record store whose `startPeriods` waits while held: a database slow to take one write. */
const withHeldWrites = (records: RecordStore) => {
  let held: Promise<void> | undefined;
  let letGo = () => {};
  const store: RecordStore = Object.create(records);
  store.startPeriods = async (periods) => {
    await held;
    return records.startPeriods(periods);
  };
  return {
    store,
    hold() {
      held = new Promise((r) => {
        letGo = r;
      });
    },
    letGo: () => letGo(),
  };
};

describe.each(Object.keys(stores))('hostile input on %s', (kind) => {
  const open = async (records?: RecordStore): Promise<Harness> =>
    createHarness({
      leases: createMemoryLeaseStore({
        numbers: { [TARGET]: trackingNumbers(2), [OTHER_TARGET]: trackingNumbers(2, 10) },
        ttl: 60,
        quarantine: 30,
      }),
      records: records ?? (await (stores[kind] as () => Promise<RecordStore>)()),
      token: TOKEN,
    });

  it('refuses a body that names one field twice in one object, at any depth, and changes nothing', async () => {
    const h = await open();
    const s1 = sessionId(1);
    const s2 = sessionId(2);
    const twice = await h.pool('assign', `{"session":"${s1}","session":"${s2}","targets":["${TARGET}"]}`);
    expect([twice.status, twice.body.error]).toEqual([400, 'body names "session" twice in one object']);
    const escaped = await h.pool('assign', `{"session":"${s1}","targets":["${TARGET}"],"\\u0073ession":"${s2}"}`);
    expect(escaped.status).toBe(400);
    const a = await h.pool('assign', { session: s1, targets: [TARGET] });
    expect(a.status).toBe(200);
    const forgetTwice = await h.pool(
      'release',
      `{"session":"${s1}","lease":"${a.body.lease}","forget":true,"forget":false}`,
    );
    expect(forgetTwice.status).toBe(400);
    // The lease is untouched: it renews.
    expect((await h.pool('renew', { session: s1, lease: a.body.lease })).status).toBe(200);
    const grants = await h.post(
      '/v1/receipts',
      `{${receiptText('dupgrants1')},"grants":{"analytics":true,"analytics":false}}`,
    );
    expect(grants.status).toBe(400);
    expect((await h.get('/v1/receipts/dupgrants1', TOKEN)).status).toBe(404);
    // The same names in different objects are no repeat.
    const fine = await h.post('/v1/receipts', `{${receiptText('finegrants')},"grants":{"analytics":true}}`);
    expect(fine.status).toBe(201);
    await h.server.close();
  });

  it('reads prototype names as plain data: refused where unknown, never reaching any object', async () => {
    const h = await open();
    const s = sessionId(3);
    const proto = await h.post(
      '/v1/receipts',
      `{${receiptText('protorcpt1')},"grants":{"analytics":true},"__proto__":{"admin":true}}`,
    );
    expect([proto.status, proto.body.error]).toEqual([400, 'unknown field __proto__']);
    const ctor = await h.post('/v1/receipts', `{${receiptText('ctorrcpt01')},"grants":{"__proto__":true}}`);
    expect(ctor.status).toBe(400);
    const a = await h.pool(
      'assign',
      `{"__proto__":{"lease":"${'x'.repeat(24)}"},"constructor":{"prototype":{"forget":true}},"session":"${s}","targets":["${TARGET}"],"context":{"f":{"t":1,"p":"/","q":{"__proto__":"x","constructor":"y"}}}}`,
    );
    expect(a.status).toBe(200);
    const release = await h.pool('release', `{"__proto__":{"forget":true},"session":"${s}","lease":"${a.body.lease}"}`);
    expect(release.status).toBe(204);
    // A plain release: the records stay.
    const at = new Date(T0).toISOString();
    const found = await h.get(`/v1/attribution?number=${encodeURIComponent(a.body.numbers[TARGET])}&at=${at}`, TOKEN);
    expect(found.body.matches).toHaveLength(1);
    expect(found.body.matches[0].context.f.q).toEqual({ constructor: 'y' });
    expect(({} as Record<string, unknown>).forget).toBeUndefined();
    expect(({} as Record<string, unknown>).lease).toBeUndefined();
    await h.server.close();
  });

  it('leaves nothing of a visit whose withdrawal lands while a renewal of its lease is being written', async () => {
    const held = withHeldWrites(await (stores[kind] as () => Promise<RecordStore>)());
    const h = await open(held.store);
    const s = sessionId(4);
    const a = await h.pool('assign', { session: s, targets: [TARGET] });
    held.hold();
    // The renewal names a second target: the pool grants it a number, whose record waits.
    const renewal = h.pool('renew', { session: s, lease: a.body.lease, targets: [TARGET, OTHER_TARGET] });
    await new Promise((r) => setTimeout(r, 50));
    const forget = await h.pool('release', { session: s, lease: a.body.lease, forget: true });
    expect(forget.status).toBe(204);
    held.letGo();
    const renewed = await renewal;
    const other = renewed.body.numbers?.[OTHER_TARGET] ?? trackingNumbers(1, 10)[0];
    const at = new Date(T0).toISOString();
    for (const number of [a.body.numbers[TARGET], other]) {
      const found = await h.get(`/v1/attribution?number=${encodeURIComponent(number)}&at=${at}`, TOKEN);
      expect(found.body.matches).toEqual([]);
    }
    await h.server.close();
  });
});

describe('read APIs against hostile queries', () => {
  it('refuse a query that names a parameter twice, rather than read one of them', async () => {
    const h = createHarness({
      leases: createMemoryLeaseStore({ numbers: { [TARGET]: trackingNumbers(1) } }),
      records: await createSqliteRecordStore({ file: ':memory:' }),
      token: TOKEN,
    });
    const at = new Date(T0).toISOString();
    const number = encodeURIComponent(trackingNumbers(1)[0] as string);
    expect((await h.get(`/v1/attribution?number=${number}&at=${at}`, TOKEN)).status).toBe(200);
    const twice = await h.get(`/v1/attribution?number=${number}&number=%2B15550000000&at=${at}`, TOKEN);
    expect([twice.status, twice.body.error]).toEqual([400, 'number: given twice']);
    expect((await h.get(`/v1/attribution?number=${number}&at=${at}&at=${at}`, TOKEN)).status).toBe(400);
    expect((await h.get(`/v1/receipts?from=2030-01-01&from=2029-01-01`, TOKEN)).status).toBe(400);
    expect((await h.get(`/v1/receipts?to=2030-01-01&to=2031-01-01`, TOKEN)).status).toBe(400);
    await h.server.close();
  });

  it('reads a number whose + a query string decoded as a space as that number, and nothing looser', async () => {
    const h = createHarness({
      leases: createMemoryLeaseStore({ numbers: { [TARGET]: trackingNumbers(1) } }),
      records: await createSqliteRecordStore({ file: ':memory:' }),
      token: TOKEN,
    });
    const a = await h.pool('assign', { session: sessionId(1), targets: [TARGET] });
    const number = a.body.numbers[TARGET] as string;
    const at = new Date(T0).toISOString();
    const encoded = await h.get(`/v1/attribution?number=${encodeURIComponent(number)}&at=${at}`, TOKEN);
    expect(encoded.body.matches).toHaveLength(1);
    // `+` unencoded in a query string is a space: the number the caller wrote, all the same.
    const plain = await h.get(`/v1/attribution?number=${number}&at=${at}`, TOKEN);
    expect([plain.status, plain.body]).toEqual([200, encoded.body]);
    const digits = number.slice(1);
    for (const loose of [
      digits,
      `%20%20${digits}`,
      `%20${digits}%20`,
      `%2B%20${digits}`,
      `+%2B${digits}`,
      `%09${digits}`,
      `${digits}+`,
    ])
      expect((await h.get(`/v1/attribution?number=${loose}&at=${at}`, TOKEN)).status, loose).toBe(400);
    await h.server.close();
  });
});
