import { build, type Rolldown } from 'vite';
import { describe, expect, it } from 'vitest';

/**
 * `npm run build` must not ship the test hooks that change documents (drawKeyframe,
 * importAnnotations, undoRedo; src/app/testHooks.ts): they are only for builds made with
 * `npm run build:test`. Builds the production bundle in memory and reads its JavaScript.
 */
describe('the production build', () => {
  it('has the read-only test hooks but none that change documents', { timeout: 180_000 }, async () => {
    delete process.env.VITE_FLUOROLENS_TEST_HOOKS;
    const result = await build({ mode: 'production', logLevel: 'silent', build: { write: false } });
    const outputs = (Array.isArray(result) ? result : [result]) as Rolldown.RolldownOutput[];
    const code = outputs
      .flatMap((output) => output.output)
      .filter((chunk): chunk is Rolldown.OutputChunk => chunk.type === 'chunk')
      .map((chunk) => chunk.code)
      .join('\n');
    // The scan sees the hooks object: its read-only members are there.
    expect(code).toContain('annotationsShown');
    expect(code).toContain('imagePointOnPage');
    for (const hook of ['drawKeyframe', 'importAnnotations', 'undoRedo']) expect(code, hook).not.toContain(hook);
  });
});
