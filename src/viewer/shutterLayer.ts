/**
 * The Display Shutter on screen: an SVG over the pane's canvas (under the annotation layer) that
 * paints everything outside the shutter's shapes with the Shutter Presentation Value. Drawn in
 * image coordinates under one affine transform taken from the viewport after every render, so it
 * follows zoom, pan, rotation and flips exactly, and it is a display value (a P-value), so window,
 * level and inversion do not change it, as PS3.3 C.7.6.11 asks. Raw and subtracted frames alike.
 */
import { Enums, type StackViewport } from '@cornerstonejs/core';
import type { OpenedRun } from '../dicom/run';
import { displayShutterOf, shutterOutline } from '../imaging/shutter';
import { FIRST_PAINT_EVENT, type FirstPaintDetail } from './firstPaint';
import { imageToWorldIfKnown } from './frameCoords';
import { outlineToSvgPath } from './shutterPaths';

const SVG = 'http://www.w3.org/2000/svg';

export class ShutterLayer {
  private readonly svg: SVGSVGElement;
  private readonly group: SVGGElement;
  private run: OpenedRun | null = null;
  private enabled = true;

  constructor(private readonly viewport: StackViewport) {
    this.svg = document.createElementNS(SVG, 'svg');
    this.svg.setAttribute('class', 'shutter-layer');
    this.svg.setAttribute('aria-hidden', 'true');
    this.svg.dataset.testid = 'shutter-layer';
    this.svg.style.cssText = 'position:absolute;inset:0;width:100%;height:100%;pointer-events:none;overflow:hidden';
    this.group = document.createElementNS(SVG, 'g');
    this.svg.appendChild(this.group);
    // Inside Cornerstone's element, right after the canvas: annotations stay drawn above the shutter.
    const canvas = viewport.getCanvas();
    canvas.insertAdjacentElement('afterend', this.svg);
    viewport.element.addEventListener(Enums.Events.IMAGE_RENDERED, this.place);
    viewport.element.addEventListener(FIRST_PAINT_EVENT, this.placeAtFirstPaint);
  }

  /** Which run the pane shows and whether shutters are on. */
  show(run: OpenedRun | null, enabled: boolean): void {
    if (run === this.run && enabled === this.enabled) return;
    this.run = run;
    this.enabled = enabled;
    this.group.replaceChildren();
    const shutter = run ? displayShutterOf(run.info) : null;
    this.svg.dataset.shutter = shutter && enabled ? shutter.description : 'none';
    if (!shutter || !enabled) return;
    const [r, g, b] = shutter.fill.rgb;
    for (const path of shutterOutline(shutter)) {
      const element = document.createElementNS(SVG, 'path');
      element.setAttribute('d', outlineToSvgPath(path, true));
      element.setAttribute('fill', `rgb(${r},${g},${b})`);
      element.setAttribute('fill-rule', 'evenodd');
      element.setAttribute('shape-rendering', 'crispEdges');
      this.group.appendChild(element);
    }
    this.place();
  }

  destroy(): void {
    this.viewport.element.removeEventListener(Enums.Events.IMAGE_RENDERED, this.place);
    this.viewport.element.removeEventListener(FIRST_PAINT_EVENT, this.placeAtFirstPaint);
    this.svg.remove();
  }

  /** A run's frame 1 painted before Cornerstone has it (firstPaint.ts): the shutter goes where it was painted. */
  private placeAtFirstPaint = (event: Event): void => {
    const [a, b, c, d, e, f] = (event as CustomEvent<FirstPaintDetail>).detail.imageToCanvas;
    this.group.setAttribute('transform', `matrix(${a} ${b} ${c} ${d} ${e} ${f})`);
  };

  /** image → canvas is affine for a stack viewport: three points give the matrix. */
  private place = (): void => {
    if (this.group.childElementCount === 0) return;
    const imageId = this.viewport.getCurrentImageId?.();
    if (!imageId) return;
    const at = (x: number, y: number): [number, number] | null => {
      // Null for a frame of a run just closed or replaced: the next render, of the new run, places the layer.
      const world = imageToWorldIfKnown(imageId, [x, y]);
      return world ? (this.viewport.worldToCanvas(world) as [number, number]) : null;
    };
    const o = at(0, 0);
    const ex = at(1, 0);
    const ey = at(0, 1);
    if (!o || !ex || !ey) return;
    this.group.setAttribute('transform', `matrix(${ex[0] - o[0]} ${ex[1] - o[1]} ${ey[0] - o[0]} ${ey[1] - o[1]} ${o[0]} ${o[1]})`);
  };
}
