/**
 * Base of our annotation tools. Cornerstone's annotation state only mirrors the document for
 * the frame on screen (adapter.ts); these tools never edit it. A press starts a gesture that
 * opens one undo step, every drag move stores the resulting geometry as a keyframe on the frame
 * being edited (so editing an interpolated frame makes it a keyframe), and the release closes the
 * step. The adapter redraws from the changed document.
 */
import { getEnabledElement, type StackViewport, type Types } from '@cornerstonejs/core';
import {
  AnnotationTool,
  Enums as ToolEnums,
  annotation as csAnnotation,
  state as toolsState,
  utilities as toolUtilities,
  type Types as ToolTypes,
} from '@cornerstonejs/tools';
import {
  AnnotationCommandError,
  addTrack,
  commandLabel,
  createTrack,
  findTrack,
  polygonArea,
  setKeyframe,
  type AnnotationDocument,
  type Geometry,
  type Point,
  type Track,
  type TrackKind,
} from '../model';
import { frameOnScreen, imageToCanvas, viewportFrame, worldToImage, type ViewportFrame } from './coords';
import { annotationEditor } from './editor';
import { translateGeometry } from './geometryEdit';
import { handlePointsOf } from '../marks/handles';
import { expectRedraw } from './renderMarks';
import { drawStyle, shownData, type DrawStyle, type ShownData } from './shown';
import { describeTrack, type MarkView } from '../marks/describe';
import { contourAreaLabel } from '../../format/measurements';
import { drawMarksSvg, type TextBox } from './svgMarks';
import { toolGroupOf } from '../../viewer/toolGroup';

const { Events } = ToolEnums;
type InteractionEvent = ToolTypes.EventTypes.InteractionEventType;
type Annotation = ToolTypes.Annotation;
type SvgHelper = ToolTypes.SVGDrawingHelper;

/** The cancel of each gesture in progress (one at most in practice), for cancelGesturesInProgress. */
const gestureCancels = new Set<() => void>();

/** Whether one of our annotation tools is on the pane's primary button. */
export function annotationToolOnPrimary(viewportId: string): boolean {
  const group = toolGroupOf(viewportId);
  const primary = group?.getActivePrimaryMouseButtonTool();
  return !!primary && group!.getToolInstance(primary) instanceof ModelTool;
}

/** Cancels any annotation drag in progress, as Escape does (a second finger makes a touch a pinch). */
export function cancelGesturesInProgress(): void {
  for (const cancel of [...gestureCancels]) cancel();
}

/** A drag in progress: what the pointer does to the geometry of one track on one frame. */
interface Gesture {
  readonly frame: ViewportFrame;
  readonly trackId: string;
  readonly start: Point;
  moved: boolean;
  /** The geometry to store for the pointer at `current`, or null to store nothing (yet). */
  update(current: Point): Geometry | null;
  /** At release: false undoes the whole gesture (e.g. a contour too small to keep). */
  finish?(moved: boolean): boolean;
  /**
   * A track the gesture creates. It is drawn by the tool as a draft and enters the document only
   * at release, in one step with its first keyframe, so panels that grow with the track list do
   * not move the image under the pointer mid-drag.
   */
  readonly newTrack?: Track;
  draft?: Geometry;
  /** Escape was pressed: the drag is ignored until release. */
  cancelled?: boolean;
}

export interface GestureSpec {
  update(current: Point): Geometry | null;
  finish?(moved: boolean): boolean;
  /** Stored at the press itself (a click places a point). */
  initial?: Geometry;
}

function frameOfElement(element: HTMLDivElement): ViewportFrame | null {
  const viewport = getEnabledElement(element)?.viewport as StackViewport | undefined;
  return viewport ? frameOnScreen(viewport) : null;
}

export abstract class ModelTool extends AnnotationTool {
  abstract readonly kind: TrackKind;
  private gesture: Gesture | null = null;

  constructor(toolProps: ToolTypes.PublicToolProps = {}) {
    super(toolProps, { supportedInteractionTypes: ['Mouse'], configuration: {} });
  }

  /** The gesture a press makes on empty image with this tool active (creating or re-placing). */
  protected abstract creationGesture(frame: ViewportFrame, start: Point, shown: ShownData | null): GestureSpec;
  /** Geometry after handle `index` moved by (dx, dy). */
  protected abstract moveHandle(geometry: Geometry, index: number, dx: number, dy: number): Geometry;
  protected abstract isNearBody(frame: ViewportFrame, data: ShownData, canvas: Types.Point2, proximity: number): boolean;

