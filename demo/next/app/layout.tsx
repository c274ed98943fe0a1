import type { ReactNode } from 'react';
import { cookies, headers } from 'next/headers';
import { readConsentCookie } from 'consentline';
import { consentOptions } from './consent';
import { Providers } from './providers';

export const metadata = { title: 'Consentline with Next.js' };

export default async function RootLayout({ children }: { children: ReactNode }) {
  const request = await headers();
  // The state the browser store will read from the same cookie: server and first client render agree.
  const serverState = readConsentCookie((await cookies()).toString(), {
    ...consentOptions,
    secure: request.get('x-forwarded-proto') === 'https',
    gpc: request.get('sec-gpc') === '1',
  });
  return (
    <html lang="en">
      <body>
        <Providers serverState={serverState} nonce={request.get('x-nonce') ?? ''}>
          {children}
        </Providers>
      </body>
    </html>
  );
}
