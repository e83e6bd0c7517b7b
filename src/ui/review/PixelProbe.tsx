import { useEffect, useRef, useState } from 'react';
import type { RunInfo } from '../../dicom/types';
import { formatProbe, PROBE_IDLE, PROBE_OUTSIDE } from '../../format/display';
import { FRAME_RENDERED_EVENT, probePixel } from '../../viewer/review';
import { useViewportElement } from './useViewportDisplay';

/**
 * "x, y: M (stored S)" for the pixel under the mouse (format/display.ts formatProbe). Re-read when
 * the frame changes under a still cursor, so it stays true during playback.
 */
export function PixelProbe({ paneId, info }: { paneId: string; info: RunInfo | null }) {
  const element = useViewportElement(paneId);
  const [text, setText] = useState(PROBE_IDLE);
  const pointer = useRef<{ x: number; y: number } | null>(null);

  useEffect(() => {
    // A new run (or pane) starts blank: the last reading belonged to other pixels.
    setText(PROBE_IDLE);
    pointer.current = null;
    if (!element || !info) return;
    const read = () => {
      if (!pointer.current) return;
      const reading = probePixel(paneId, info, pointer.current.x, pointer.current.y);
      if (reading === null) return;
      setText(reading === 'outside' ? PROBE_OUTSIDE : formatProbe(reading, info.modalityLut));
    };
    const onMove = (event: MouseEvent) => {
      const box = element.getBoundingClientRect();
      pointer.current = { x: event.clientX - box.left, y: event.clientY - box.top };
      read();
    };
    const onLeave = () => {
      pointer.current = null;
      setText(PROBE_OUTSIDE);
    };
    element.addEventListener('mousemove', onMove);
    element.addEventListener('mouseleave', onLeave);
    element.addEventListener(FRAME_RENDERED_EVENT, read);
    return () => {
      element.removeEventListener('mousemove', onMove);
      element.removeEventListener('mouseleave', onLeave);
      element.removeEventListener(FRAME_RENDERED_EVENT, read);
    };
  }, [element, info, paneId]);

  return (
    <div
      className="readout pixel-probe"
      role="status"
      aria-label="Pixel probe"
      title="The modality value of the pixel under the mouse, and its stored value when the file's Modality LUT or rescale changes it"
    >
      {info ? text : ''}
    </div>
  );
}
