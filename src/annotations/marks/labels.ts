/** Wording drawn beside marks. Pure. */
import { areaMm2, type Point, polygonArea } from '../model';
import type { Spacing } from '../../dicom/types';

/** "Area 412 px² (uncalibrated)" or "Area 98.3 mm² (Imager Pixel Spacing corrected by ERMF)". */
export function contourAreaLabel(contour: readonly Point[], spacing: Spacing | null): string {
  const px2 = polygonArea(contour);
  if (!spacing) return `Area ${Math.round(px2)} px² (uncalibrated)`;
  return `Area ${areaMm2(px2, spacing).toFixed(1)} mm² (${spacing.source})`;
}
