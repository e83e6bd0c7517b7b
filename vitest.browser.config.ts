import { defineConfig } from 'vitest/config';

// Browser tests: Vitest in Node drives Debian's Chromium (playwright-core) against the
// production build served by `vite preview`. One file at a time: the machine has two cores.
export default defineConfig({
  test: {
    include: ['tests/browser/**/*.test.ts'],
    environment: 'node',
    globalSetup: ['tests/browser/globalSetup.ts'],
    fileParallelism: false,
    // Headless Chromium on 2 cores with software WebGL has rare one-frame timing races (a canvas
    // sampled a frame before its redraw). One retry absorbs those; a real regression fails twice.
    // Failed first attempts still show in the log.
    retry: 1,
    testTimeout: 90_000,
    hookTimeout: 90_000,
    reporters: ['default', ['json', { outputFile: 'test-results/browser.json' }]],
  },
});
