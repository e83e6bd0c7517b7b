import { setActiveTool } from '../../state/session';
import { useSession } from '../hooks/useStore';

/**
 * A button that puts a Cornerstone tool on the primary mouse button of every pane; pressed while
 * it is the active tool. Annotation tools (Needle tip, Target, Contrast spread) reuse it.
 */
export function ToolButton({ toolName, label, title }: { toolName: string; label: string; title?: string }) {
  const active = useSession((s) => s.activeTool === toolName);
  return (
    <button type="button" className="tool-button" aria-pressed={active} title={title} onClick={() => setActiveTool(toolName)}>
      {label}
    </button>
  );
}
