import { defineConfig } from 'vitest/config';

// The core runs in Node's environment (proving it needs no DOM); browser-facing parts use
// happy-dom via a `// @vitest-environment happy-dom` line or by living under test/unit/dom.
// test/server runs consentline/server against real redis-server and PostgreSQL instances that its
// tests start themselves (test/server/support/services.ts).
export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/server/**/*.test.ts'],
    environment: 'node',
    pool: 'threads',
  },
});
