import { defineConfig } from 'vitest/config';

// Browser tests: Vitest in Node drives Debian's Chromium (playwright-core) against the
// production build served by `vite preview`. One file at a time: the machine has two cores.
export default defineConfig({
  test: {
    include: ['tests/browser/**/*.test.ts'],
    environment: 'node',
    globalSetup: ['tests/browser/globalSetup.ts'],
    fileParallelism: false,
    testTimeout: 90_000,
    hookTimeout: 90_000,
    reporters: ['default', ['json', { outputFile: 'test-results/browser.json' }]],
  },
});
