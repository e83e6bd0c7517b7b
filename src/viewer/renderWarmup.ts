import { Enums, cache, imageLoader, utilities, type RenderingEngine, type StackViewport, type Types } from '@cornerstonejs/core';
import { warmUpFirstPaint } from './firstPaint';
import { rleWarmUpFrames } from './codecWarmup';
import { warmUpRleHere, warmUpValueRange } from './nativeImage';
import { warmUpOpening } from './openWarmup';
import { warmUpStep } from './warmUpGate';

/**
 * Renders two tiny images (8- and 16-bit) through a hidden stack viewport of the app's rendering
 * engine before any file is chosen. The first image a GL context ever draws pays for compiling
 * the image shaders, probing texture formats (a throwaway GL context of its own) and creating the
 * texture paths: on software GL that was a good part of the first frame's time. Every viewport of
 * the engine shares its one GL context (cornerstoneSetup), so all of them find this done.
 * Then the open path itself is warmed (openWarmup.ts), and the first paint's sampling
 * (firstPaint.ts), and the RLE decoder that decodes a first frame in this thread (nativeImage.ts).
 * Starts, and goes on step by step, when warmUpGate.ts lets it. Marks `fluorolens:viewport-warm`
 * when finished, with `detail.runsShown`.
 */
const SIZE = 64;
const RENDER_WAIT_MS = 3000;
/** Decodes of each RLE warm-up frame (256²) in this thread: enough for V8 to optimise the decoder. */
const RLE_WARM_UP_PASSES = 12;
let warming: Promise<void> | null = null;

function gradient(pixels: Uint8Array | Uint16Array, max: number): Uint8Array | Uint16Array {
  for (let i = 0; i < pixels.length; i++) pixels[i] = Math.round(((i % SIZE) / (SIZE - 1)) * max);
  return pixels;
}

function renderedOnce(element: HTMLElement): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, RENDER_WAIT_MS);
    element.addEventListener(
      Enums.Events.IMAGE_RENDERED,
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}

export function warmUpRendering(engine: RenderingEngine): Promise<void> {
  warming ??= (async () => {
    await warmUpStep();
    const element = document.createElement('div');
    // Laid out (Cornerstone skips a viewport of size 0) but off screen and unseen.
    element.style.cssText = `position:fixed;left:-${4 * SIZE}px;top:0;width:${SIZE}px;height:${SIZE}px;visibility:hidden;pointer-events:none`;
    element.setAttribute('aria-hidden', 'true');
    document.body.append(element);
    const viewportId = 'fluorolens-warmup';
    let runsShown = 0;
    const images: Array<[string, Uint8Array | Uint16Array]> = [
      ['fluorolens-warmup:8', gradient(new Uint8Array(SIZE * SIZE), 255)],
      ['fluorolens-warmup:16', gradient(new Uint16Array(SIZE * SIZE), 4095)],
    ];
    try {
      engine.enableElement({
        viewportId,
        type: Enums.ViewportType.STACK,
        element,
        defaultOptions: { background: [0, 0, 0] as Types.Point3 },
      });
      const viewport = engine.getViewport(viewportId) as StackViewport;
      for (const [imageId, scalarData] of images) {
        imageLoader.createAndCacheLocalImage(imageId, {
          scalarData,
          dimensions: [SIZE, SIZE],
          spacing: [1, 1],
          origin: [0, 0, 0],
          direction: [1, 0, 0, 0, 1, 0, 0, 0, 1],
          frameOfReferenceUID: 'fluorolens-warmup',
        });
        // What the stack viewport asks beyond the plane and pixel modules the call above provides.
        utilities.genericMetadataProvider.add(imageId, { type: Enums.MetadataModules.GENERAL_SERIES, metadata: { modality: 'XA' } });
        await warmUpStep();
        const rendered = renderedOnce(element);
        await viewport.setStack([imageId], 0);
        viewport.render();
        await rendered;
      }
      await warmUpStep();
      warmUpValueRange();
      runsShown = await warmUpOpening(viewport, () => renderedOnce(element));
      await warmUpStep();
      warmUpFirstPaint();
      const rleFrames = rleWarmUpFrames();
      for (let pass = 0; pass < RLE_WARM_UP_PASSES; pass++) {
        await warmUpStep();
        await warmUpRleHere(rleFrames);
      }
    } catch {
      // Warming is an optimisation: the first real frame still renders, only slower.
    } finally {
      if (engine.getViewport(viewportId)) engine.disableElement(viewportId);
      element.remove();
      for (const [imageId] of images) if (cache.getImageLoadObject(imageId)) cache.removeImageLoadObject(imageId);
      performance.mark('fluorolens:viewport-warm', { detail: { runsShown } });
    }
  })();
  return warming;
}
