// The browser's half of the islands example: each island hydrates when the page asks for it (as
// Astro's `client:visible` or `client:idle` would, in any order), with the server state as a
// framework passes an island's props: parsed for it, an object of its own.
import { hydrateRoot } from 'react-dom/client';
import { island } from './islands.mjs';

const embedded = document.getElementById('server-state');

/** Hydrates the island rendered into the element with id `id`. */
window.hydrateIsland = (id) => {
  const element = document.getElementById(id);
  const serverState = JSON.parse(embedded.textContent);
  hydrateRoot(element, island({ serverState, nonce: embedded.nonce }), {
    identifierPrefix: element.dataset.prefix,
  });
};
