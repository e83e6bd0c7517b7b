/**
 * DICOM RLE Lossless encoder (PS3.5 Annex G). One call encodes one frame into one fragment:
 * a 64-byte header (segment count, then 15 segment offsets, little endian), then one PackBits
 * segment per byte plane, most significant byte plane first, each padded to an even length.
 * Every row of every plane is encoded separately (runs never cross a row boundary), as G.3.1 asks.
 */

/** Appends the PackBits encoding of src[start, end) to out. */
function packBitsRow(src: Uint8Array, start: number, end: number, out: number[]): void {
  let i = start;
  let litStart = -1; // start of a pending literal run, or -1
  const flushLiteral = (upTo: number): void => {
    while (litStart >= 0 && litStart < upTo) {
      const n = Math.min(128, upTo - litStart);
      out.push(n - 1);
      for (let k = 0; k < n; k++) out.push(src[litStart + k]);
      litStart += n;
    }
    litStart = -1;
  };
  while (i < end) {
    const b = src[i];
    let run = 1;
    while (i + run < end && run < 128 && src[i + run] === b) run++;
    // A run of two inside a literal is cheaper merged into the literal (G.3.1's advice).
    if (run >= 3 || (run === 2 && litStart < 0)) {
      flushLiteral(i);
      out.push(257 - run); // -(run-1) as a signed byte
      out.push(b);
      i += run;
    } else {
      if (litStart < 0) litStart = i;
      i += run;
    }
  }
  flushLiteral(end);
}

/**
 * Encodes one frame. `pixels` holds rows*columns samples; `bytesPerSample` is 1 (8-bit) or 2
 * (16-bit allocated). Returns an even-length Uint8Array holding header and segments.
 */
export function encodeRleFrame(pixels: Uint8Array | Uint16Array, rows: number, columns: number, bytesPerSample: 1 | 2): Uint8Array {
  const n = rows * columns;
  if (pixels.length !== n) throw new Error(`encodeRleFrame: expected ${n} samples, got ${pixels.length}`);
  const segments: Uint8Array[] = [];
  const plane = new Uint8Array(n);
  // Most significant byte plane first.
  for (let byte = bytesPerSample - 1; byte >= 0; byte--) {
    const shift = byte * 8;
    for (let i = 0; i < n; i++) plane[i] = (pixels[i] >> shift) & 0xff;
    const out: number[] = [];
    for (let r = 0; r < rows; r++) packBitsRow(plane, r * columns, (r + 1) * columns, out);
    if (out.length & 1) out.push(0);
    segments.push(Uint8Array.from(out));
  }
  const total = 64 + segments.reduce((s, seg) => s + seg.length, 0);
  const frame = new Uint8Array(total);
  const view = new DataView(frame.buffer);
  view.setUint32(0, segments.length, true);
  let offset = 64;
  segments.forEach((seg, k) => {
    view.setUint32(4 + 4 * k, offset, true);
    frame.set(seg, offset);
    offset += seg.length;
  });
  return frame;
}