  /** A press on the body (not a handle): moves the whole thing unless a tool says otherwise. */
  protected bodyGesture(_frame: ViewportFrame, data: ShownData, start: Point): GestureSpec {
    return { update: (p) => translateGeometry(data.geometry, p.x - start.x, p.y - start.y) };
  }

  /** A new, empty track for this tool; arrow and caption tools give text and range. */
  protected newTrack(doc: AnnotationDocument, _frame: ViewportFrame): Track {
    return createTrack(doc, this.kind);
  }

  addNewAnnotation = (evt: InteractionEvent): Annotation | null => {
    const { element, currentPoints } = evt.detail;
    const frame = frameOfElement(element);
    const editor = annotationEditor();
    const doc = frame && editor?.documentOf(frame.runKey);
    if (!frame || !editor || !doc) return null;
    const start = worldToImage(frame.imageId, currentPoints.world);
    const selected = editor.selectedTrackId(frame.runKey);
    const chosen = selected ? findTrack(doc, selected) : undefined;
    const existing = chosen?.kind === this.kind ? chosen : doc.tracks.find((t) => t.kind === this.kind);
    const newTrack = existing ? undefined : this.newTrack(doc, frame);
    const trackId = existing?.id ?? (newTrack as Track).id;
    if (existing) {
      editor.beginGesture(frame.runKey, commandLabel(doc, setKeyframe(existing.id, frame.frame, {} as Geometry)));
      editor.selectTrack(frame.runKey, trackId);
    }
    const shown = existing ? this.shownOnFrame(element, trackId) : null;
    const spec = this.creationGesture(frame, start, shown);
    this.startGesture(element, { frame, trackId, start, moved: false, newTrack, ...spec });
    if (spec.initial) this.store(spec.initial);
    evt.preventDefault();
    return null;
  };

  handleSelectedCallback(evt: InteractionEvent, annotation: Annotation, _handle: ToolTypes.ToolHandle): void {
    const data = shownData(annotation);
    const index = annotation.data.handles?.activeHandleIndex ?? 0;
    if (!data) return;
    this.editShown(evt, data, true, (start) => ({
      update: (p) => this.moveHandle(data.geometry, index, p.x - start.x, p.y - start.y),
    }));
  }

  toolSelectedCallback(evt: InteractionEvent, annotation: Annotation): void {
    const data = shownData(annotation);
    if (!data) return;
    this.editShown(evt, data, false, (start, frame) => this.bodyGesture(frame, data, start));
  }

  /**
   * Whether a click (no drag) on a shown track, with this tool on the primary button, places it
   * as a click on empty image would: a click on an interpolated tip then makes a keyframe exactly
   * where the user clicked, not where the handle happened to be.
   */
  protected clickPlaces(onHandle: boolean): boolean {
    return onHandle;
  }

  private editShown(
    evt: InteractionEvent,
    data: ShownData,
    onHandle: boolean,
    makeSpec: (start: Point, frame: ViewportFrame) => GestureSpec,
  ): void {
    const { element, currentPoints } = evt.detail;
    const frame = frameOfElement(element);
    const editor = annotationEditor();
    const doc = frame && editor?.documentOf(frame.runKey);
    if (!frame || !editor || !doc || !findTrack(doc, data.trackId)) return;
    const start = worldToImage(frame.imageId, currentPoints.world);
    editor.beginGesture(frame.runKey, commandLabel(doc, setKeyframe(data.trackId, frame.frame, data.geometry)));
    editor.selectTrack(frame.runKey, data.trackId);
    const spec = makeSpec(start, frame);
    const placeOnClick = this.mode === ToolEnums.ToolModes.Active && data.kind === this.kind && this.clickPlaces(onHandle);
    const finish = (moved: boolean): boolean => {
      const placed = !moved && placeOnClick ? this.creationGesture(frame, start, data).initial : undefined;
      if (placed) this.store(placed);
      return spec.finish?.(moved) ?? true;
    };
    this.startGesture(element, { frame, trackId: data.trackId, start, moved: false, update: spec.update, finish });
    evt.preventDefault();
  }

  private shownOnFrame(element: HTMLDivElement, trackId: string): ShownData | null {
    const annotations = csAnnotation.state.getAnnotations(this.getToolName(), element) ?? [];
    const viewportId = getEnabledElement(element)?.viewport.id;
    for (const a of annotations) {
      const data = shownData(a);
      if (data?.trackId === trackId && data.viewportId === viewportId) return data;
    }
    return null;
  }

