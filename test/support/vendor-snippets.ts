// Vendor snippets as their publishers document them, minus the network: each `SNIPPETS[vendor]`
// is the queue part of the published snippet (what runs in the page before the vendor's library
// arrives), and each `LIBRARIES[vendor]` stands in for the library: it reads the queue in order
// the way the snippet hands it over, then logs every later call, into `window.__vendorLog[vendor]`.
// Sources are plain ES5 strings so a browser test can put them in a page and a unit test can run
// them with `new Function('window', source)`.

/** A vendor's key, as in `signals.vendors`. */
export type VendorKey = 'uet' | 'clarity' | 'metaPixel' | 'tiktokPixel';

export const SNIPPETS: Record<VendorKey, string> = {
  // Microsoft UET (https://help.ads.microsoft.com/apex/index/3/en/60119): keeps an existing uetq.
  uet: `window.uetq = window.uetq || [];`,
  // Microsoft Clarity: keeps an existing clarity function, else queues arguments in clarity.q.
  clarity: `(function (c, a) { c[a] = c[a] || function () { (c[a].q = c[a].q || []).push(arguments); }; })(window, 'clarity');`,
  // Meta Pixel base code: returns at once when fbq exists; queues arguments objects in fbq.queue.
  metaPixel: `!function (f) { if (f.fbq) return; var n = f.fbq = function () { n.callMethod ? n.callMethod.apply(n, arguments) : n.queue.push(arguments); };
    if (!f._fbq) f._fbq = n; n.push = n; n.loaded = !0; n.version = '2.0'; n.queue = []; }(window);
    fbq('init', '000000000000000'); fbq('track', 'PageView');`,
  // TikTok Pixel base code: keeps an existing ttq array; each method pushes [method, ...args].
  tiktokPixel: `!function (w, t) { w.TiktokAnalyticsObject = t; var ttq = w[t] = w[t] || [];
    ttq.methods = ['page', 'track', 'identify', 'instances', 'debug', 'on', 'off', 'once', 'ready', 'alias', 'group', 'enableCookie', 'disableCookie', 'holdConsent', 'revokeConsent', 'grantConsent'];
    ttq.setAndDefer = function (t, e) { t[e] = function () { t.push([e].concat(Array.prototype.slice.call(arguments, 0))); }; };
    for (var i = 0; i < ttq.methods.length; i++) ttq.setAndDefer(ttq, ttq.methods[i]);
    ttq.load = function (e) { ttq._i = ttq._i || {}; ttq._i[e] = []; ttq._t = ttq._t || {}; ttq._t[e] = +new Date(); };
    ttq.load('C000000000000000000'); ttq.page(); }(window, 'ttq');`,
};

const LOG = `var log = (window.__vendorLog = window.__vendorLog || {});`;

export const LIBRARIES: Record<VendorKey, string> = {
  // bat.js: the snippet's onload hands the array to new UET({ q }) and pushes 'pageLoad'.
  uet: `${LOG} log.uet = [];
    function UET(o) { for (var i = 0; i < o.q.length; i++) log.uet.push(o.q[i]); }
    UET.prototype.push = function () { for (var i = 0; i < arguments.length; i++) log.uet.push(arguments[i]); };
    window.uetq = new UET({ q: window.uetq || [] }); window.uetq.push('pageLoad');`,
  // Clarity's tag replaces the queueing function and replays clarity.q.
  clarity: `${LOG} log.clarity = []; var q = (window.clarity && window.clarity.q) || [];
    window.clarity = function () { log.clarity.push(Array.prototype.slice.call(arguments)); };
    for (var i = 0; i < q.length; i++) window.clarity.apply(null, q[i]);`,
  // fbevents.js: sets callMethod and replays fbq.queue.
  metaPixel: `${LOG} log.metaPixel = []; var f = window.fbq;
    f.callMethod = function () { log.metaPixel.push(Array.prototype.slice.call(arguments)); };
    var q = f.queue; f.queue = []; for (var i = 0; i < q.length; i++) f.callMethod.apply(f, q[i]);`,
  // events.js: replays the ttq array, then its methods call straight through.
  tiktokPixel: `${LOG} log.tiktokPixel = []; var ttq = window.ttq;
    for (var i = 0; i < ttq.length; i++) log.tiktokPixel.push(ttq[i]);
    ttq.splice(0, ttq.length);
    ttq.methods.forEach(function (m) { ttq[m] = function () { log.tiktokPixel.push([m].concat(Array.prototype.slice.call(arguments))); }; });`,
};

/** The vendor calls, in the order its library received them: UET as its flat list, the others as `[command, ...args]`. */
export type VendorLog = Record<VendorKey, unknown[]>;
