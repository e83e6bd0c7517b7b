/**
 * Facts read from a JPEG codestream's own header, without decoding it.
 */

/** Start-of-frame markers: SOF0–SOF15 less DHT (C4), JPG (C8) and DAC (CC). */
function isStartOfFrame(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

/** Sample precision (bits) from the first start-of-frame segment, or null when there is none. */
export function jpegSamplePrecision(bytes: Uint8Array): number | null {
  if (bytes[0] !== 0xff || bytes[1] !== 0xd8) return null;
  let at = 2;
  while (at + 4 < bytes.length) {
    if (bytes[at] !== 0xff) return null;
    const marker = bytes[at + 1];
    if (marker === 0xff) {
      at++; // fill byte
      continue;
    }
    if (isStartOfFrame(marker)) return bytes[at + 4];
    if (marker === 0xda || marker === 0xd9) return null; // scan or end before any frame header
    at += 2 + ((bytes[at + 2] << 8) | bytes[at + 3]);
  }
  return null;
}
