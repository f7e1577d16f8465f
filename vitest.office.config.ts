import { defineConfig } from 'vitest/config';

/** `npm run test:office`: checks that need LibreOffice (installed by .ci/run). */
export default defineConfig({
  test: {
    include: ['test/office/**/*.test.ts'],
    environment: 'node',
    testTimeout: 180_000,
  },
});
