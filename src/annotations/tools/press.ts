/**
 * Presses with one of our annotation tools on the primary button, reported to Cornerstone at
 * once. Cornerstone's mouse listener holds a primary-button press for 400 ms
 * (DOUBLE_CLICK_TOLERANCE_MS in @cornerstonejs/tools eventListeners/mouse/mouseDownListener) to
 * tell it from a double click: a click with the tip tool showed ~450 ms late, and since the frame
 * was read when the press was finally reported, a click followed by → or made during playback
 * landed on a later frame. None of our tools has a double-click action, so while one of them is on
 * the primary button this listener takes the press: the pointerdown is cancelled (the browser then
 * sends Cornerstone no mousedown, mousemove or mouseup for it) and Cornerstone's own MOUSE_DOWN /
 * MOUSE_DOWN_ACTIVATE, MOUSE_DRAG and MOUSE_UP / MOUSE_CLICK events are dispatched here as the
 * pointer moves, so hit testing and the tools' callbacks stay Cornerstone's. `dblclick` is left
 * alone (Cornerstone still reports double clicks); other tools keep Cornerstone's own listener.
 */
import { getEnabledElement, triggerEvent, type Types } from '@cornerstonejs/core';
import { Enums as ToolEnums, type Types as ToolTypes } from '@cornerstonejs/tools';
import { annotationToolOnPrimary, cancelGesturesInProgress } from './ModelTool';

const { Events } = ToolEnums;
/** As Cornerstone: a release within this time of the press is a click, later it is a mouse up. */
const CLICK_DELAY_MS = 200;
const PRIMARY_BUTTON = 1;

type Points = ToolTypes.IPoints;

function pointsOf(element: HTMLDivElement, event: PointerEvent): Points | null {
  const viewport = getEnabledElement(element)?.viewport;
  if (!viewport) return null;
  const rect = element.getBoundingClientRect();
  const canvas: Types.Point2 = [event.clientX - rect.left, event.clientY - rect.top];
  try {
    return {
      page: [event.pageX, event.pageY],
      client: [event.clientX, event.clientY],
      canvas,
      world: viewport.canvasToWorld(canvas),
    };
  } catch {
    // No image mounted yet: nothing to press on.
    return null;
  }
}

function delta(current: Points, last: Points): Points {
  const d2 = (a: Types.Point2, b: Types.Point2): Types.Point2 => [a[0] - b[0], a[1] - b[1]];
  const w = current.world;
  const lw = last.world;
  return {
    page: d2(current.page, last.page),
    client: d2(current.client, last.client),
    canvas: d2(current.canvas, last.canvas),
    world: [w[0] - lw[0], w[1] - lw[1], w[2] - lw[2]],
  };
}

/** The pane's viewport id when one of our annotation tools is on its primary button. */
function ourToolViewport(element: HTMLDivElement): string | null {
  const viewportId = getEnabledElement(element)?.viewport.id;
  return viewportId && annotationToolOnPrimary(viewportId) ? viewportId : null;
}

/**
 * Whether this press is ours to report: the primary button of a mouse or pen, or the first finger
 * on the glass, with an annotation tool on the primary button of the pane.
 */
function takesPress(element: HTMLDivElement, event: PointerEvent): string | null {
  if (event.button !== 0 || event.buttons !== PRIMARY_BUTTON || !event.isPrimary) return null;
  return ourToolViewport(element);
}

/** Fingers on this element now (pointer ids), to tell a one-finger press from a pinch. */
const fingersDown = new Map<HTMLDivElement, Set<number>>();

function onPointerDown(event: PointerEvent): void {
  const element = event.currentTarget as HTMLDivElement;
  if (event.pointerType === 'touch') {
    const fingers = fingersDown.get(element) ?? new Set<number>();
    fingersDown.set(element, fingers.add(event.pointerId));
    // A second finger makes it a pinch (Cornerstone's zoom and pan): the first finger's mark is cancelled.
    if (fingers.size > 1) {
      cancelGesturesInProgress();
      return;
    }
  }
  const viewportId = takesPress(element, event);
  const enabled = viewportId ? getEnabledElement(element) : undefined;
  const start = enabled ? pointsOf(element, event) : null;
  if (!enabled || !start) return;
  event.preventDefault();
  element.setPointerCapture(event.pointerId);
  const pressedAt = performance.now();
  let last = start;
  const detail = (native: PointerEvent, eventName: string, current: Points) => ({
    event: native,
    eventName,
    element,
    mouseButton: PRIMARY_BUTTON,
    renderingEngineId: enabled.renderingEngineId,
    viewportId: enabled.viewportId,
    camera: {},
    startPoints: start,
    lastPoints: last,
    currentPoints: current,
    deltaPoints: delta(current, last),
  });

  const move = (native: PointerEvent) => {
    if (native.pointerId !== event.pointerId) return;
    const current = pointsOf(element, native);
    if (!current) return;
    const consumed = !triggerEvent(element, Events.MOUSE_DRAG, detail(native, Events.MOUSE_DRAG, current));
    if (consumed) native.preventDefault();
    last = current;
  };
  const release = (native: PointerEvent) => {
    if (native.pointerId !== event.pointerId) return;
    element.removeEventListener('pointermove', move);
    element.removeEventListener('pointerup', release);
    element.removeEventListener('pointercancel', release);
    const current = pointsOf(element, native) ?? last;
    const eventName = native.type === 'pointerup' && performance.now() - pressedAt < CLICK_DELAY_MS ? Events.MOUSE_CLICK : Events.MOUSE_UP;
    triggerEvent(element, eventName, detail(native, eventName, current));
  };
  element.addEventListener('pointermove', move);
  element.addEventListener('pointerup', release);
  element.addEventListener('pointercancel', release);

  const pressed = detail(event, Events.MOUSE_DOWN, start);
  if (triggerEvent(element, Events.MOUSE_DOWN, pressed))
    triggerEvent(element, Events.MOUSE_DOWN_ACTIVATE, { ...pressed, eventName: Events.MOUSE_DOWN_ACTIVATE });
}

function onFingerLifted(event: PointerEvent): void {
  if (event.pointerType === 'touch') fingersDown.get(event.currentTarget as HTMLDivElement)?.delete(event.pointerId);
}

/**
 * One finger with an annotation tool is ours (as a mouse press, above): Cornerstone's own touch
 * listener must not see it too. Two fingers pass on to it, for the pinch.
 */
function onTouchStart(event: TouchEvent): void {
  const element = event.currentTarget as HTMLDivElement;
  if (event.touches.length === 1 && ourToolViewport(element)) event.stopPropagation();
}

const handled = new WeakSet<HTMLDivElement>();

/**
 * Lets our annotation tools see presses on this viewport element without Cornerstone's
 * double-click wait, from a mouse, a pen or a finger.
 */
export function reportPressesAtOnce(element: HTMLDivElement): void {
  if (handled.has(element)) return;
  handled.add(element);
  element.addEventListener('pointerdown', onPointerDown);
  element.addEventListener('pointerup', onFingerLifted);
  element.addEventListener('pointercancel', onFingerLifted);
  // Capture: before Cornerstone's touchstart listener on this same element (it listens when the event bubbles back).
  element.addEventListener('touchstart', onTouchStart, { capture: true });
}
