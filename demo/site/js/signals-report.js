// With ?report=<path> the page posts what its signals say to that same-origin path once loaded:
// used by the Firefox test, which cannot drive the browser and reads the report from the server.
(function () {
  var path = new URLSearchParams(location.search).get('report');
  if (!path || path.charAt(0) !== '/' || path.charAt(1) === '/') return;
  function report() {
    var out = { state: window.Consentline && window.Consentline.get(), navigatorGpc: navigator.globalPrivacyControl };
    out.consent = (window.dataLayer || [])
      .filter(function (x) {
        return Object.prototype.toString.call(x) === '[object Arguments]' && x[0] === 'consent';
      })
      .map(function (x) {
        return [x[0], x[1], x[2]];
      });
    function send() {
      if (window.__uspapi)
        window.__uspapi('getUSPData', 1, function (d) {
          out.usp = d && d.uspString;
        });
      var el = document.querySelector('[data-consentline-gpc-status]');
      out.gpcStatus = el ? { text: el.textContent, hidden: el.hidden } : null;
      fetch(path, { method: 'POST', body: JSON.stringify(out) });
    }
    // As a vendor's tag does: it waits for the GPP CMP's signal to be ready (on a US visit the SDK
    // fetches the CMP as an add-on, and a stub answers until then).
    if (!window.__gpp) return send();
    window.__gpp('addEventListener', function (e) {
      if (out.gpp || !e || !e.pingData || e.pingData.signalStatus !== 'ready') return;
      out.gpp = e.pingData;
      send();
    });
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', report);
  else report();
})();
