import { cache, init as initCore, metaData, registerImageLoader, setCanvasCreator } from '@cornerstonejs/core';
import { init as initDicomImageLoader } from '@cornerstonejs/dicom-image-loader';
import { init as initTools } from '@cornerstonejs/tools';
import { warmUpDecoders } from './codecWarmup';
import { warmUpsMayStart } from './warmUpGate';
import { createFrameImageLoader } from './frameImageLoader';
import { DERIVED_SCHEME, FLUORO_SCHEME, type RunLookup } from './imageIds';
import { createDerivedImageLoader } from './subtractionImages';
import { createMetadataProvider } from './metadataProvider';
import { warmUpRun } from './openWarmup';

/** Decoded frames Cornerstone may keep before it evicts the least recently used. */
export const DECODED_CACHE_BYTES = 1536 * 1024 * 1024;

/**
 * Initialises Cornerstone, once per page (app/bootstrap.ts): core, the dicom-image-loader's decode
 * workers (their codecs warmed up now), tools, and our image loader and metadata provider, which
 * find runs through `runByKey`.
 */
export async function initCornerstone(sessionRunByKey: RunLookup): Promise<void> {
  // The made-up runs of the open path's warm-up (openWarmup.ts) are found too, while it runs.
  const runByKey: RunLookup = (runKey) => sessionRunByKey(runKey) ?? warmUpRun(runKey);
  // One GL context for every viewport (Cornerstone's default pool makes 7): each context compiles
  // its shaders and holds its buffers, all on the CPU with software GL; two panes need no more.
  await initCore({ rendering: { webGlContextCount: 1 } } as Parameters<typeof initCore>[0]);
  setCanvasCreator(createOpaqueCanvas);
  const cores = typeof navigator !== 'undefined' ? navigator.hardwareConcurrency || 2 : 2;
  // Decoding is the bottleneck of opening a run: use every core for it.
  const workers = Math.max(1, cores);
  initDicomImageLoader({ maxWebWorkers: workers });
  // Codec WASM takes 55–75 ms per worker to load: do it before the user opens a file, not on its
  // first frame (after the runs the page opens by itself are on screen: warmUpGate.ts).
  void warmUpsMayStart()
    .then(() => warmUpDecoders(workers))
    .then((failed) => performance.mark('fluorolens:codecs-warm', { detail: { failed } }));
  initTools();
  registerImageLoader(FLUORO_SCHEME, createFrameImageLoader(runByKey) as never);
  registerImageLoader(DERIVED_SCHEME, createDerivedImageLoader(runByKey) as never);
  metaData.addProvider(createMetadataProvider(runByKey) as never, 10000);
  cache.setMaxCacheSize(DECODED_CACHE_BYTES);
  handleCacheRejections();
}

/**
 * The canvases Cornerstone creates (each pane's, where every frame is copied from its WebGL
 * canvas) are opaque: a viewport fills its whole canvas, with the image or the black background,
 * so there is nothing to see through, and an opaque canvas is copied into the page without
 * blending. The first getContext fixes a canvas's attributes, so it is asked here; Cornerstone's
 * own calls get the same context. Measured here: GPU-process CPU per frame step of a 1024² run
 * in a 1220×633 pane 50–53 → 42–48 ms on software GL.
 */
function createOpaqueCanvas(width: number, height: number): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  canvas.getContext('2d', { alpha: false });
  return canvas;
}

/**
 * Cornerstone's loadAndCacheImage starts cache.putImageLoadObject and drops the promise it returns,
 * which rejects again whenever a frame fails to load: each damaged frame became an unhandled
 * rejection in the page. The failure still reaches whoever asked for the frame (the load promise,
 * handled by the stack controller), so only the cache's echo of it is caught here.
 */
function handleCacheRejections(): void {
  const put = cache.putImageLoadObject.bind(cache);
  cache.putImageLoadObject = (imageId, imageLoadObject) => {
    const stored = put(imageId, imageLoadObject);
    stored.catch(() => undefined);
    return stored;
  };
}

/** Bytes of decoded frames in Cornerstone's cache (for the bench's memory figures). */
export function decodedCacheBytes(): number {
  return cache.getCacheSize();
}
