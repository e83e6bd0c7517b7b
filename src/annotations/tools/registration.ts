/** Which tool class draws and edits which track kind, and their registration with the panes' tool groups. */
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
 * Our tools are passive in every pane unless on the primary button: passive tools still draw
 * their annotations and let their handles be dragged, whatever tool is active.
 */
export function registerAnnotationTools(): void {
  for (const tool of Object.values(TOOL_CLASS_BY_KIND)) registerInteractionTool(tool, { passive: true });
}
