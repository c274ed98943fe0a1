// Builds the framework examples once, for test/browser/frameworks.spec.ts: demo/react with Vite,
// demo/vue's and demo/islands' browser bundles with Vite and demo/next with Next.js, all against dist/ (run
// `npm run build` first). `npm test` runs it before the browser tests.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

if (!existsSync('dist/esm/react.js')) {
  console.error('build-examples: dist/esm/react.js is missing; run `npm run build` first.');
  process.exit(1);
}

// The React example is a development build: only there does StrictMode mount, unmount and mount
// again, which is what its tests are about. Vue's is one too: only there does Vue report hydration
// mismatches. Next's is a production build, as deployed.
const steps = [
  {
    name: 'demo/react (Vite)',
    args: ['node_modules/vite/bin/vite.js', 'build', '--config', 'demo/react/vite.config.mjs'],
    env: { NODE_ENV: 'development' },
  },
  {
    name: 'demo/vue (Vite, browser bundle)',
    args: ['node_modules/vite/bin/vite.js', 'build', '--config', 'demo/vue/vite.config.mjs'],
    env: { NODE_ENV: 'development' },
  },
  {
    name: 'demo/islands (Vite, browser bundle)',
    args: ['node_modules/vite/bin/vite.js', 'build', '--config', 'demo/islands/vite.config.mjs'],
    env: { NODE_ENV: 'development' },
  },
  {
    name: 'demo/next (Next.js)',
    args: ['node_modules/next/dist/bin/next', 'build', 'demo/next'],
    env: { NODE_ENV: 'production' },
  },
];

for (const { name, args, env } of steps) {
  const started = Date.now();
  const run = spawnSync(process.execPath, args, {
    stdio: 'inherit',
    env: { ...process.env, ...env, NEXT_TELEMETRY_DISABLED: '1' },
  });
  if (run.status !== 0) {
    console.error(`build-examples: ${name} failed`);
    process.exit(run.status ?? 1);
  }
  console.log(`build-examples: ${name} built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
