import { defineConfig } from 'vitest/config';

/** `npm run test:visual`: pages looked at in headless Chromium (Debian's chromium, installed by .ci/run). */
export default defineConfig({
  test: {
    include: ['test/visual/**/*.test.ts'],
    environment: 'node',
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
});
