/**
 * Cornerstone's StackViewport holds a window given through setProperties (a Window/level drag, a
 * preset, ours) for every frame after it, in its private `voiUpdatedWithSetProperties`; without
 * one, each frame is shown in its image's own window. setStack does not clear it, and a reset of
 * all properties also resets inversion and the transfer function, so the flag is read and cleared
 * here. The browser test of a series windowed image by image (display.test.ts) fails if a
 * Cornerstone upgrade renames it.
 */
import type { StackViewport } from '@cornerstonejs/core';

interface SetWindowFlag {
  voiUpdatedWithSetProperties?: boolean;
}

/** Whether the viewport shows every frame in a window that was set, rather than each image's own. */
export function holdsSetWindow(viewport: StackViewport): boolean {
  return Boolean((viewport as unknown as SetWindowFlag).voiUpdatedWithSetProperties);
}

/** From the next frame on, each frame in its image's own window (the one on screen stays until then). */
export function releaseSetWindow(viewport: StackViewport): void {
  (viewport as unknown as SetWindowFlag).voiUpdatedWithSetProperties = false;
}
