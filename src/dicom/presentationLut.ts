/**
 * Which way round a grayscale image is shown before the user inverts it: the Photometric
 * Interpretation, and the Presentation LUT Shape (2050,0020) some images carry (DX, MG, IO, and
 * vendors' XA/RF and CR writing the DX attributes).
 *
 * - MONOCHROME1 is shown inverted, whatever the shape says. With MONOCHROME1 the DX IOD requires
 *   INVERSE (PS3.3 C.8.11.7): the shape names the same inversion, and DCMTK draws MONOCHROME1 +
 *   INVERSE as plain MONOCHROME1. MONOCHROME1 + IDENTITY is forbidden there; DCMTK then shows the
 *   image not inverted, but other viewers keep it inverted (dcm4chee even gained an option to
 *   ignore the shape because of such headers), and so does FluoroLens: a bright-bone radiograph
 *   turned negative by a header the standard rules out helps nobody.
 * - MONOCHROME2 + INVERSE is shown inverted (PS3.3 C.11.6.1.2: the output of the VOI LUT is
 *   inverted), as DCMTK shows it.
 */
export type PresentationLutShape = 'IDENTITY' | 'INVERSE';

/** The shape as stored (any case, padded), or undefined when absent or not one of the two defined terms. */
export function presentationLutShapeOf(value: string | undefined): PresentationLutShape | undefined {
  const term = value?.trim().toUpperCase();
  return term === 'IDENTITY' || term === 'INVERSE' ? term : undefined;
}

export interface DisplayPolarity {
  readonly photometricInterpretation: string;
  readonly presentationLutShape?: PresentationLutShape | string;
}

/** True when the file asks for its grayscale image to be shown inverted (low values bright); see above. */
export function opensInverted({ photometricInterpretation, presentationLutShape }: DisplayPolarity): boolean {
  const photometric = photometricInterpretation.trim().toUpperCase();
  if (photometric === 'MONOCHROME1') return true;
  return photometric === 'MONOCHROME2' && presentationLutShapeOf(presentationLutShape) === 'INVERSE';
}
