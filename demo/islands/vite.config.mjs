// The islands example's browser bundle, built against the package as published: `consentline/*`
// resolves to the repository's dist/ (run `npm run build` first). A development build, so that
// React reports hydration mismatches on the console.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const dist = (file) => fileURLToPath(new URL(`../../dist/esm/${file}`, import.meta.url));

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  mode: 'development',
  resolve: {
    alias: [
      { find: /^consentline$/, replacement: dist('index.js') },
      { find: /^consentline\/(react|signals|ui)$/, replacement: dist('$1.js') },
    ],
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    minify: false,
    rollupOptions: {
      input: fileURLToPath(new URL('client.mjs', import.meta.url)),
      output: { entryFileNames: 'assets/client.js' },
    },
  },
  logLevel: 'warn',
});
