import { defineConfig } from 'vitest/config';

// The core runs in Node's environment (proving it needs no DOM); browser-facing parts use
// happy-dom via a `// @vitest-environment happy-dom` line or by living under test/unit/dom.
export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts'],
    environment: 'node',
    pool: 'threads',
  },
});
