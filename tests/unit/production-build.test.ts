import { build, type Rolldown } from 'vite';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * What `npm run build` ships, read from the production bundle built in memory: not the test hooks
 * that change documents (drawKeyframe, importAnnotations, undoRedo; src/app/testHooks.ts), which
 * are only for builds made with `npm run build:test`; and vtk.js rewritten to ask for an opaque,
 * single-sampled WebGL context (scripts/vite-plugin-webgl-context.ts); and the decode worker's
 * JPEG Lossless decoder being FluoroLens's (src/viewer/jpegLosslessDecoder.ts, aliased in vite.config.ts);
 * and its OpenJPEG coming through src/viewer/openJpegCodec.ts (scripts/vite-plugin-openjpeg-messages.ts).
 */
describe('the production build', () => {
  let code = '';
  /** The decode worker's bundle: Vite builds it on its own and emits its files as assets. */
  let workerFiles: Array<{ fileName: string; text: string }> = [];

  beforeAll(async () => {
    delete process.env.VITE_FLUOROLENS_TEST_HOOKS;
    const result = await build({ mode: 'production', logLevel: 'silent', build: { write: false } });
    const outputs = (Array.isArray(result) ? result : [result]) as Rolldown.RolldownOutput[];
    code = outputs
      .flatMap((output) => output.output)
      .filter((chunk): chunk is Rolldown.OutputChunk => chunk.type === 'chunk')
      .map((chunk) => chunk.code)
      .join('\n');
    workerFiles = outputs
      .flatMap((output) => output.output)
      .filter((file): file is Rolldown.OutputAsset => file.type === 'asset' && file.fileName.endsWith('.js'))
      .map((file) => ({
        fileName: file.fileName,
        text: typeof file.source === 'string' ? file.source : new TextDecoder().decode(file.source),
      }));
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

  it("decodes JPEG Lossless in the worker with FluoroLens's decoder, keeping the published one for what it leaves", () => {
    const worker = workerFiles.find((file) => file.fileName.includes('decodeImageFrameWorker'));
    expect(worker, workerFiles.map((file) => file.fileName).join(', ')).toBeDefined();
    const decoder = workerFiles.find((file) => file.text.includes('the JPEG Lossless data of this frame is damaged'));
    expect(decoder, 'no worker file holds dicom/jpegLossless.ts').toBeDefined();
    // The worker loads it on first use, by its file name; the published decoder stays for the frames it leaves.
    expect(worker!.text).toContain(decoder!.fileName.replace(/^assets\//, ''));
    expect(workerFiles.some((file) => file.text.includes('getHuffmanValue'))).toBe(true);
  });

  it('gets OpenJPEG in the worker through the adapter that quiets its [INFO] lines and fails frames it reports errors for', () => {
    const adapter = workerFiles.find((file) => file.text.includes('the JPEG 2000 data of this frame is damaged (OpenJPEG'));
    expect(adapter, 'no worker file holds viewer/openJpegCodec.ts').toBeDefined();
    // The published factory is bundled with it, and the loader's JPEG 2000 decoder reaches it only through the adapter.
    expect(adapter!.text).toContain('J2KDecoder');
    const worker = workerFiles.find((file) => file.fileName.includes('decodeImageFrameWorker'))!;
    expect(worker.text.includes(adapter!.fileName.replace(/^assets\//, '')) || worker === adapter).toBe(true);
  });
});
