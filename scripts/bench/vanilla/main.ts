/**
 * The bench's reference: Cornerstone3D opening a local file the way its own "local" example
 * does (dicom-image-loader `wadouri.fileManager.add(file)`, then `setStack([imageId])` and
 * `render()` on a stack viewport), with nothing of FluoroLens; several files or a folder become
 * one stack of all of them, in the order the browser lists them. `vanilla:input-change` is marked
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
  // One file, or a series of files: a stack of every file in the order the browser lists them,
  // as Cornerstone3D's stack examples build one (no header is read to sort them first).
  const open = (files: FileList | null) => {
    performance.mark('vanilla:input-change');
    if (!files || files.length === 0) return;
    const imageIds = [...files].map((file) => wadouri.fileManager.add(file));
    void viewport.setStack(imageIds).then(() => viewport.render());
  };
  for (const input of document.querySelectorAll<HTMLInputElement>('input[type=file]'))
    input.addEventListener('change', () => open(input.files));
  window.__vanillaReady = true;
}

void main();
