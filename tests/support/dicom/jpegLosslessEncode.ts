/**
 * A small JPEG Lossless (SOF3) encoder for tests: one component, any predictor, optional restart
 * intervals, and every difference category up to 16, which DCMTK's dcmcjpeg cannot be asked
 * for (no restart intervals) or rarely makes. Its output is checked by DCMTK's dcmdjpeg in the
 * tests that use it, so the decoder is not only held to this encoder. Huffman codes are all
 * 5 bits long (17 categories in 32 codes): valid, if not compact.
 */

function predict(predictor: number, a: number, b: number, c: number): number {
  switch (predictor) {
    case 1:
      return a;
    case 2:
      return b;
    case 3:
      return c;
    case 4:
      return a + b - c;
    case 5:
      return a + ((b - c) >> 1);
    case 6:
      return b + ((a - c) >> 1);
    default:
      return (a + b) >> 1;
  }
}

export function encodeJpegLossless(
  samples: Uint16Array | Uint8Array,
  width: number,
  height: number,
  options: { precision: number; predictor: number; restartLines?: number },
): Uint8Array {
  const { precision, predictor } = options;
  const restartLines = options.restartLines ?? 0;
  const out: number[] = [0xff, 0xd8];
  const segment = (marker: number, body: number[]) => out.push(0xff, marker, (body.length + 2) >> 8, (body.length + 2) & 0xff, ...body);
  segment(0xc3, [precision, height >> 8, height & 0xff, width >> 8, width & 0xff, 1, 1, 0x11, 0]);
  const counts = new Array(16).fill(0);
  counts[4] = 17;
  segment(0xc4, [0x00, ...counts, ...Array.from({ length: 17 }, (_, i) => i)]);
  if (restartLines > 0) {
    const interval = restartLines * width;
    segment(0xdd, [interval >> 8, interval & 0xff]);
  }
  segment(0xda, [1, 1, 0x00, predictor, 0, 0]);

  let buffer = 0;
  let count = 0;
  const put = (value: number, length: number) => {
    for (let i = length - 1; i >= 0; i--) {
      buffer = (buffer << 1) | ((value >> i) & 1);
      if (++count === 8) {
        out.push(buffer);
        if (buffer === 0xff) out.push(0);
        buffer = 0;
        count = 0;
      }
    }
  };
  const flush = () => {
    while (count !== 0) put(1, 1);
  };
  let restart = 0;
  for (let y = 0; y < height; y++) {
    const firstLine = restartLines > 0 ? y % restartLines === 0 : y === 0;
    if (firstLine && y > 0) {
      flush();
      out.push(0xff, 0xd0 + (restart++ % 8));
    }
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      let prediction: number;
      if (firstLine) prediction = x === 0 ? 1 << (precision - 1) : samples[i - 1];
      else if (x === 0) prediction = samples[i - width];
      else prediction = predict(predictor, samples[i - 1], samples[i - width], samples[i - width - 1]);
      let difference = (samples[i] - prediction) & 0xffff;
      if (difference >= 0x8000) difference -= 0x10000;
      if (difference === -0x8000) {
        put(16, 5); // category 16: the difference 32768, no further bits
        continue;
      }
      const magnitude = Math.abs(difference);
      const category = magnitude === 0 ? 0 : 32 - Math.clz32(magnitude);
      put(category, 5);
      if (category > 0) put(difference > 0 ? difference : difference - 1, category);
    }
  }
  flush();
  out.push(0xff, 0xd9);
  return new Uint8Array(out);
}
