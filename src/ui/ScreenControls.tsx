import { layout, setPresentation } from '../state/layout';
import { session } from '../state/session';
import { useStore } from './hooks/useStore';
import { Icon } from './icons';

/** The element of a pane (ViewerPane marks it with data-pane). */
function paneElement(paneId: string): HTMLElement | null {
  return document.querySelector<HTMLElement>(`.viewer-pane[data-pane="${CSS.escape(paneId)}"]`);
}

/** Full screen for the active pane (the browser's Fullscreen API), or back from it. */
export function toggleFullScreen(paneId = session.getState().activePaneId): void {
  if (document.fullscreenElement) {
    void document.exitFullscreen().catch(() => undefined);
    return;
  }
  // Refused (no user gesture, or a browser without it): the layout stays as it was.
  void paneElement(paneId)
    ?.requestFullscreen()
    .catch(() => undefined);
}

export function togglePresentation(): void {
  setPresentation(!layout.getState().presentation);
}

export function FullScreenButton() {
  return (
    <button
      type="button"
      className="icon-button"
      aria-label="Full screen"
      aria-keyshortcuts="F"
      title="Full screen: the active pane fills the screen (F; Escape leaves)"
      onClick={() => toggleFullScreen()}
    >
      <Icon name="fullScreen" />
    </button>
  );
}

/**
 * Presentation mode, for teaching: only the picture, a slim play bar and the annotations, with
 * large overlay text and no patient or study text. The same button leaves it.
 */
export function PresentationButton() {
  const on = useStore(layout, (s) => s.presentation);
  return (
    <button
      type="button"
      className="icon-button presentation-button"
      aria-label="Presentation"
      aria-pressed={on}
      aria-keyshortcuts="P"
      title={on ? 'Presentation: leave (P)' : 'Presentation: only the picture, large text, no patient text (P)'}
      onClick={togglePresentation}
    >
      <Icon name="presentation" />
    </button>
  );
}
