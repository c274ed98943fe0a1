'use client';
import { ConsentGate, useCategory, useConsent, useConsentStore, useTrackingNumber } from 'consentline/react';
import { SALES } from './providers';

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

export function Demo() {
  const store = useConsentStore();
  return (
    <>
      <Status />
      <ConsentGate category="analytics" fallback={<p id="analytics-off">Statistics are off.</p>}>
        <p id="analytics-on">Statistics are on.</p>
      </ConsentGate>
      <ConsentGate category="chat" fallback={<p>The chat needs your consent.</p>} allowButton="Allow live chat">
        <p id="chat">(chat widget)</p>
      </ConsentGate>
      <p>
        Call sales: <SalesLine />
      </p>
      <p>
        <button type="button" data-consentline-preferences="">
          Cookie settings
        </button>{' '}
        <button type="button" id="withdraw" onClick={() => store.rejectAll()}>
          Withdraw consent
        </button>
      </p>
    </>
  );
}
