import { useEffect } from 'react';
import {
  ConsentBanner,
  ConsentGate,
  ConsentProvider,
  TrackingNumbers,
  useCategory,
  useConsent,
  useConsentStore,
  useTrackingNumber,
} from 'consentline/react';
import { createConsentModeBridge } from 'consentline/signals';

const SALES = '+15551234567';

/** Consent Mode updates for as long as the app is mounted: started in an effect, stopped in its cleanup. */
function ConsentModeBridge() {
  const store = useConsentStore();
  useEffect(() => createConsentModeBridge(store), [store]);
  return null;
}

/** Counts this effect's runs on <html data-effect-runs>: 2 on load means StrictMode re-ran effects (a development build). */
function EffectRuns() {
  useEffect(() => {
    const root = document.documentElement;
    root.dataset['effectRuns'] = String(Number(root.dataset['effectRuns'] ?? 0) + 1);
  }, []);
  return null;
}

function Status() {
  const state = useConsent();
  const analytics = useCategory('analytics');
  return (
    <p id="status" data-decided={String(!state.needsDecision)} data-analytics={String(analytics)}>
      {state.needsDecision ? 'No decision yet.' : `Analytics ${analytics ? 'on' : 'off'}.`}
    </p>
  );
}

function SalesLine() {
  const number = useTrackingNumber(SALES);
  // Rendered by React from the hook; data-no-swap keeps the page swapper off it.
  return (
    <a id="phone" href={`tel:${number}`} data-no-swap="">
      {number}
    </a>
  );
}

function Settings() {
  const store = useConsentStore();
  return (
    <p>
      <button type="button" data-consentline-preferences="">
        Cookie settings
      </button>{' '}
      <button type="button" id="withdraw" onClick={() => store.rejectAll()}>
        Withdraw consent
      </button>
    </p>
  );
}

export function App() {
  return (
    <ConsentProvider options={{}}>
      <ConsentModeBridge />
      <EffectRuns />
      <main>
        <h1>Consentline with React</h1>
        <Status />
        <ConsentGate category="analytics" fallback={<p id="analytics-off">Statistics are off.</p>}>
          <p id="analytics-on">Statistics are on.</p>
        </ConsentGate>
        <ConsentGate
          category="social"
          fallback={<p>The video needs social media cookies.</p>}
          allowButton="Allow social media and play"
        >
          <p id="video">(video player)</p>
        </ConsentGate>
        <TrackingNumbers targets={[SALES]} rules={[{ number: '+18005550199' }]}>
          <p>
            Call sales: <SalesLine />
          </p>
        </TrackingNumbers>
        <Settings />
      </main>
      <ConsentBanner lang="en" privacyPolicyUrl="/privacy" />
    </ConsentProvider>
  );
}
