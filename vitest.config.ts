import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Checks that need Debian packages run as their own scripts (npm run test:office, test:visual).
    exclude: ['test/office/**', 'test/visual/**', '**/node_modules/**'],
    environment: 'node',
    // Hang guards, not speed checks: on a busy 2-core machine (npm run test:stress)
    // tests that take 5 s on an idle one take 20 s and more. Tests whose work has
    // a budget of its own (a fetch deadline, three report runs) say so themselves.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
