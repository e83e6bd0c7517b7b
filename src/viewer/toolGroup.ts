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
/** Tools passive in every pane from the moment it exists (annotation tools: they draw their marks whatever tool is on the button). */
const passiveEverywhere = new Set<string>();
const primaryToolOf = new Map<string, string>();

export const WINDOW_LEVEL = WindowLevelTool.toolName as string;
export const PAN = PanTool.toolName as string;
export const ZOOM = ZoomTool.toolName as string;

/**
 * Makes a tool available to every pane. `passive`: it is passive (draws its annotations, lets
 * their handles be dragged) in every pane from the pane's creation, not only once it has been on
 * the primary button. Set then, not when a run opens: each mode change makes Cornerstone redraw
 * the pane, and a redraw at opening put a frame on the GPU that frame 1's own draw had to wait for.
 */
export function registerInteractionTool(tool: ToolClass, { passive = false }: { passive?: boolean } = {}): void {
  if (registered.has(tool.toolName)) return;
  addTool(tool as never);
  registered.set(tool.toolName, tool);
  if (passive) passiveEverywhere.add(tool.toolName);
  // Panes created before this tool was registered get it too.
  for (const viewportId of primaryToolOf.keys()) {
    const group = toolGroupOf(viewportId);
    group?.addTool(tool.toolName);
    if (passive) group?.setToolPassive(tool.toolName);
  }
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
    for (const name of passiveEverywhere) group.setToolPassive(name);
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
