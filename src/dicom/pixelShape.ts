import type { RunInfo, SpacingInfo } from './types';

/**
 * The shape of a pixel as it is drawn: its height (row) and width (column), in mm when the header
 * measures them, else relative. The spacing measurements use gives it; without one, Pixel Aspect
 * Ratio (0028,0034), which DICOM requires exactly then when the pixels are not square (PS3.3
 * C.7.6.3.1.7); else the pixels are square.
 */
export function pixelShape(spacing: SpacingInfo): { row: number; column: number } {
  const measured = spacing.preferred ?? spacing.candidates[0];
  if (measured) return { row: measured.rowMm, column: measured.columnMm };
  const ratio = spacing.pixelAspectRatio;
  return ratio ? { row: ratio.vertical / ratio.horizontal, column: 1 } : { row: 1, column: 1 };
}

/** Width ÷ height of a frame as it is drawn, its pixels in their shape. */
export function shownAspect(info: Pick<RunInfo, 'columns' | 'rows' | 'spacing'>): number {
  const shape = pixelShape(info.spacing);
  return (info.columns * shape.column) / (info.rows * shape.row);
}
