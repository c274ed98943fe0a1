// Google's gtag snippet as sites paste it (the tag itself is not loaded in the demo).
window.dataLayer = window.dataLayer || [];
function gtag() {
  // eslint-disable-next-line prefer-rest-params
  window.dataLayer.push(arguments);
}
gtag('js', new Date());
gtag('config', 'G-DEMO000000');
