/** Which tool class draws and edits which track kind, and their registration with the panes' tool groups. */
import { cursors } from '@cornerstonejs/tools';
import type { TrackKind } from '../model';
import { registerInteractionTool } from '../../viewer/toolGroup';
import { ArrowTool } from './ArrowTool';
import { CaptionTool } from './CaptionTool';
import { ContrastSpreadTool } from './ContrastSpreadTool';
import { NeedleTipTool } from './NeedleTipTool';
import { TargetTool } from './TargetTool';

type ToolClass = { toolName: string } & (new (...args: never[]) => unknown);

const TOOL_CLASS_BY_KIND: Readonly<Record<TrackKind, ToolClass>> = {
  needleTip: NeedleTipTool as unknown as ToolClass,
  target: TargetTool as unknown as ToolClass,
  contrastSpread: ContrastSpreadTool as unknown as ToolClass,
  arrow: ArrowTool as unknown as ToolClass,
  caption: CaptionTool as unknown as ToolClass,
};

export const ANNOTATION_TOOL_NAME: Readonly<Record<TrackKind, string>> = {
  needleTip: NeedleTipTool.toolName,
  target: TargetTool.toolName,
  contrastSpread: ContrastSpreadTool.toolName,
  arrow: ArrowTool.toolName,
  caption: CaptionTool.toolName,
};

/**
 * The glyph of Cornerstone's nearest tool, drawn beside a crosshair whose centre is the hot spot, as
 * Window/level, Pan and Zoom have: without one, the pane showed the default arrow pointer over the
 * image while a needle tip was being placed.
 */
const CURSOR_GLYPH_OF: Readonly<Record<TrackKind, string>> = {
  needleTip: 'Probe',
  target: 'CircleROI',
  contrastSpread: 'FreehandROI',
  arrow: 'ArrowAnnotate',
  caption: 'Label',
};

/**
 * Our tools are passive in every pane unless on the primary button: passive tools still draw
 * their annotations and let their handles be dragged, whatever tool is active.
 */
export function registerAnnotationTools(): void {
  for (const [kind, tool] of Object.entries(TOOL_CLASS_BY_KIND) as Array<[TrackKind, ToolClass]>) {
    const glyph = cursors.CursorSVG[CURSOR_GLYPH_OF[kind]];
    if (glyph) cursors.registerCursor(tool.toolName, glyph.iconContent, glyph.viewBox);
    registerInteractionTool(tool, { passive: true });
  }
}
