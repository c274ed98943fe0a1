import { Demo } from './demo';

export default function Page() {
  return (
    <main>
      <h1>Consentline with Next.js</h1>
      <Demo />
    </main>
  );
}
