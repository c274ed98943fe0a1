// Firefox ESR raises no page error from the SDK: the bottom bar's spacer is sized by a
// ResizeObserver, and a size written inside the observer's callback that changes layout again
// (the spacer makes the page scroll, the scrollbar narrows the bar) is reported by Firefox as
// "ResizeObserver loop completed with undelivered notifications" on window.onerror, which sites'
// error monitors log for every visitor. Playwright cannot drive this Firefox here, so the test
// starts it as a child process (support/firefox.ts) on a page that collects every error event and
// posts them to a route the test reads.
import { recordFigures } from '../support/figures';
import { expect, test } from './fixtures';
import { HAS_FIREFOX, NO_FIREFOX, firefoxReport } from './support/firefox';

const PREFS = {
  // Classic scrollbars, as most desktop visitors have: the scrollbar the spacer brings in narrows the bar.
  'widget.gtk.overlay-scrollbars.enabled': false,
};

interface Report {
  errors: string[];
  banner: boolean;
  spacer: number;
  bar: number;
}

/** A page a little shorter than the window, so the spacer is what makes it scroll; after load it grows, shrinks and zooms the bar so the observer fires again. */
function page(report: string, position: string): string {
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>t</title>` +
    `<script>window.__errors = []; addEventListener('error', function (e) { __errors.push(String(e.message)); });` +
    `addEventListener('unhandledrejection', function (e) { __errors.push('unhandled rejection: ' + String(e.reason)); });</script>` +
    `<script type="application/json" id="consentline-config">{ "ui": { "position": "${position}" } }</script>` +
    `<script src="/dist/consentline.min.js" data-consentline></script></head>` +
    `<body style="margin:0"><main id="m" style="height:calc(100vh - 40px)"><h1>Page</h1><p>Text.</p></main>` +
    `<script>addEventListener('load', function () {` +
    `  var steps = [function () { document.getElementById('m').style.height = '300vh'; }, function () { document.getElementById('m').style.height = '10px'; },` +
    `    function () { document.documentElement.style.fontSize = '24px'; }, function () { document.documentElement.style.fontSize = ''; }];` +
    `  var i = 0; var next = function () { if (i < steps.length) { steps[i++](); setTimeout(next, 300); } else setTimeout(send, 500); };` +
    `  var send = function () { var b = document.querySelector('#consentline .b'); var s = document.querySelector('body > div[aria-hidden="true"]');` +
    `    fetch(${JSON.stringify(report)}, { method: 'POST', body: JSON.stringify({ errors: __errors, banner: !!b, bar: b ? Math.round(b.getBoundingClientRect().height) : 0,` +
    `      spacer: s ? Math.round(s.getBoundingClientRect().height) : -1 }) }); };` +
    `  setTimeout(next, 500); });</script></body></html>`
  );
}

test.skip(!HAS_FIREFOX, NO_FIREFOX);

test('Firefox ESR: the bottom bar and its spacer raise no page error (no ResizeObserver loop error) on load, scroll growth and zoom', async ({
  server,
}) => {
  test.setTimeout(120_000);
  const errors: string[] = [];
  for (const position of ['bottom', 'top']) {
    server.routes['/ff-hardening/page'] = (_req, res) => {
      const out = res as { writeHead(s: number, h?: Record<string, string>): void; end(b?: string): void };
      out.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      out.end(page('/ff-hardening/report', position));
      return true;
    };
    try {
      const report = await firefoxReport<Report>(server, {
        page: '/ff-hardening/page',
        report: '/ff-hardening/report',
        prefs: PREFS,
        args: ['--width', '1000', '--height', '700'],
      });
      expect(report.banner, position).toBe(true);
      // The spacer still does its job: as tall as the bar, so the end of the page can scroll clear of it.
      if (position === 'bottom')
        expect(
          Math.abs(report.spacer - report.bar),
          `spacer ${report.spacer} px, bar ${report.bar} px`,
        ).toBeLessThanOrEqual(1);
      errors.push(...report.errors.map((e) => `${position}: ${e}`));
    } finally {
      delete server.routes['/ff-hardening/page'];
    }
  }
  recordFigures('hardening: page errors in Firefox ESR', { scenarios: errors.length ? 0 : 2, leaks: errors.length });
  expect(errors).toEqual([]);
});
