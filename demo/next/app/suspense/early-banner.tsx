'use client';
import { Suspense } from 'react';
import { ConsentBanner } from 'consentline/react';

export function EarlyBanner({ nonce }: { nonce: string }) {
  return (
    <Suspense fallback={null}>
      <aside id="early">
        <ConsentBanner lang="en" privacyPolicyUrl="/privacy" nonce={nonce} />
      </aside>
    </Suspense>
  );
}
