/**
 * The bench's reference: Cornerstone3D opening a local file the way its own "local" example
 * does (dicom-image-loader `wadouri.fileManager.add(file)`, then `setStack([imageId])` and
 * `render()` on a stack viewport), with nothing of FluoroLens. `vanilla:input-change` is marked
 * when the input's change event arrives and `vanilla:first-frame` when the viewport has rendered
 * the image (its IMAGE_RENDERED event with image data, the criterion FluoroLens uses too).
 */
import { Enums, RenderingEngine, init as initCore, type StackViewport } from '@cornerstonejs/core';
import { init as initImageLoader, wadouri } from '@cornerstonejs/dicom-image-loader';

declare global {
  interface Window {
    __vanillaReady?: boolean;
  }
}

async function main() {
  await initCore();
  initImageLoader({ maxWebWorkers: navigator.hardwareConcurrency || 2 });
  const element = document.getElementById('viewport') as HTMLDivElement;
  const engine = new RenderingEngine('vanilla');
  engine.enableElement({ viewportId: 'stack', type: Enums.ViewportType.STACK, element });
  const viewport = engine.getViewport('stack') as StackViewport;
  let marked = false;
  element.addEventListener(Enums.Events.IMAGE_RENDERED, () => {
    if (marked || !viewport.getImageData()) return;
    marked = true;
    performance.mark('vanilla:first-frame');
  });
  const input = document.querySelector('input[type=file]') as HTMLInputElement;
  input.addEventListener('change', () => {
    performance.mark('vanilla:input-change');
    const file = input.files?.[0];
    if (!file) return;
    const imageId = wadouri.fileManager.add(file);
    void viewport.setStack([imageId]).then(() => viewport.render());
  });
  window.__vanillaReady = true;
}

void main();
