// What the soak page keeps between two route counts: heap snapshots (after forced garbage
// collection) at `--from` and `--to` routes of one page, compared by node type and name, largest
// change in self size first. `--variant sdk` (default) or `bare`, the page of bench/soak-page.mjs.
// For the soak test's growth per route: a real leak shows as a count that grows with the routes
// (closures, detached elements, listeners); buffers that come and go (hash table backings, the
// performance timeline's entries) do not.
import { parseArgs } from 'node:util';
import { startServer } from '../demo/server.mjs';
import { launchBenchBrowser } from './browser.mjs';
import { SOAK_PREFIX, handleSoak, instrument } from './soak-page.mjs';

const { values } = parseArgs({
  options: {
    variant: { type: 'string', default: 'sdk' },
    from: { type: 'string', default: '2000' },
    to: { type: 'string', default: '4000' },
    top: { type: 'string', default: '30' },
  },
});
const FROM = Number(values.from);
const TO = Number(values.to);
const CHUNK = 250;

/** Self size and count of the snapshot's nodes, by "type:name" (names cut to 60 characters). */
async function snapshot(cdp) {
  const chunks = [];
  const collect = (event) => chunks.push(event.chunk);
  cdp.on('HeapProfiler.addHeapSnapshotChunk', collect);
  for (let i = 0; i < 3; i++) await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
  cdp.off('HeapProfiler.addHeapSnapshotChunk', collect);
  const { snapshot: head, nodes, strings } = JSON.parse(chunks.join(''));
  const fields = head.meta.node_fields;
  const types = head.meta.node_types[0];
  const typeAt = fields.indexOf('type');
  const nameAt = fields.indexOf('name');
  const sizeAt = fields.indexOf('self_size');
  const groups = new Map();
  for (let i = 0; i < nodes.length; i += fields.length) {
    const key = `${types[nodes[i + typeAt]]}:${String(strings[nodes[i + nameAt]]).slice(0, 60)}`;
    const group = groups.get(key) ?? { count: 0, size: 0 };
    group.count++;
    group.size += nodes[i + sizeAt];
    groups.set(key, group);
  }
  return groups;
}

const server = await startServer({ port: 0, routes: { [SOAK_PREFIX]: handleSoak } });
const browser = await launchBenchBrowser(['--js-flags=--expose-gc']);
try {
  const context = await browser.newContext();
  await context.addInitScript(instrument);
  const page = await context.newPage();
  await page.goto(`${server.url}${SOAK_PREFIX}${values.variant}`);
  if (values.variant === 'sdk') {
    await page.waitForFunction(() => typeof window.Consentline?.set === 'function');
    await page.evaluate(async () => {
      window.Consentline.set({ analytics: true });
      for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 0));
    });
  }
  const cdp = await context.newCDPSession(page);
  let routes = 0;
  const snapshots = [];
  for (const at of [FROM, TO]) {
    while (routes < at) {
      const count = Math.min(CHUNK, at - routes);
      await page.evaluate((n) => window.__soak.routes(n), count);
      routes += count;
    }
    snapshots.push(await snapshot(cdp));
  }
  const [before, after] = snapshots;
  const changes = [];
  for (const [key, now] of after) {
    const then = before.get(key) ?? { count: 0, size: 0 };
    if (now.count !== then.count || now.size !== then.size)
      changes.push({ key, count: now.count - then.count, size: now.size - then.size });
  }
  for (const [key, then] of before) if (!after.has(key)) changes.push({ key, count: -then.count, size: -then.size });
  changes.sort((a, b) => Math.abs(b.size) - Math.abs(a.size));
  const total = changes.reduce((sum, c) => sum + c.size, 0);
  process.stdout.write(
    `${values.variant}, routes ${FROM} → ${TO}: self size ${total} B (${(total / (TO - FROM)).toFixed(1)} B/route)\n` +
      '  count      bytes  node\n' +
      changes
        .slice(0, Number(values.top))
        .map((c) => `${String(c.count).padStart(7)} ${String(c.size).padStart(10)}  ${c.key}`)
        .join('\n') +
      '\n',
  );
  await context.close();
} finally {
  await browser.close();
  await server.close();
}
