// A page whose own banner comes before the layout's, inside a Suspense boundary: the server
// renders it first (it does not wait), so its copy is the page's one; the browser hydrates the
// shell, the layout's banner included, before the boundary.
import { headers } from 'next/headers';
import { EarlyBanner } from './early-banner';

export default async function Page() {
  const nonce = (await headers()).get('x-nonce') ?? '';
  return (
    <main>
      <h1>A banner in a Suspense boundary</h1>
      <EarlyBanner nonce={nonce} />
    </main>
  );
}
