// The Next.js example. `consentline/*` resolves to the repository's own package (its exports map
// and dist/, so run `npm run build` first): the example loads exactly what an app installing it would.
import { fileURLToPath } from 'node:url';

/** @type {import('next').NextConfig} */
const config = {
  // The repository root holds node_modules and the lockfile.
  turbopack: { root: fileURLToPath(new URL('../..', import.meta.url)) },
  outputFileTracingRoot: fileURLToPath(new URL('../..', import.meta.url)),
  poweredByHeader: false,
  devIndicators: false,
};

export default config;
