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
    // expect.poll waits for what the page does next (an alert after frame 1, a re-render after a
    // worker's answer). Its 1 s default is shorter than those take on a busy 2-core runner; a real
    // regression still fails, 4 s later. Checks of how fast something happens set their own limits.
    expect: { poll: { timeout: 5_000 } },
    hookTimeout: 90_000,
    reporters: ['default', ['json', { outputFile: 'test-results/browser.json' }]],
  },
});
