// A held-back tag for the ordering tests: records its name (?n=) and whether it kept its nonce.
(function () {
  var s = document.currentScript;
  (window.__order = window.__order || []).push(
    new URL(s.src).searchParams.get('n') + (s.nonce === 'demo' ? '' : ' (no nonce)'),
  );
})();
