// Unit-free checks of the bench page (no timings): `node --test bench/`.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildBody, buildPage, CATEGORIES, COPY, LIBRARIES } from './page.mjs';
import { describe } from './stats.mjs';

const countElements = (html) => (html.match(/<[a-z][a-z0-9]*[\s>]/g) ?? []).length;

test('the body has about 2,000 elements and the phone numbers asked for', () => {
  const body = buildBody();
  const n = countElements(body.html);
  assert.ok(Math.abs(n - 2000) <= 100, `${n} elements`);
  assert.equal((body.html.match(/555[-. )]+\d{3}[-. ]\d{4}/g) ?? []).length >= 4, true);
  const big = buildBody({ elements: 10_000, phones: 49, phoneTexts: ['(555) 123-4567'] });
  assert.ok(Math.abs(countElements(big.html) - 10_000) <= 300);
  assert.equal((big.html.match(/\(555\) 123-4567/g) ?? []).length, 50); // 49 + the header's
});

test('every library page is the same body with the same copy and three held-back scripts', () => {
  const body = buildBody();
  for (const name of Object.keys(LIBRARIES)) {
    const html = buildPage(name, { body });
    assert.ok(html.includes(body.html), name);
    assert.equal(html, buildPage(name, { body }), `${name} is deterministic`);
    if (name === 'bare') {
      assert.ok(!/<script/.test(html), 'the bare page has no script at all');
      continue;
    }
    for (const text of [COPY.acceptAll, COPY.rejectAll, COPY.customize, COPY.title])
      assert.ok(html.includes(text), `${name}: ${text}`);
    for (const c of CATEGORIES) assert.ok(html.includes(c === 'analytics' ? 'analytics' : c), `${name}: ${c}`);
    const held = (html.match(/\/held\/(analytics|advertising|social)\.js/g) ?? []).length;
    assert.equal(held, 3, `${name}: three held-back scripts`);
    // Held back means not runnable as written: no plain <script src="/held/...">.
    assert.ok(!/<script src="\/held\//.test(html), `${name}: held-back scripts are inert until consent`);
  }
});

test('median and IQR interpolate between order statistics', () => {
  assert.deepEqual(describe([4, 1, 3, 2]), { median: 2.5, q1: 1.75, q3: 3.25, iqr: 1.5, n: 4 });
  assert.equal(describe([null, NaN]), null);
});
