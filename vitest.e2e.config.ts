import { defineConfig } from 'vitest/config';

// End-to-end tests: real Chromium (Debian's, driven by playwright-core) against the built app
// served by the local server on a free port with a fresh DATA_DIR. One file at a time: 2 cores.
export default defineConfig({
  test: {
    globals: true,
    include: ['tests/e2e/**/*.e2e.ts'],
    environment: 'node',
    fileParallelism: false,
    testTimeout: 90_000,
    hookTimeout: 90_000,
  },
});
