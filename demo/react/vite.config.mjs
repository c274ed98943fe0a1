// The React example, built against the package as published: `consentline/*` resolves to the
// repository's dist/ (run `npm run build` first), exactly what an app installing it would load.
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const dist = (file) => fileURLToPath(new URL(`../../dist/esm/${file}`, import.meta.url));

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react()],
  resolve: {
    alias: [
      { find: /^consentline$/, replacement: dist('index.js') },
      { find: /^consentline\/(react|signals|dni|ui)$/, replacement: dist('$1.js') },
    ],
  },
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false },
  logLevel: 'warn',
});
