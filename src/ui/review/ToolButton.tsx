import { setActiveTool } from '../../state/session';
import { useSession } from '../hooks/useStore';
import { Icon, type IconName } from '../icons';

/**
 * A button that puts a Cornerstone tool on the primary mouse button (and a single finger or pen)
 * of every pane; pressed while it is the active tool. Annotation tools (Needle tip, Target,
 * Contrast spread) reuse it. It shows an icon; its name is the accessible name and heads the tooltip.
 */
export function ToolButton({ toolName, label, title, icon }: { toolName: string; label: string; title?: string; icon: IconName }) {
  const active = useSession((s) => s.activeTool === toolName);
  return (
    <button
      type="button"
      className="tool-button icon-button"
      aria-pressed={active}
      aria-label={label}
      title={title ? `${label}: ${title}` : label}
      onClick={() => setActiveTool(toolName)}
    >
      <Icon name={icon} />
    </button>
  );
}

/** A toolbar button showing an icon, named by `label` (its accessible name and tooltip). */
export function IconButton(props: {
  label: string;
  icon: IconName;
  title?: string;
  pressed?: boolean;
  disabled?: boolean;
  keys?: string;
  onClick(): void;
}) {
  return (
    <button
      type="button"
      className="icon-button"
      aria-label={props.label}
      aria-pressed={props.pressed}
      aria-keyshortcuts={props.keys}
      disabled={props.disabled}
      title={props.title ?? props.label}
      onClick={props.onClick}
    >
      <Icon name={props.icon} />
    </button>
  );
}
