import { describe, expect, it } from 'vitest';
import { bufferSource } from '../../src/dicom/byteSource';
import { readHeader } from '../../src/dicom/header';
import { forEachOverlayPixel } from '../../src/dicom/overlays';
import { buildRunInfo, overlaysOfFrame } from '../../src/dicom/runInfo';
import type { OverlayPlane, ParsedHeader } from '../../src/dicom/types';
import { buildDicom, el, imageElements, type ElementSpec } from '../support/dicom/syntheticDicom';

const BIG_ENDIAN = '1.2.840.10008.1.2.2';

/** An 8×4 image (frames of it) with the given elements. */
async function header(
  extra: ElementSpec[],
  options: { frames?: number; transferSyntaxUID?: string; uid?: string } = {},
): Promise<ParsedHeader> {
  const frames = options.frames ?? 1;
  const bytes = buildDicom({
    elements: imageElements({ rows: 4, columns: 8, frames, extra, sopInstanceUID: options.uid }),
    transferSyntaxUID: options.transferSyntaxUID,
    pixelData: { kind: 'native', bytes: new Uint8Array(32 * frames) },
  });
  return readHeader(bufferSource(`${options.uid ?? 'overlay'}.dcm`, bytes));
}

/** A plane of group 0x6000 + 2·n, its bits given as 16-bit words (bit k of word w is pixel 16w + k). */
function plane(n: number, size: [rows: number, columns: number], words: number[], more: ElementSpec[] = []): ElementSpec[] {
  const group = (0x6000 + 2 * n) << 16;
  return [
    el(group | 0x0010, 'US', [size[0]]),
    el(group | 0x0011, 'US', [size[1]]),
    el(group | 0x0040, 'CS', 'G'),
    el(group | 0x0050, 'SS', [1, 1]),
    el(group | 0x0100, 'US', [1]),
    el(group | 0x0102, 'US', [0]),
    el(group | 0x3000, 'OW', words),
    ...more,
  ];
}

function pixelsOf(p: OverlayPlane, index: number, columns = 8, rows = 4): string[] {
  const out: string[] = [];
  forEachOverlayPixel(p, index, columns, rows, (x, y) => out.push(`${x},${y}`));
  return out;
}

describe('overlay planes (60xx)', () => {
  it('reads a plane: size, type, origin, description, and its bits from the lowest bit of each word', async () => {
    const info = buildRunInfo([await header(plane(0, [4, 8], [0b1000_0000_0000_0001, 0x8000], [el(0x60000022, 'LO', 'MARKER')]))]);
    const [p] = info.overlays!.perInstance[0];
    expect(p).toMatchObject({
      group: 0x6000,
      rows: 4,
      columns: 8,
      type: 'G',
      origin: { row: 1, column: 1 },
      frames: 1,
      description: 'MARKER',
    });
    // Word 0: pixels 0 and 15 (row 0 col 0, row 1 col 7); word 1: pixel 31 (row 3 col 7).
    expect(pixelsOf(p, 0)).toEqual(['0,0', '7,1', '7,3']);
    expect(info.overlays!.notes).toEqual([]);
  });

  it('reads the same bits from a big endian file, whose OW words are stored the other way round', async () => {
    const info = buildRunInfo([await header(plane(0, [4, 8], [0b1000_0000_0000_0001, 0x8000]), { transferSyntaxUID: BIG_ENDIAN })]);
    expect(pixelsOf(info.overlays!.perInstance[0][0], 0)).toEqual(['0,0', '7,1', '7,3']);
  });

  it('places a plane at its origin and clips what falls outside the image', async () => {
    // A 2×2 plane, all set, at row 4 column 8 (1-based): only its first bit is inside.
    const info = buildRunInfo([await header(plane(1, [2, 2], [0b1111], [el(0x60020050, 'SS', [4, 8])]).filter((_, i) => i !== 3))]);
    const [p] = info.overlays!.perInstance[0];
    expect(p.group).toBe(0x6002);
    expect(pixelsOf(p, 0)).toEqual(['7,3']);
  });

  it('goes with every frame when it has one, else with the frames from its Image Frame Origin on', async () => {
    const single = buildRunInfo([await header(plane(0, [4, 8], [1, 0]), { frames: 3 })]);
    expect([1, 2, 3].map((f) => overlaysOfFrame(single, f).map((o) => o.index))).toEqual([[0], [0], [0]]);
    // Two overlay frames from image frame 2: image frame 2 → overlay frame 0, 3 → 1, 1 → none.
    const multi = buildRunInfo([
      await header(plane(0, [4, 8], [1, 0, 2, 0], [el(0x60000015, 'IS', '2'), el(0x60000051, 'US', [2])]), { frames: 3 }),
    ]);
    expect([1, 2, 3].map((f) => overlaysOfFrame(multi, f).map((o) => o.index))).toEqual([[], [0], [1]]);
    expect(pixelsOf(overlaysOfFrame(multi, 3)[0].plane, 1)).toEqual(['1,0']);
  });

  it('gives each image of a series its own planes', async () => {
    const info = buildRunInfo([
      await header(plane(0, [4, 8], [1, 0]), { uid: '1.1' }),
      await header([], { uid: '1.2' }),
      await header(plane(0, [4, 8], [2, 0]), { uid: '1.3' }),
    ]);
    expect([1, 2, 3].map((f) => overlaysOfFrame(info, f).map((o) => pixelsOf(o.plane, o.index)))).toEqual([[['0,0']], [], [['1,0']]]);
  });

  it('leaves out, with a note, planes it cannot draw; a run without any has no overlays', async () => {
    const short = buildRunInfo([await header(plane(0, [4, 8], [1]))]);
    expect(short.overlays).toEqual({
      perInstance: [[]],
      notes: ['Overlay 6000 holds 2 bytes of Overlay Data, fewer than its 4×8×1 bits: not shown'],
    });
    const embedded = buildRunInfo([await header(plane(0, [4, 8], [1, 0]).filter((e) => e.tag !== 0x60003000))]);
    expect(embedded.overlays!.notes).toEqual(['Overlay 6000 has no Overlay Data of its own (an overlay in the pixel words): not shown']);
    expect(buildRunInfo([await header([])]).overlays).toBeUndefined();
  });
});
