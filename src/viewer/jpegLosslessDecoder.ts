import { Decoder as PublishedDecoder } from '@cornerstonejs/jpeg-lossless-decoder-js/release/lossless.js';
import { decodeJpegLossless } from '../dicom/jpegLossless';

/**
 * Stands in for @cornerstonejs/jpeg-lossless-decoder-js's Decoder wherever the dicom-image-loader
 * imports it (vite.config.ts aliases the package here, in the page and in the decode worker):
 * single-component frames go to dicom/jpegLossless.ts, two to three times faster; the rest (colour,
 * several scans, restart intervals that split lines) to the published decoder, as before.
 */
export class Decoder {
  decode(buffer: ArrayBuffer, offset = 0, length = buffer.byteLength - offset, bytesPerSample?: number): Uint8Array | Uint16Array {
    const decoded = decodeJpegLossless(
      new Uint8Array(buffer, offset, length),
      bytesPerSample === 1 || bytesPerSample === 2 ? bytesPerSample : undefined,
    );
    return decoded ?? new PublishedDecoder().decode(buffer, offset, length, bytesPerSample);
  }
}
