/**
 * JPEG Lossless (ITU T.81 process 14, Annex H: SOF3 with Huffman coding) decoder for one
 * single-component frame: the kind every grayscale XA, RF and CR file in this syntax holds.
 *
 * Why not only the published decoder (@cornerstonejs/jpeg-lossless-decoder-js, which the
 * dicom-image-loader uses and which stays the fallback): it calls a function per bit and per
 * sample, and took 30–55 ms for a 1024² frame in Node here once warm (90–100 ms cold). This one
 * reads the entropy-coded data through a 32-bit window and a 9-bit Huffman lookup (12–25 ms
 * there), which makes frame 1 of a JPEG Lossless run and a whole run's decode faster (the bench:
 * 1024² × 10, frame 1 about 100 → 77 ms, all decoded about 700–960 → 463 ms).
 *
 * Output is what the published decoder gives for the same frame, sample for sample (a unit test
 * holds both to DCMTK's dcmdjpeg): values modulo 2^16, shifted left by the point transform.
 * Frames this decoder does not take (more than one component or scan, another SOF, arithmetic
 * coding) return null, and the caller uses the published decoder.
 */

/** The frame's data are damaged or cut off: a sentence a user can read, never a codec's number. */
export class JpegLosslessDataError extends Error {
  constructor(reason: string) {
    super(`the JPEG Lossless data of this frame is damaged (${reason})`);
    this.name = 'JpegLosslessDataError';
  }
}

const LOOKUP_BITS = 9;
const LOOKUP_MASK = (1 << LOOKUP_BITS) - 1;

interface HuffmanTable {
  /** For each LOOKUP_BITS-bit prefix: (code length << 8) | symbol, or 0 where the code is longer. */
  lookup: Uint16Array;
  /** Largest code of each length 1..16 (index = length), −1 where there is none. */
  maxCode: Int32Array;
  /** HUFFVAL index of the first code of each length, less that code. */
  valueOffset: Int32Array;
  values: Uint8Array;
}

function huffmanTable(counts: Uint8Array, values: Uint8Array): HuffmanTable {
  const lookup = new Uint16Array(1 << LOOKUP_BITS);
  const maxCode = new Int32Array(17).fill(-1);
  const valueOffset = new Int32Array(17);
  let code = 0;
  let k = 0;
  for (let length = 1; length <= 16; length++) {
    const count = counts[length - 1];
    valueOffset[length] = k - code;
    for (let i = 0; i < count; i++, k++, code++) {
      if (k >= values.length) throw new JpegLosslessDataError('a Huffman table names more codes than it has values');
      if (length <= LOOKUP_BITS) {
        const shift = LOOKUP_BITS - length;
        const first = code << shift;
        const entry = (length << 8) | values[k];
        for (let j = 0; j < 1 << shift; j++) lookup[first + j] = entry;
      }
    }
    if (count > 0) maxCode[length] = code - 1;
    if (code > 1 << length) throw new JpegLosslessDataError('a Huffman table has more codes than fit');
    code <<= 1;
  }
  return { lookup, maxCode, valueOffset, values };
}

interface Frame {
  precision: number;
  lines: number;
  samplesPerLine: number;
  componentId: number;
}

interface Scan {
  table: HuffmanTable;
  predictor: number;
  pointTransform: number;
  /** Offset of the entropy-coded data. */
  start: number;
}

