import { defineConfig } from 'vitest/config';

// The core runs in Node's environment (proving it needs no DOM); browser-facing parts use
// happy-dom via a `// @vitest-environment happy-dom` line or by living under test/unit/dom.
// test/server runs consentline/server against real redis-server and PostgreSQL instances that its
// tests start themselves (test/server/support/services.ts).
// The React binding's tests run twice: against React 19 (the `react` dev dependency) and against
// React 18, the oldest the peer range allows (the `react18` and `react-dom18` aliases), which
// test/support/react18.ts puts in place of `react` and `react-dom` wherever they are required.
const REACT_TESTS = 'test/unit/react/**/*.test.ts';

export default defineConfig({
  test: {
    pool: 'threads',
    // A guard against a hung test, not a measure: the property tests and the DNI slicing tests take
    // a few seconds on a quiet 2-core machine and over 5 s (vitest's default) on a busy one.
    testTimeout: 30_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts', 'test/server/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        extends: true,
        resolve: {
          alias: [
            { find: /^react$/, replacement: 'react18' },
            { find: /^react\/(.*)$/, replacement: 'react18/$1' },
            { find: /^react-dom$/, replacement: 'react-dom18' },
            { find: /^react-dom\/(.*)$/, replacement: 'react-dom18/$1' },
          ],
        },
        test: {
          name: 'react18',
          include: [REACT_TESTS],
          environment: 'node',
          setupFiles: ['test/support/react18.ts'],
        },
      },
    ],
  },
});
