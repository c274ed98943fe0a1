// The Vue example's app, rendered by the server (server.mjs) and hydrated by the browser
// (client.mjs): render functions, no compile step. One configuration serves the server's reading of
// the consent cookie and the browser's store, so both render the same page.
import { createSSRApp, h } from 'vue';
import {
  ConsentBanner,
  ConsentGate,
  consentline,
  useCategory,
  useConsent,
  useConsentStore,
  useConsentUi,
} from 'consentline/vue';

/** The store's options, on the server (readConsentCookie) and in the browser (the plugin). */
export const consentOptions = {
  revision: 1,
  categories: [{ id: 'chat', label: 'Live chat', description: 'The support chat widget.' }],
};

const Status = {
  setup() {
    const state = useConsent();
    const analytics = useCategory('analytics');
    return () =>
      h(
        'p',
        { id: 'status' },
        state.value.needsDecision ? 'No decision yet.' : `Analytics ${analytics.value ? 'on' : 'off'}.`,
      );
  },
};

// The page's own settings controls: they open the dialog of the UI that ConsentBanner mounts.
const Settings = {
  setup() {
    const store = useConsentStore();
    const ui = useConsentUi();
    return () =>
      h('p', [
        h('button', { type: 'button', onClick: () => ui.showPreferences() }, 'Cookie settings'),
        ' ',
        h('button', { type: 'button', id: 'withdraw', onClick: () => store.rejectAll() }, 'Withdraw consent'),
      ]);
  },
};

// The banner (in the server's HTML on a first visit, with the request's CSP nonce on its <style>)
// comes before Settings: the first component mounted draws the UI, with its options.
const Page = {
  props: ['nonce'],
  render: ({ nonce }) =>
    h('main', [
      h('h1', 'Consentline with Vue'),
      h(Status),
      h(
        ConsentGate,
        { category: 'analytics' },
        {
          default: () => h('p', { id: 'analytics-on' }, 'Statistics are on.'),
          fallback: () => h('p', { id: 'analytics-off' }, 'Statistics are off.'),
        },
      ),
      h(
        ConsentGate,
        { category: 'chat', allowButton: true },
        {
          default: () => h('p', { id: 'chat' }, 'Live chat is open.'),
          fallback: () => h('p', 'Live chat needs your consent.'),
        },
      ),
      h(ConsentBanner, { lang: 'en', privacyPolicyUrl: '/privacy', nonce }),
      h(Settings),
    ]),
};

/**
 * The app, with the state the server read from the request's cookie (`serverState`) and the
 * request's CSP nonce. Without `serverState`
 * (the `naive` page) the browser renders from the store at once and the server an undecided visitor:
 * hydration then mismatches for a returning visitor, which the example's test must be able to see.
 */
export function createDemoApp({ serverState, gpc = false, nonce } = {}) {
  const app = createSSRApp(Page, { nonce });
  app.use(consentline, { options: { ...consentOptions, gpc }, ...(serverState && { serverState }) });
  return app;
}