/** Reads the markers up to the first scan; null when the frame is not one this decoder takes. */
function readHeaders(data: Uint8Array): { frame: Frame; scan: Scan; restartInterval: number } | null {
  if (data.length < 4 || data[0] !== 0xff || data[1] !== 0xd8) throw new JpegLosslessDataError('no JPEG start marker');
  const tables = new Map<number, HuffmanTable>();
  let frame: Frame | null = null;
  let restartInterval = 0;
  let at = 2;
  const u16 = (i: number) => (data[i] << 8) | data[i + 1];
  for (;;) {
    // Fill bytes (0xFF runs) may precede a marker.
    while (at < data.length && data[at] === 0xff && data[at + 1] === 0xff) at++;
    if (at + 4 > data.length) throw new JpegLosslessDataError('the data end before the first scan');
    if (data[at] !== 0xff) throw new JpegLosslessDataError(`no marker where one belongs, at byte ${at}`);
    const marker = data[at + 1];
    if (marker === 0xd9) throw new JpegLosslessDataError('the data end before the first scan');
    const length = u16(at + 2);
    const body = at + 4;
    const end = at + 2 + length;
    if (length < 2 || end > data.length) throw new JpegLosslessDataError(`a marker segment at byte ${at} runs past the end`);
    if (marker === 0xc3) {
      if (data[body + 5] !== 1) return null; // more than one component: the published decoder
      frame = { precision: data[body], lines: u16(body + 1), samplesPerLine: u16(body + 3), componentId: data[body + 6] };
      if (frame.precision < 2 || frame.precision > 16) throw new JpegLosslessDataError(`sample precision ${frame.precision}`);
      if (frame.samplesPerLine === 0) throw new JpegLosslessDataError('no samples per line');
    } else if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return null; // another process (DCT, differential, arithmetic coding): the published decoder
    } else if (marker === 0xc4) {
      for (let i = body; i < end;) {
        const id = data[i] & 0x0f;
        const counts = data.subarray(i + 1, i + 17);
        const total = counts.reduce((sum, c) => sum + c, 0);
        if (i + 17 + total > end) throw new JpegLosslessDataError('a Huffman table runs past its segment');
        tables.set(id, huffmanTable(counts, data.subarray(i + 17, i + 17 + total)));
        i += 17 + total;
      }
    } else if (marker === 0xdd) {
      restartInterval = u16(body);
    } else if (marker === 0xda) {
      if (!frame) throw new JpegLosslessDataError('a scan comes before the frame header');
      if (data[body] !== 1 || data[body + 1] !== frame.componentId) return null;
      const table = tables.get(data[body + 2] >> 4);
      if (!table) throw new JpegLosslessDataError('the scan names a Huffman table that is not there');
      const predictor = data[body + 3];
      const pointTransform = data[body + 5] & 0x0f;
      if (predictor < 1 || predictor > 7) throw new JpegLosslessDataError(`predictor ${predictor}`);
      if (pointTransform >= frame.precision) throw new JpegLosslessDataError(`point transform ${pointTransform}`);
      return { frame, scan: { table, predictor, pointTransform, start: end }, restartInterval };
    }
    at = end;
  }
}

/** Bytes a line can read past the data, at most: 32 bits a sample, and the window's 4. */
const tailZeros = (width: number) => 4 * width + 4;

/**
 * The entropy-coded data from `start` with stuffing undone (0xFF 0x00 is 0xFF) and the restart
 * markers taken out; `intervalEnds[k]` is where interval k's bytes end. It stops at EOI or any
 * other marker.
 */
function unstuffed(data: Uint8Array, start: number, width: number): { data: Uint8Array; intervalEnds: number[] } {
  const out = new Uint8Array(data.length - start + tailZeros(width));
  const intervalEnds: number[] = [];
  let length = 0;
  let at = start;
  while (at < data.length) {
    const byte = data[at];
    if (byte !== 0xff) {
      out[length++] = byte;
      at++;
      continue;
    }
    const next = data[at + 1];
    if (next === 0) {
      out[length++] = 0xff;
      at += 2;
    } else if (next === 0xff)
      at++; // fill byte before a marker
    else if (next >= 0xd0 && next <= 0xd7) {
      intervalEnds.push(length);
      at += 2;
    } else break;
  }
  intervalEnds.push(length);
  return { data: out, intervalEnds };
}

interface BitReader {
  data: Uint8Array;
  /** Next byte of `data`. */
  at: number;
  /** Bits read ahead, most significant first. */
  window: number;
  /** How many of `window`'s low bits are unread. */
  bits: number;
}

/**
 * Decodes line `y` into `values`: each sample is its prediction plus the Huffman-coded
 * difference. `predictor` 0 marks the first line of the image or of a restart interval
 * (prediction from the left, `initial` for the first sample). A function per line, so that V8
 * optimises it as a whole within the first frames (one loop over a whole frame stayed in its
 * slower on-stack-replaced code for ~25 frames in Node).
 */
