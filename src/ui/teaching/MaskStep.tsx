import { useEffect, useRef, useState } from 'react';
import { grabAt, movedRect, newRect, previewFrames, resizedRect, type RectGrab } from '../../state/maskEditing';
import { maskedFrameImage, type ExportRunPlan, type GrayImage, type MaskRect } from '../../state/teaching';

const MASK_FILL = 'rgba(230, 40, 40, 0.45)';
const MASK_EDGE = 'rgb(255, 80, 80)';

function paint(canvas: HTMLCanvasElement | null, image: GrayImage | null, rects: readonly MaskRect[], selected: number | null): void {
  const ctx = canvas?.getContext('2d');
  if (!canvas || !ctx || !image) return;
  ctx.putImageData(new ImageData(new Uint8ClampedArray(image.rgba), image.width, image.height), 0, 0);
  const line = Math.max(1, image.width / 256);
  rects.forEach((r, i) => {
    ctx.fillStyle = MASK_FILL;
    ctx.fillRect(r.x, r.y, r.width, r.height);
    ctx.strokeStyle = i === selected ? '#ffd400' : MASK_EDGE;
    ctx.lineWidth = line * (i === selected ? 2 : 1);
    ctx.strokeRect(r.x, r.y, r.width, r.height);
    const h = 4 * line;
    ctx.fillStyle = ctx.strokeStyle;
    ctx.fillRect(r.x + r.width - h, r.y + r.height - h, h, h);
  });
}

/**
 * The mask step of one run: frame 1 with rectangles the educator moves (drag), resizes (drag the
 * bottom-right corner), adds and removes; a preview of the masked run; and the confirmation,
 * without which the run is not exported.
 */
export function MaskStep({ plan, onConfirm, onBack }: { plan: ExportRunPlan; onConfirm: (rects: MaskRect[]) => void; onBack: () => void }) {
  const [rects, setRects] = useState<MaskRect[]>(() => [...plan.defaultRects]);
  const [selected, setSelected] = useState<number | null>(null);
  const [image, setImage] = useState<GrayImage | null>(null);
  const [preview, setPreview] = useState<{ frame: number; url: string }[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const grab = useRef<{ grab: RectGrab; start: { x: number; y: number }; rect: MaskRect } | null>(null);

  useEffect(() => {
    let live = true;
    maskedFrameImage(plan.runKey, 1, []).then(
      (img) => live && setImage(img),
      (e: unknown) => live && setError(`frame 1 could not be decoded: ${String(e)}`),
    );
    return () => {
      live = false;
    };
  }, [plan.runKey]);

  useEffect(() => paint(canvas.current, image, rects, selected), [image, rects, selected]);

  const change = (next: MaskRect[]) => {
    setRects(next);
    setPreview(null); // a changed mask must be previewed again before it can be confirmed
  };

  const imagePoint = (e: React.PointerEvent<HTMLCanvasElement>) => {
    const box = e.currentTarget.getBoundingClientRect();
    return { x: ((e.clientX - box.left) / box.width) * plan.columns, y: ((e.clientY - box.top) / box.height) * plan.rows };
  };

  const showPreview = async () => {
    try {
      const frames = previewFrames(plan.frameCount);
      const shots = [];
      for (const frame of frames) {
        const img = await maskedFrameImage(plan.runKey, frame, rects);
        const c = document.createElement('canvas');
        c.width = img.width;
        c.height = img.height;
        c.getContext('2d')!.putImageData(new ImageData(new Uint8ClampedArray(img.rgba), img.width, img.height), 0, 0);
        shots.push({ frame, url: c.toDataURL('image/png') });
      }
      setPreview(shots);
    } catch (e) {
      setError(`the preview could not be made: ${String(e)}`);
    }
  };

  return (
    <section className="mask-step" aria-label={`Mask burned-in text: ${plan.title}`}>
      <h3>Mask burned-in text: {plan.title}</h3>
      <p>
        This run may show names in its pixels (Burned In Annotation is YES or absent). Cover every text with a rectangle: drag to move, drag
        the corner to resize. Masked frames are written uncompressed with Burned In Annotation = NO.
      </p>
      {error && <p role="alert">{error}</p>}
      <div className="mask-layout">
        <canvas
          ref={canvas}
          className="mask-canvas"
          aria-label="Frame 1 with mask rectangles"
          width={plan.columns}
          height={plan.rows}
          // Pixels in their shape, as the pane shows them (square unless the header says otherwise).
          style={{ aspectRatio: plan.shownAspect }}
          onPointerDown={(e) => {
            const p = imagePoint(e);
            const g = grabAt(rects, p, Math.max(3, plan.columns / 64));
            setSelected(g?.index ?? null);
            if (g) {
              e.currentTarget.setPointerCapture(e.pointerId);
              grab.current = { grab: g, start: p, rect: rects[g.index] };
            }
          }}
          onPointerMove={(e) => {
            const held = grab.current;
            if (!held?.grab) return;
            const p = imagePoint(e);
            const moved =
              held.grab.part === 'corner'
                ? resizedRect(held.rect, p, plan.columns, plan.rows)
                : movedRect(held.rect, p.x - held.start.x, p.y - held.start.y, plan.columns, plan.rows);
            change(rects.map((r, i) => (i === held.grab!.index ? moved : r)));
          }}
          onPointerUp={() => {
            grab.current = null;
          }}
        />
        <ol className="mask-rects" aria-label="Mask rectangles">
          {rects.map((r, i) => (
            <li key={i} aria-current={i === selected}>
              Rectangle {i + 1}: x {r.x}, y {r.y}, {r.width} × {r.height} px
            </li>
          ))}
        </ol>
      </div>
      <div className="mask-actions">
        <button type="button" onClick={() => change([...rects, newRect(plan.columns, plan.rows)])}>
          Add rectangle
        </button>
        <button
          type="button"
          disabled={selected === null}
          onClick={() => {
            change(rects.filter((_, i) => i !== selected));
            setSelected(null);
          }}
        >
          Remove rectangle
        </button>
        <button type="button" onClick={() => void showPreview()} disabled={!image}>
          Preview masked run
        </button>
      </div>
      {preview && (
        <div className="mask-preview" role="group" aria-label="Masked run preview">
          {preview.map((shot) => (
            <figure key={shot.frame}>
              <img src={shot.url} alt={`Masked frame ${shot.frame} of ${plan.frameCount}`} style={{ aspectRatio: plan.shownAspect }} />
              <figcaption>
                Frame {shot.frame} of {plan.frameCount}
              </figcaption>
            </figure>
          ))}
        </div>
      )}
      <div className="dialog-actions">
        <button type="button" onClick={onBack}>
          Back
        </button>
        <button type="button" disabled={!preview} onClick={() => onConfirm(rects)}>
          Confirm mask
        </button>
      </div>
    </section>
  );
}
