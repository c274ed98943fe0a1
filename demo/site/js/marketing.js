// Stand-ins for marketing tags held back until their category is granted. Each one marks the
// page so the effect is visible, and the analytics one sends a hit to the local collector.
(function () {
  var me = document.currentScript;
  var category = (me && me.getAttribute('data-tag')) || 'unknown';
  var el = document.querySelector('[data-status="' + category + '"]');
  if (el) {
    el.textContent = category + ' tag: running';
    el.className = 'status on';
  }
  (window.__tagsRun = window.__tagsRun || []).push(category);
  if (category === 'analytics') {
    try {
      navigator.sendBeacon('/collect/analytics', JSON.stringify({ page: location.pathname }));
    } catch (e) {}
  }
})();
