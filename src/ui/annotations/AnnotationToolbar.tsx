import { TRACK_KINDS, TRACK_KIND_NAMES } from '../../annotations/model';
import { ANNOTATION_TOOL_NAME } from '../../annotations/tools';
import { ToolButton } from '../review/ToolButton';
import { UndoRedo } from './UndoRedo';
import { WorkFile } from './WorkFile';
import { VideoExportButton } from '../export/VideoExport';

const TOOL_HINTS: Record<(typeof TRACK_KINDS)[number], string> = {
  needleTip: 'Click to place the needle tip on this frame; drag from hub to tip to draw the shaft too',
  target: 'Click to place the target; drag outwards to set its radius; drag its ring later to resize',
  contrastSpread: 'Drag around the contrast to outline it; drag a vertex to adjust',
  arrow: 'Drag from where the text goes to what the arrow points at',
  caption: 'Click where the caption goes; set its text and frames in the form on the timeline',
};

/** The annotation tool buttons, for the review toolbar's slot beside Window/level, Pan and Zoom. */
export function AnnotationToolButtons() {
  return (
    <>
      {TRACK_KINDS.map((kind) => (
        <ToolButton key={kind} toolName={ANNOTATION_TOOL_NAME[kind]} icon={kind} label={TRACK_KIND_NAMES[kind]} title={TOOL_HINTS[kind]} />
      ))}
    </>
  );
}

/** Undo/Redo, export/import and autosave status and video export, for the active pane's run. */
export function AnnotationFileTools({ paneId }: { paneId: string }) {
  return (
    <div className="tool-group-set" role="group" aria-label="Annotations">
      <UndoRedo paneId={paneId} />
      <div className="tool-group" role="group" aria-label="Export">
        <WorkFile paneId={paneId} />
        <VideoExportButton paneId={paneId} />
      </div>
    </div>
  );
}