  private startGesture(element: HTMLDivElement, gesture: Gesture): void {
    this.gesture = gesture;
    this.isDrawing = true;
    toolsState.isInteractingWithTool = true;
    element.addEventListener(Events.MOUSE_UP, this.endGesture as EventListener);
    element.addEventListener(Events.MOUSE_CLICK, this.endGesture as EventListener);
    element.addEventListener(Events.MOUSE_DRAG, this.dragGesture as EventListener);
    window.addEventListener('keydown', this.cancelOnEscape, true);
    gestureCancels.add(this.cancelGesture);
  }

  /**
   * Escape mid-drag puts everything back as it was before the press; the rest of the drag is
   * swallowed until release, so it does not turn into window/level or a pan.
   */
  private cancelOnEscape = (event: KeyboardEvent): void => {
    if (event.key !== 'Escape' || !this.gesture || this.gesture.cancelled) return;
    event.preventDefault();
    event.stopPropagation();
    this.cancelGesture();
  };

  /** Puts everything back as it was before the press (Escape, or a second finger turning the touch into a pinch). */
  private cancelGesture = (): void => {
    const gesture = this.gesture;
    if (!gesture || gesture.cancelled) return;
    gesture.cancelled = true;
    if (gesture.newTrack) toolUtilities.triggerAnnotationRenderForViewportIds([gesture.frame.viewport.id]);
    else annotationEditor()?.cancelGesture(gesture.frame.runKey);
  };

  private stopListening(element: HTMLDivElement): void {
    this.isDrawing = false;
    toolsState.isInteractingWithTool = false;
    element.removeEventListener(Events.MOUSE_UP, this.endGesture as EventListener);
    element.removeEventListener(Events.MOUSE_CLICK, this.endGesture as EventListener);
    element.removeEventListener(Events.MOUSE_DRAG, this.dragGesture as EventListener);
    window.removeEventListener('keydown', this.cancelOnEscape, true);
    gestureCancels.delete(this.cancelGesture);
  }

  private store(geometry: Geometry): void {
    const gesture = this.gesture;
    const editor = annotationEditor();
    if (!gesture || !editor) return;
    if (gesture.newTrack) {
      gesture.draft = geometry;
      expectRedraw(gesture.frame.viewport.id);
      toolUtilities.triggerAnnotationRenderForViewportIds([gesture.frame.viewport.id]);
      return;
    }
    try {
      editor.apply(gesture.frame.runKey, setKeyframe(gesture.trackId, gesture.frame.frame, geometry));
    } catch (error) {
      // Mid-drag shapes can be invalid for a moment (a contour of two points): keep the last good one.
      if (!(error instanceof AnnotationCommandError)) throw error;
    }
  }

  private dragGesture = (evt: InteractionEvent): void => {
    const gesture = this.gesture;
    if (!gesture || gesture.cancelled) return;
    performance.mark('fluorolens:handle-move', { detail: { run: gesture.frame.runKey, track: gesture.trackId } });
    const current = worldToImage(gesture.frame.imageId, evt.detail.currentPoints.world);
    gesture.moved = true;
    const geometry = gesture.update(current);
    if (geometry) this.store(geometry);
    evt.preventDefault();
  };

  private endGesture = (evt: InteractionEvent): void => {
    const gesture = this.gesture?.cancelled ? null : this.gesture;
    this.stopListening(evt.detail.element);
    const editor = annotationEditor();
    // finish() may still store geometry, so the gesture stays current until it has run.
    const keep = gesture?.finish?.(gesture.moved) ?? true;
    this.gesture = null;
    if (!gesture || !editor) return;
    if (gesture.newTrack) this.addDrafted(gesture, keep);
    else if (keep) editor.endGesture(gesture.frame.runKey);
    else editor.cancelGesture(gesture.frame.runKey);
  };

  /** The drafted track enters the document with its first keyframe: one step, "Add needle tip". */
  private addDrafted(gesture: Gesture, keep: boolean): void {
    const editor = annotationEditor();
    const track = gesture.newTrack;
    toolUtilities.triggerAnnotationRenderForViewportIds([gesture.frame.viewport.id]);
    if (!editor || !track || !keep || !gesture.draft) return;
    try {
      editor.apply(
        gesture.frame.runKey,
        addTrack({ ...track, keyframes: [{ frame: gesture.frame.frame, geometry: gesture.draft }] } as Track),
      );
      editor.selectTrack(gesture.frame.runKey, track.id);
    } catch (error) {
      if (!(error instanceof AnnotationCommandError)) throw error;
    }
  }

