/**
 * The port through which the tools change annotations. The tools sit below the state layer and
 * may not import it, so the state layer plugs in an editor that turns gestures into commands on
 * the run's document (one drag = one undo step) and says which track is selected.
 */
import type { Spacing } from '../../dicom/types';
import type { AnnotationDocument, Command } from '../model';

export interface AnnotationEditor {
  documentOf(runKey: string): AnnotationDocument | undefined;
  /** The run's calibrated spacing (what mm figures rest on), null when uncalibrated. */
  spacingOf(runKey: string): Spacing | null;
  /** The track selected in this run (selection is kept per run). */
  selectedTrackId(runKey: string): string | null;
  selectTrack(runKey: string, trackId: string | null): void;
  /** Opens one undo step; every apply until endGesture joins it. */
  beginGesture(runKey: string, label: string): void;
  apply(runKey: string, command: Command): void;
  endGesture(runKey: string): void;
  /** Puts the document back as it was at beginGesture. */
  cancelGesture(runKey: string): void;
}

let connected: AnnotationEditor | null = null;

export function connectAnnotationEditor(editor: AnnotationEditor | null): void {
  connected = editor;
}

export function annotationEditor(): AnnotationEditor | null {
  return connected;
}