function decodeLine(
  reader: BitReader,
  table: HuffmanTable,
  values: Uint16Array,
  y: number,
  width: number,
  predictor: number,
  initial: number,
): void {
  const { lookup, maxCode, valueOffset, values: symbols } = table;
  const data = reader.data;
  let { at, window, bits } = reader;
  const row = y * width;
  for (let x = 0; x < width; x++) {
    // The window holds at least 25 bits: a code (≤ 16) and then, mostly, its difference bits.
    // Bytes past the data read as the zeros unstuffed() appends (enough for a line); the check
    // after each line catches their use.
    while (bits <= 24) {
      window = (window << 8) | data[at++];
      bits += 8;
    }
    // Huffman symbol: the difference's bit count (SSSS).
    const entry = lookup[(window >>> (bits - LOOKUP_BITS)) & LOOKUP_MASK];
    let ssss: number;
    if (entry !== 0) {
      bits -= entry >> 8;
      ssss = entry & 0xff;
    } else {
      let length = LOOKUP_BITS + 1;
      let code = (window >>> (bits - length)) & ((1 << length) - 1);
      while (code > maxCode[length]) {
        if (++length > 16) throw new JpegLosslessDataError(`no Huffman code matches on line ${y + 1}`);
        code = (window >>> (bits - length)) & ((1 << length) - 1);
      }
      bits -= length;
      ssss = symbols[valueOffset[length] + code];
    }
    let difference = 0;
    if (ssss === 16) difference = 32768;
    else if (ssss !== 0) {
      if (ssss > 16) throw new JpegLosslessDataError(`difference category ${ssss} on line ${y + 1}`);
      if (bits < ssss) {
        window = (window << 8) | data[at++];
        bits += 8;
      }
      const raw = (window >>> (bits - ssss)) & ((1 << ssss) - 1);
      bits -= ssss;
      difference = raw < 1 << (ssss - 1) ? raw - (1 << ssss) + 1 : raw;
    }

    const index = row + x;
    let prediction: number;
    if (predictor === 0) prediction = x === 0 ? initial : values[index - 1];
    else if (x === 0) prediction = values[index - width];
    else {
      const a = values[index - 1];
      const b = values[index - width];
      const c = values[index - width - 1];
      if (predictor === 1) prediction = a;
      else if (predictor === 2) prediction = b;
      else if (predictor === 3) prediction = c;
      else if (predictor === 4) prediction = a + b - c;
      else if (predictor === 5) prediction = a + ((b - c) >> 1);
      else if (predictor === 6) prediction = b + ((a - c) >> 1);
      else prediction = (a + b) >> 1;
    }
    values[index] = prediction + difference; // modulo 2^16, as the standard has it
  }
  reader.at = at;
  reader.window = window;
  reader.bits = bits;
}

/**
 * Decodes `data` (one frame's JPEG Lossless bitstream) into `bytesPerSample`-byte samples (by
 * default as many as the sample precision needs), or returns null for a frame this decoder does
 * not take. Throws JpegLosslessDataError on damage.
 */
export function decodeJpegLossless(data: Uint8Array, bytesPerSample?: 1 | 2): Uint8Array | Uint16Array | null {
  const headers = readHeaders(data);
  if (!headers) return null;
  const { frame, scan, restartInterval } = headers;
  const { samplesPerLine: width, lines: height } = frame;
  if (height === 0) return null; // lines given by a DNL marker after the scan: the published decoder
  if (restartInterval % width !== 0) return null;
  // Decoded into 16 bits before the point transform's shift (prediction works on those values),
  // then shifted, and narrowed for 8-bit output: one array type keeps the loop's stores monomorphic.
  const values = new Uint16Array(width * height);
  const predictor = scan.predictor;
  const initial = 1 << (frame.precision - scan.pointTransform - 1);

  const { data: entropyCoded, intervalEnds } = unstuffed(data, scan.start, width);
  // Restart intervals count samples (one component: an MCU is one sample); each restarts
  // prediction as on line 1. Intervals that do not span whole lines go to the published decoder.
  const linesPerInterval = restartInterval > 0 ? restartInterval / width : height;
  const shift = scan.pointTransform;
  const reader: BitReader = { data: entropyCoded, at: 0, window: 0, bits: 0 };
  let end = 0; // end of the current restart interval's bytes
  for (let y = 0; y < height; y++) {
    const intervalLine = y % linesPerInterval;
    if (intervalLine === 0) {
      // A new interval starts on a byte of its own: drop what is left of the last one.
      const interval = y / linesPerInterval;
      if (interval >= intervalEnds.length) throw new JpegLosslessDataError(`a restart marker is missing before line ${y + 1}`);
      reader.at = interval === 0 ? 0 : intervalEnds[interval - 1];
      reader.window = 0;
      reader.bits = 0;
      end = intervalEnds[interval];
    }
    decodeLine(reader, scan.table, values, y, width, intervalLine === 0 ? 0 : predictor, initial);
    if (reader.at > end && reader.bits < (reader.at - end) * 8)
      throw new JpegLosslessDataError(`the data stop on line ${y + 1} of ${height}`);
  }
  if (shift > 0) for (let i = 0; i < values.length; i++) values[i] <<= shift;
  return (bytesPerSample ?? (frame.precision > 8 ? 2 : 1)) === 1 ? new Uint8Array(values) : values;
}
