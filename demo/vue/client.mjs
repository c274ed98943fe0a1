// The browser's half of the Vue example: hydrates the server's HTML with the state the server
// rendered (embedded as JSON, in an element that carries the request's CSP nonce), unless the page
// is the naive one.
import { readGpc } from 'consentline/signals';
import { createDemoApp } from './app.mjs';

const embedded = document.getElementById('server-state');
const serverState = embedded ? JSON.parse(embedded.textContent) : undefined;
createDemoApp({ serverState, gpc: readGpc(), nonce: embedded?.nonce }).mount('#app');
