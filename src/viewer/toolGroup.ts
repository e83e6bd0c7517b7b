import {
  Enums as ToolEnums,
  PanTool,
  ToolGroupManager,
  WindowLevelTool,
  ZoomTool,
  addTool,
  type Types as ToolTypes,
} from '@cornerstonejs/tools';

/**
 * One Cornerstone tool group per viewer pane. The primary (left) button runs the tool the user
 * picked; the middle button always pans, the right button always zooms, and the wheel zooms.
 * Annotation tools register here too (registerInteractionTool) so the toolbar can pick them.
 */
type ToolClass = { toolName: string } & (new (...args: never[]) => unknown);

const { MouseBindings } = ToolEnums;
const registered = new Map<string, ToolClass>();
const primaryToolOf = new Map<string, string>();

export const WINDOW_LEVEL = WindowLevelTool.toolName as string;
export const PAN = PanTool.toolName as string;
export const ZOOM = ZoomTool.toolName as string;

export function registerInteractionTool(tool: ToolClass): void {
  if (registered.has(tool.toolName)) return;
  addTool(tool as never);
  registered.set(tool.toolName, tool);
  // Panes created before this tool was registered get it too.
  for (const viewportId of primaryToolOf.keys()) toolGroupOf(viewportId)?.addTool(tool.toolName);
}

function registerBuiltIns(): void {
  for (const tool of [WindowLevelTool, PanTool, ZoomTool] as unknown as ToolClass[]) registerInteractionTool(tool);
}

function groupId(viewportId: string): string {
  return `fluorolens-${viewportId}`;
}

/** Zoom keeps the right button, the wheel and a two-finger pinch (which also pans) whatever the left button does. */
const ZOOM_BINDINGS = [{ mouseButton: MouseBindings.Secondary }, { mouseButton: MouseBindings.Wheel }, { numTouchPoints: 2 }];

export function toolGroupOf(viewportId: string): ToolTypes.IToolGroup | undefined {
  return ToolGroupManager.getToolGroup(groupId(viewportId));
}

/** Creates the pane's tool group (idempotent) with window/level on the primary button. */
export function attachToolGroup(viewportId: string, renderingEngineId: string): ToolTypes.IToolGroup {
  registerBuiltIns();
  let group = toolGroupOf(viewportId);
  if (!group) {
    group = ToolGroupManager.createToolGroup(groupId(viewportId))!;
    for (const name of registered.keys()) group.addTool(name);
  }
  group.addViewport(viewportId, renderingEngineId);
  group.setToolActive(PAN, { bindings: [{ mouseButton: MouseBindings.Auxiliary }] });
  group.setToolActive(ZOOM, { bindings: ZOOM_BINDINGS });
  primaryToolOf.set(viewportId, '');
  setPrimaryTool(viewportId, WINDOW_LEVEL);
  return group;
}

export function detachToolGroup(viewportId: string): void {
  primaryToolOf.delete(viewportId);
  ToolGroupManager.destroyToolGroup(groupId(viewportId));
}

/** Puts a tool on the primary button; the previous one becomes passive (its marks stay editable). */
export function setPrimaryTool(viewportId: string, toolName: string): void {
  const group = toolGroupOf(viewportId);
  if (!group) return;
  const previous = primaryToolOf.get(viewportId);
  if (previous === toolName) return;
  if (previous) {
    // Pan and zoom keep their own buttons; annotation and W/L tools go passive.
    if (previous === PAN) group.setToolActive(PAN, { bindings: [{ mouseButton: MouseBindings.Auxiliary }] });
    else if (previous === ZOOM) group.setToolActive(ZOOM, { bindings: ZOOM_BINDINGS });
    else group.setToolPassive(previous);
  }
  const extra = toolName === PAN ? [{ mouseButton: MouseBindings.Auxiliary }] : toolName === ZOOM ? ZOOM_BINDINGS : [];
  group.setToolActive(toolName, { bindings: [{ mouseButton: MouseBindings.Primary }, ...extra] });
  primaryToolOf.set(viewportId, toolName);
}
