// The islands example's React island, rendered by the server (server.mjs) and hydrated by the
// browser (client.mjs) once for each place on the page, as Astro renders React components: each
// a root of its own with its own `identifierPrefix`, given the same server state by the page.
import { createElement as h } from 'react';
import { ConsentBanner, ConsentProvider, useConsent } from 'consentline/react';

/** The page's islands, by the id of the element each is rendered into, in page order. */
export const ISLANDS = ['header', 'footer'];

function Status() {
  const state = useConsent();
  return h('p', { className: 'status' }, state.needsDecision ? 'No decision yet.' : 'Decided.');
}

/** One island: a provider of its own with the page's server state, and a banner. */
export const island = ({ serverState, nonce }) =>
  h(ConsentProvider, { options: {}, serverState }, h(Status), h(ConsentBanner, { lang: 'en', nonce }));
