// Where the SDK's tag sits and when the banner can be clicked: the bench page (bench/page.mjs) with
// the configuration and tag at the end of <body>, as `npm run bench` loads every library, against
// the same page with both moved into <head>. Cold loads interleaved, measured as the bench does
// (bench/measure.mjs); prints the medians of FCP, clickable and clickable − FCP per placement and
// CPU rate (a tag in <head> blocks the parser while it loads, so FCP itself moves too).
//   node bench/tag-placement.mjs [loads per placement, default 9]
import { launchBenchBrowser } from './browser.mjs';
import { measureLoad } from './measure.mjs';
import { buildBody, buildPage } from './page.mjs';
import { startBenchServer } from './server.mjs';

const loads = Number(process.argv[2] ?? 9);
const tail = buildPage('consentline', { body: buildBody() });
const from = tail.indexOf('<script type="application/json" id="consentline-config">');
const sdk = tail.indexOf('<script src="/dist/consentline.min.js"');
const tag = tail.slice(from, tail.indexOf('</script>', sdk) + '</script>'.length);
const head = tail.replace(tag, '').replace('</head>', `${tag}\n</head>`);

const server = await startBenchServer({ pages: { '/tail.html': tail, '/head.html': head } });
const browser = await launchBenchBrowser();
const median = (values) => {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  return sorted.length ? sorted[Math.floor(sorted.length / 2)] : null;
};
try {
  for (const cpu of [1, 4]) {
    const seen = { tail: [], head: [] };
    for (let i = 0; i < loads; i++) {
      for (const placement of i % 2 ? ['head', 'tail'] : ['tail', 'head']) {
        const r = await measureLoad(browser, { url: `${server.url}/${placement}.html`, cpu, expectBanner: true });
        seen[placement].push(r);
      }
    }
    const ms = (placement, of) => `${median(seen[placement].map(of))?.toFixed(1) ?? 'n/a'} ms`;
    for (const [placement, where] of [
      ['tail', 'at the end of <body>'],
      ['head', 'in <head>'],
    ]) {
      console.log(
        `${cpu}x, tag ${where}: FCP ${ms(placement, (r) => r.fcp)}, clickable ${ms(placement, (r) => r.clickable)}, clickable − FCP ${ms(placement, (r) => r.clickable - r.fcp)}`,
      );
    }
  }
} finally {
  await browser.close();
  await server.close();
}
