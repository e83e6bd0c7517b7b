/**
 * A copy of an Explicit VR Little Endian file with one graphics overlay plane (group 6000) added
 * before its Pixel Data, for the tests of overlay display: a rectangle outline with a diagonal
 * across it, `rows` × `columns` bits placed at the 1-based image `origin`.
 */
export interface OverlayPlaneSpec {
  rows: number;
  columns: number;
  origin: { row: number; column: number };
  description: string;
}

export function overlayBits(spec: OverlayPlaneSpec): Uint8Array {
  const bits = new Uint8Array(Math.ceil((spec.rows * spec.columns) / 16) * 2);
  for (let r = 0; r < spec.rows; r++)
    for (let c = 0; c < spec.columns; c++) {
      const edge = r < 3 || c < 3 || r >= spec.rows - 3 || c >= spec.columns - 3;
      const diagonal = Math.abs(Math.round((r * spec.columns) / spec.rows) - c) <= 1;
      if (!edge && !diagonal) continue;
      const i = r * spec.columns + c;
      bits[i >> 3] |= 1 << (i & 7);
    }
  return bits;
}

export function withOverlayPlane(file: Uint8Array, spec: OverlayPlaneSpec): Uint8Array {
  const pixelTag = Buffer.from([0xe0, 0x7f, 0x10, 0x00, 0x4f]); // (7FE0,0010) then "O" of OB/OW
  const at = Buffer.from(file).lastIndexOf(pixelTag);
  if (at < 0) throw new Error('no Pixel Data element found');
  const description = spec.description.length % 2 ? `${spec.description} ` : spec.description;
  const bits = overlayBits(spec);
  const parts = [
    short(0x0010, 'US', u16(spec.rows)),
    short(0x0011, 'US', u16(spec.columns)),
    short(0x0022, 'LO', Buffer.from(description, 'latin1')),
    short(0x0040, 'CS', Buffer.from('G ', 'latin1')),
    short(0x0050, 'SS', Buffer.concat([i16(spec.origin.row), i16(spec.origin.column)])),
    short(0x0100, 'US', u16(1)),
    short(0x0102, 'US', u16(0)),
    long(0x3000, 'OW', Buffer.from(bits)),
  ];
  return new Uint8Array(Buffer.concat([Buffer.from(file.subarray(0, at)), ...parts, Buffer.from(file.subarray(at))]));
}

function u16(value: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(value);
  return b;
}

function i16(value: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeInt16LE(value);
  return b;
}

function tagBytes(element: number, vr: string): Buffer {
  const b = Buffer.alloc(6);
  b.writeUInt16LE(0x6000, 0);
  b.writeUInt16LE(element, 2);
  b.write(vr, 4, 'latin1');
  return b;
}

function short(element: number, vr: string, value: Buffer): Buffer {
  return Buffer.concat([tagBytes(element, vr), u16(value.length), value]);
}

function long(element: number, vr: string, value: Buffer): Buffer {
  const length = Buffer.alloc(6);
  length.writeUInt32LE(value.length, 2);
  return Buffer.concat([tagBytes(element, vr), length, value]);
}
