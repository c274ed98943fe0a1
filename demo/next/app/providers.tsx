'use client';
import { useEffect, type ReactNode } from 'react';
import type { ConsentState } from 'consentline';
import { ConsentBanner, ConsentProvider, TrackingNumbers, useConsentStore } from 'consentline/react';
import { createConsentModeBridge, pushConsentDefault, readGpc } from 'consentline/signals';
import { consentOptions } from './consent';

export const SALES = '+15551234567';

/** Consent Mode for as long as the app is mounted: the default once, then an update on every change. */
function ConsentModeBridge() {
  const store = useConsentStore();
  useEffect(() => {
    pushConsentDefault();
    return createConsentModeBridge(store);
  }, [store]);
  return null;
}

interface ProvidersProps {
  serverState: ConsentState;
  /** The request's CSP nonce (see proxy.ts): the banner's server-rendered copy styles itself with it. */
  nonce: string;
  children: ReactNode;
}

export function Providers({ serverState, nonce, children }: ProvidersProps) {
  return (
    <ConsentProvider options={{ ...consentOptions, gpc: readGpc() }} serverState={serverState}>
      <ConsentModeBridge />
      <TrackingNumbers targets={[SALES]} rules={[{ number: '+18005550199' }]}>
        {children}
      </TrackingNumbers>
      <ConsentBanner lang="en" privacyPolicyUrl="/privacy" nonce={nonce} />
    </ConsentProvider>
  );
}
