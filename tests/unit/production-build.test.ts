import { build, type Rolldown } from 'vite';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * What `npm run build` ships, read from the production bundle built in memory: not the test hooks
 * that change documents (drawKeyframe, importAnnotations, undoRedo; src/app/testHooks.ts), which
 * are only for builds made with `npm run build:test`; and vtk.js rewritten to ask for an opaque,
 * single-sampled WebGL context (scripts/vite-plugin-webgl-context.ts).
 */
describe('the production build', () => {
  let code = '';

  beforeAll(async () => {
    delete process.env.VITE_FLUOROLENS_TEST_HOOKS;
    const result = await build({ mode: 'production', logLevel: 'silent', build: { write: false } });
    const outputs = (Array.isArray(result) ? result : [result]) as Rolldown.RolldownOutput[];
    code = outputs
      .flatMap((output) => output.output)
      .filter((chunk): chunk is Rolldown.OutputChunk => chunk.type === 'chunk')
      .map((chunk) => chunk.code)
      .join('\n');
  }, 180_000);

  it('has the read-only test hooks but none that change documents', () => {
    // The scan sees the hooks object: its read-only members are there.
    expect(code).toContain('annotationsShown');
    expect(code).toContain('imagePointOnPage');
    for (const hook of ['drawKeyframe', 'importAnnotations', 'undoRedo']) expect(code, hook).not.toContain(hook);
  });

  it("asks for Cornerstone's WebGL context without an alpha channel or multisampling", () => {
    const defaults = /preserveDrawingBuffer:\s*(?:!1|false),\s*depth:\s*(?:!0|true),\s*alpha:\s*(\S+?),\s*antialias:\s*(\S+?),/.exec(code);
    expect(defaults?.slice(1)).toEqual(['!1', '!1']);
  });
});
