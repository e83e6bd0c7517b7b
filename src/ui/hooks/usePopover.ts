import { useEffect, useEffectEvent, useRef, type RefObject } from 'react';

/**
 * Closes a popover as popovers close: on Escape (focus goes back to its opener, the first summary
 * or button inside `root`, when it was inside) and on a press anywhere outside `root`. The
 * listeners stay on and ask `isOpen` at the time of the event, so a press right after opening
 * (before React has re-rendered) still closes it.
 */
export function useDismiss(root: RefObject<HTMLElement | null>, isOpen: () => boolean, close: () => void): void {
  const onKeyDown = useEffectEvent((event: KeyboardEvent) => {
    if (event.key !== 'Escape' || !isOpen()) return;
    const focusWasInside = !!root.current?.contains(document.activeElement);
    close();
    if (focusWasInside) root.current?.querySelector<HTMLElement>('summary, button')?.focus();
  });
  // Capture, so a press its target keeps to itself (the viewport's tools) still closes it.
  const onPointerDown = useEffectEvent((event: PointerEvent) => {
    if (isOpen() && !root.current?.contains(event.target as Node)) close();
  });
  useEffect(() => {
    window.addEventListener('keydown', onKeyDown);
    window.addEventListener('pointerdown', onPointerDown, true);
    return () => {
      window.removeEventListener('keydown', onKeyDown);
      window.removeEventListener('pointerdown', onPointerDown, true);
    };
  }, []);
}

/**
 * A <details> used as a popover (the Keys help, the timeline's "?"): put the ref on it. Left to
 * itself it stayed open over the picture and the right-hand panel until its summary was clicked
 * again. Its open state stays the element's own.
 */
export function useDetailsPopover(): RefObject<HTMLDetailsElement | null> {
  const ref = useRef<HTMLDetailsElement>(null);
  useDismiss(
    ref,
    () => !!ref.current?.open,
    () => {
      if (ref.current) ref.current.open = false;
    },
  );
  return ref;
}