  cancel = (element: HTMLDivElement): void => {
    const gesture = this.gesture;
    if (!gesture) return;
    this.stopListening(element);
    this.gesture = null;
    if (gesture.cancelled) return;
    if (gesture.newTrack) toolUtilities.triggerAnnotationRenderForViewportIds([gesture.frame.viewport.id]);
    else annotationEditor()?.cancelGesture(gesture.frame.runKey);
  };

  /** The annotations the adapter made for this viewport (two panes may show one run): the ones drawn there. */
  private shownInViewport(element: HTMLDivElement, annotations: ToolTypes.Annotations): ToolTypes.Annotations {
    const viewportId = getEnabledElement(element)?.viewport.id;
    return super.filterInteractableAnnotationsForElement(element, annotations).filter((a) => shownData(a)?.viewportId === viewportId);
  }

  /**
   * The marks a press or a hover may take: this viewport's, unless another annotation tool is on
   * the primary button. Then that tool's press is its own: a target placed 15 px from the tip (where
   * targets are) must not grab the tip's crosshair instead. Other marks stay editable with their
   * own tool or with Window/level, Pan and Zoom.
   */
  override filterInteractableAnnotationsForElement(element: HTMLDivElement, annotations: ToolTypes.Annotations): ToolTypes.Annotations {
    return this.yieldsToAnotherAnnotationTool(element) ? [] : this.shownInViewport(element, annotations);
  }

  private yieldsToAnotherAnnotationTool(element: HTMLDivElement): boolean {
    if (this.mode === ToolEnums.ToolModes.Active) return false;
    const viewportId = getEnabledElement(element)?.viewport.id;
    return !!viewportId && annotationToolOnPrimary(viewportId);
  }

  isPointNearTool(element: HTMLDivElement, annotation: Annotation, canvasCoords: Types.Point2, proximity: number): boolean {
    const frame = frameOfElement(element);
    const data = shownData(annotation);
    return !!frame && !!data && this.isNearBody(frame, data, canvasCoords, proximity);
  }

  renderAnnotation = (enabledElement: Types.IEnabledElement, svg: SvgHelper): boolean => {
    const viewport = enabledElement.viewport as StackViewport;
    const frame = viewportFrame(viewport);
    if (!frame) return false;
    const all = csAnnotation.state.getAnnotations(this.getToolName(), viewport.element) ?? [];
    const annotations = this.shownInViewport(viewport.element, all);
    let drawn = this.drawDraft(svg, frame);
    for (const annotation of annotations) {
      const data = shownData(annotation);
      if (!data || !annotation.annotationUID) continue;
      this.drawShown(svg, annotation.annotationUID, frame, data, drawStyle(data, !!annotation.highlighted));
      drawn = true;
    }
    return drawn;
  };

  /** The track being created, drawn as a keyframe of its own colour until it is in the document. */
  private drawDraft(svg: SvgHelper, frame: ViewportFrame): boolean {
    const gesture = this.gesture;
    if (!gesture?.newTrack || !gesture.draft || gesture.cancelled || gesture.frame.viewport.id !== frame.viewport.id) return false;
    const track = gesture.newTrack;
    const data: ShownData = {
      trackId: track.id,
      kind: track.kind,
      viewportId: frame.viewport.id,
      runKey: frame.runKey,
      frame: frame.frame,
      geometry: gesture.draft,
      source: 'keyframe',
      color: track.color,
      label: track.label,
      text: 'text' in track ? track.text : '',
      selected: true,
    };
    this.drawShown(svg, `fluorolens-draft:${frame.viewport.id}`, frame, data, drawStyle(data, false));
    return true;
  }

  /** The pane as a place to draw marks: image → canvas, its width, and the run's calibration. */
  protected markView(frame: ViewportFrame, data: ShownData): MarkView {
    return {
      project: (p) => imageToCanvas(frame, p),
      width: frame.viewport.canvas.clientWidth,
      areaLabel: (contour) => contourAreaLabel(polygonArea(contour), annotationEditor()?.spacingOf(data.runKey) ?? null),
    };
  }

  /** Draws the track's marks (marks/describe.ts, the same the video export draws) as SVG. */
  protected drawShown(svg: SvgHelper, uid: string, frame: ViewportFrame, data: ShownData, style: DrawStyle): Map<string, TextBox> {
    return drawMarksSvg(svg, uid, describeTrack(data, style, this.markView(frame, data)), data);
  }

  /** Canvas positions of the handles (marks/handles.ts), for drawing and hit testing. */
  protected canvasHandles(frame: ViewportFrame, data: ShownData): Types.Point2[] {
    return handlePointsOf(data.kind, data.geometry).map((p) => imageToCanvas(frame, p));
  }
}
