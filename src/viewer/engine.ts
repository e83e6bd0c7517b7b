/**
 * The one Cornerstone rendering engine of the page and how a pane's viewport is found in it.
 * Viewports are enabled under their pane id (state/viewports.ts), so a pane id is a viewport id.
 */
import { RenderingEngine, StackViewport, getRenderingEngine } from '@cornerstonejs/core';

export const ENGINE_ID = 'fluorolens';

/** The engine, made on first use (after initCornerstone). */
export function renderingEngine(): RenderingEngine {
  return getRenderingEngine(ENGINE_ID) ?? new RenderingEngine(ENGINE_ID);
}

/** The pane's stack viewport once Cornerstone has enabled it, whether or not it shows an image yet. */
export function stackViewport(viewportId: string): StackViewport | undefined {
  const viewport = getRenderingEngine(ENGINE_ID)?.getViewport(viewportId);
  return viewport instanceof StackViewport ? viewport : undefined;
}

/** Every enabled stack viewport (one per pane). */
export function allStackViewports(): StackViewport[] {
  return (getRenderingEngine(ENGINE_ID)?.getViewports() ?? []).filter((v): v is StackViewport => v instanceof StackViewport);
}

/** The element of the pane's viewport, once Cornerstone has enabled it. */
export function viewportElement(viewportId: string): HTMLDivElement | null {
  return (stackViewport(viewportId)?.element as HTMLDivElement | undefined) ?? null;
}

/**
 * Fits every viewport to its element again, keeping what the user set relative to the fitted
 * image: zoom (1 = fitted), pan, rotation and flips. Cornerstone's keepCamera keeps the visible
 * world height instead, so a pane that became narrower than its image (side by side on a portrait
 * screen) cut the image's sides off while the toolbar still offered Fit.
 */
export function resizeKeepingViewPresentation(): void {
  const engine = getRenderingEngine(ENGINE_ID);
  if (!engine) return;
  const shown = allStackViewports()
    .filter((viewport) => viewport.getCurrentImageId())
    .map((viewport) => ({ viewport, presentation: viewport.getViewPresentation() }));
  engine.resize(true, false);
  for (const { viewport, presentation } of shown) {
    viewport.setViewPresentation(presentation);
    viewport.render();
  }
}
