/**
 * Mirrors the annotation document into Cornerstone's annotation state for the frame each viewport
 * shows: on every frame change (STACK_NEW_IMAGE, before that frame is drawn) and on every document
 * change (syncRun), our annotations on the viewport are replaced by the tracks as shown on the
 * current frame, then the SVG layer is redrawn. Nothing here enters history.
 */
import { Enums, eventTarget, type StackViewport } from '@cornerstonejs/core';
import { Enums as ToolEnums, annotation as csAnnotation, utilities as toolUtilities, type Types as ToolTypes } from '@cornerstonejs/tools';
import { allStackViewports, stackViewport } from '../../viewer/engine';
import { imageToWorld, noteFrameDrawn, viewportFrame, type ViewportFrame } from './coords';
import { annotationEditor } from './editor';
import { handlePointsOf } from '../marks/handles';
import { defaultCaptionPosition } from '../marks/describe';
import { shownUid, type ShownData } from './shown';
import { projectFrame, type ShownTrack } from './projection';
import { ANNOTATION_TOOL_NAME } from './registration';
import { reportPressesAtOnce } from './press';
import { expectRedraw, redrawn } from './renderMarks';

/** Our annotations per viewport, by UID, so a sync only touches what it made. */
const ours = new Map<string, Map<string, ToolTypes.Annotation>>();
const watched = new WeakSet<HTMLDivElement>();

function handleWorldPoints(frame: ViewportFrame, shown: ShownTrack): ToolTypes.Annotation['data']['handles'] {
  return { points: handlePointsOf(shown.kind, shown.geometry).map((p) => imageToWorld(frame.imageId, p)), activeHandleIndex: null };
}

/** Replaces our annotations on one viewport with the document as shown on its current frame. */
export function syncViewport(viewport: StackViewport): void {
  watchElement(viewport.element, viewport.id);
  const frame = viewportFrame(viewport);
  const editor = annotationEditor();
  const doc = frame && editor?.documentOf(frame.runKey);
  const previous = ours.get(viewport.id) ?? new Map<string, ToolTypes.Annotation>();
  const next = new Map<string, ToolTypes.Annotation>();
  if (frame && doc) {
    const reference = viewport.getViewReference();
    const selected = editor?.selectedTrackId(frame.runKey) ?? null;
    for (const shown of projectFrame(doc, frame.frame)) {
      const uid = shownUid(viewport.id, shown.trackId);
      const toolName = ANNOTATION_TOOL_NAME[shown.kind];
      const defaultPosition = defaultCaptionPosition(viewport.getImageData()?.dimensions?.[1] ?? 512, shown.indexOfKind);
      const fluorolens: ShownData = {
        trackId: shown.trackId,
        kind: shown.kind,
        viewportId: viewport.id,
        runKey: frame.runKey,
        frame: frame.frame,
        geometry: shown.geometry,
        source: shown.source,
        color: shown.color,
        label: shown.label,
        text: shown.text,
        selected: shown.trackId === selected,
        defaultPosition,
      };
      const kept = previous.get(uid);
      const sameGroup = kept?.metadata?.toolName === toolName && kept.metadata.FrameOfReferenceUID === reference.FrameOfReferenceUID;
      const annotation: ToolTypes.Annotation = sameGroup
        ? kept
        : {
            annotationUID: uid,
            highlighted: false,
            invalidated: true,
            isLocked: false,
            isVisible: true,
            metadata: { ...reference, toolName },
            data: {},
          };
      if (kept && !sameGroup) csAnnotation.state.removeAnnotation(uid);
      annotation.metadata = { ...annotation.metadata, ...reference, toolName };
      annotation.data = { handles: handleWorldPoints(frame, shown), fluorolens };
      annotation.invalidated = true;
      if (!sameGroup) csAnnotation.state.addAnnotation(annotation, viewport.element);
      next.set(uid, annotation);
    }
  }
  for (const uid of previous.keys()) if (!next.has(uid)) csAnnotation.state.removeAnnotation(uid);
  ours.set(viewport.id, next);
  toolUtilities.triggerAnnotationRenderForViewportIds([viewport.id]);
}

/** Re-projects every viewport showing `runKey` (after its document changed). */
export function syncRun(runKey: string): void {
  for (const viewport of allStackViewports()) {
    if (viewportFrame(viewport)?.runKey !== runKey) continue;
    expectRedraw(viewport.id);
    syncViewport(viewport);
  }
}

export function syncAllViewports(): void {
  for (const viewport of allStackViewports()) syncViewport(viewport);
}

/**
 * Follows a viewport's frame changes and what it draws, marks the redraw that follows a document
 * change, and reports presses with our tools without Cornerstone's double-click wait (press.ts).
 */
function watchElement(element: HTMLDivElement, viewportId: string): void {
  if (watched.has(element)) return;
  watched.add(element);
  element.addEventListener(Enums.Events.STACK_NEW_IMAGE, () => {
    const viewport = stackViewport(viewportId);
    if (viewport?.element === element) syncViewport(viewport);
  });
  element.addEventListener(Enums.Events.IMAGE_RENDERED, () => {
    const viewport = stackViewport(viewportId);
    if (viewport?.element === element) noteFrameDrawn(viewport);
  });
  element.addEventListener(ToolEnums.Events.ANNOTATION_RENDERED, () => redrawn(viewportId));
  reportPressesAtOnce(element);
}

type ElementEvent = CustomEvent<{ element: HTMLDivElement; viewportId: string }>;

/** Watches every viewport from the moment Cornerstone enables it (panes opened later included). Once, at start. */
export function startMirroring(): void {
  eventTarget.addEventListener(Enums.Events.ELEMENT_ENABLED, ((evt: ElementEvent) =>
    watchElement(evt.detail.element, evt.detail.viewportId)) as EventListener);
  eventTarget.addEventListener(Enums.Events.ELEMENT_DISABLED, ((evt: ElementEvent) =>
    forgetViewport(evt.detail.viewportId)) as EventListener);
  for (const viewport of allStackViewports()) watchElement(viewport.element, viewport.id);
}

/** Drops our annotations of a viewport that is going away. */
function forgetViewport(viewportId: string): void {
  for (const uid of ours.get(viewportId)?.keys() ?? []) csAnnotation.state.removeAnnotation(uid);
  ours.delete(viewportId);
}

/** What the adapter mirrored into a viewport: its frame and the tracks shown there (for tests). */
export function shownInViewport(
  viewportId: string,
): { frame: number; tracks: Array<{ trackId: string; kind: string; source: string }> } | null {
  const viewport = allStackViewports().find((v) => v.id === viewportId);
  const frame = viewport && viewportFrame(viewport);
  if (!frame) return null;
  const tracks = [...(ours.get(viewportId)?.values() ?? [])].flatMap((a) => {
    const data = a.data.fluorolens as ShownData | undefined;
    return data && data.frame === frame.frame ? [{ trackId: data.trackId, kind: data.kind, source: data.source }] : [];
  });
  return { frame: frame.frame, tracks };
}
