/**
 * A 2,000-frame 1024² RLE run at 15 fps for the browser tests of long runs: 2 GB decoded, so the
 * viewer decodes it in a window ahead of the play head. Frames cycle through a few pictures (the
 * caller's), which keeps the file small.
 */
import { encodeRleFrame } from '../../../src/dicom/rleEncode';
import { buildDicom, el, imageElements } from './syntheticDicom';

export const LONG_RUN = { rows: 1024, columns: 1024, frames: 2000 } as const;

export function longRleRun(options: {
  /** Root of the study, series and instance UIDs (`<root>`, `<root>.1`, `<root>.1.1`). */
  uidRoot: string;
  seriesDescription: string;
  /** Grey pictures of LONG_RUN.rows × columns; frame k shows picture (k - 1) mod their count. */
  pictures: Uint8Array[];
}): Uint8Array {
  const { rows, columns, frames } = LONG_RUN;
  const encoded = options.pictures.map((pixels) => encodeRleFrame(pixels, rows, columns, 1));
  return buildDicom({
    transferSyntaxUID: '1.2.840.10008.1.2.5',
    elements: imageElements({
      rows,
      columns,
      frames,
      studyUID: options.uidRoot,
      seriesUID: `${options.uidRoot}.1`,
      sopInstanceUID: `${options.uidRoot}.1.1`,
      extra: [el(0x00181063, 'DS', '66.67'), el(0x0008103e, 'LO', options.seriesDescription)],
    }),
    pixelData: { kind: 'encapsulated', fragments: Array.from({ length: frames }, (_, i) => encoded[i % encoded.length]) },
  });
}
