// @vitest-environment jsdom
import { getWebWorkerManager, metaData } from '@cornerstonejs/core';
import { decodeImageFrame, getImageFrame } from '@cornerstonejs/dicom-image-loader';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { warmUpDecoders } from '../../src/viewer/codecWarmup';
import { DECODE_WORKER, workerImageFrame } from '../../src/viewer/nativeImage';

const RLE = '1.2.840.10008.1.2.5';

interface Task {
  imageFrame: { rows: number; columns: number; bitsAllocated: number };
  transferSyntax: string;
  pixelData: Uint8Array;
}

// The frame files' URLs are root-relative paths of the project (Vite's `?url` in tests): served from disk.
beforeEach(() => {
  vi.stubGlobal('fetch', async (url: string) => new Response(readFileSync(join(__dirname, '../..', url))));
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

/** The decode tasks the warm-up posts, each answered at once; every one must be a decodeTask of the decode worker. */
function recordedTasks(): Task[] {
  const tasks: Task[] = [];
  const manager = getWebWorkerManager() as unknown as { executeTask: (...args: unknown[]) => Promise<unknown> };
  vi.spyOn(manager, 'executeTask').mockImplementation(async (worker, method, args) => {
    expect([worker, method]).toEqual([DECODE_WORKER, 'decodeTask']);
    tasks.push(args as Task);
    return {};
  });
  return tasks;
}

describe('codec warm-up', () => {
  it('decodes an 8-bit and a 16-bit RLE frame on every worker, frames the RLE decoder reads whole', async () => {
    const tasks = recordedTasks();
    expect(await warmUpDecoders(2)).toEqual([]);

    const rle = tasks.filter((t) => t.transferSyntax === RLE);
    expect(rle.map((t) => t.imageFrame.bitsAllocated).sort()).toEqual([16, 16, 8, 8]);
    for (const task of rle) {
      const { rows, columns, bitsAllocated } = task.imageFrame;
      // Large enough for V8 to optimise the decoder's loops, not a token 32×32.
      expect(rows * columns).toBeGreaterThanOrEqual(256 * 256);
      const decoded = (await decodeImageFrame(
        { ...task.imageFrame, samplesPerPixel: 1, pixelRepresentation: 0 } as never,
        RLE,
        task.pixelData.slice(),
        {},
        { preScale: { enabled: false } } as never,
        undefined,
      )) as { pixelData: Uint8Array | Uint16Array };
      expect(decoded.pixelData.length).toBe(rows * columns);
      expect(decoded.pixelData.BYTES_PER_ELEMENT * 8).toBe(bitsAllocated);
      // Both kinds of PackBits run: flat stretches (replicate runs, so the frame is smaller than its
      // pixels) and noise (literal runs, so many values).
      expect(task.pixelData.length).toBeLessThan((rows * columns * bitsAllocated) / 8);
      expect(new Set(decoded.pixelData).size).toBeGreaterThan(100);
    }
  });

  it("warms JPEG 2000 with six passes of a 256² 8-bit frame, then one 1024² frame that touches OpenJPEG's memory as a real one would, each on every worker", async () => {
    const tasks = recordedTasks();
    expect(await warmUpDecoders(2)).toEqual([]);
    const j2k = tasks.filter((t) => t.transferSyntax === '1.2.840.10008.1.2.4.90');
    const shapes = j2k.map((t) => [t.imageFrame.rows, t.imageFrame.columns, t.imageFrame.bitsAllocated]);
    expect(shapes).toEqual([...Array(12).fill([256, 256, 8]), [1024, 1024, 16], [1024, 1024, 16]]);
    // The codestream says the size and depth the task says (SIZ: Xsiz, Ysiz, one component, Ssiz + 1).
    for (const task of j2k) {
      const bytes = task.pixelData;
      expect([bytes[2], bytes[3]]).toEqual([0xff, 0x51]);
      const view = new DataView(bytes.buffer, bytes.byteOffset);
      expect([view.getUint32(8), view.getUint32(12), view.getUint16(40)]).toEqual([task.imageFrame.columns, task.imageFrame.rows, 1]);
      expect((bytes[42] & 0x7f) + 1).toBe(task.imageFrame.bitsAllocated);
    }
  });

  it('decodes 256² frames six times on every worker: 8-bit JPEG baseline, JPEG Lossless and JPEG-LS, and those two and JPEG extended in 16 bits (one 32×32 frame left their first real frame slow)', async () => {
    const tasks = recordedTasks();
    expect(await warmUpDecoders(2)).toEqual([]);
    const warmed = [
      ['1.2.840.10008.1.2.4.50', 8],
      ['1.2.840.10008.1.2.4.70', 8],
      ['1.2.840.10008.1.2.4.80', 8],
      ['1.2.840.10008.1.2.4.70', 16],
      ['1.2.840.10008.1.2.4.80', 16],
      ['1.2.840.10008.1.2.4.51', 16],
    ] as const;
    for (const [syntax, bits] of warmed) {
      const posted = tasks.filter((t) => t.transferSyntax === syntax && t.imageFrame.bitsAllocated === bits);
      expect(posted).toHaveLength(6 * 2);
      for (const task of posted) expect([task.imageFrame.rows, task.imageFrame.columns]).toEqual([256, 256]);
      // The codestream itself says 256×256 (SOF / SOF55 height and width), so the task is true to its frame.
      const bytes = posted[0].pixelData;
      const sof = [...bytes.keys()].find((i) => bytes[i] === 0xff && [0xc0, 0xc1, 0xc3, 0xf7].includes(bytes[i + 1]))!;
      expect([(bytes[sof + 5] << 8) | bytes[sof + 6], (bytes[sof + 7] << 8) | bytes[sof + 8]]).toEqual([256, 256]);
      // 8-bit tasks carry 8-bit codestreams, 16-bit ones more than 8 bits (the precision byte).
      expect(bits === 8 ? bytes[sof + 4] === 8 : bytes[sof + 4] > 8).toBe(true);
    }
  });

  it('names a codec whose frame file could not be fetched, and still warms the others', async () => {
    const tasks = recordedTasks();
    vi.stubGlobal('fetch', async (url: string) =>
      url.endsWith('.jls') ? new Response('', { status: 404 }) : new Response(readFileSync(join(__dirname, '../..', url))),
    );
    expect(await warmUpDecoders(1)).toEqual(['JPEG_LS', 'JPEG_LS_16']);
    expect(tasks.filter((t) => t.transferSyntax === '1.2.840.10008.1.2.4.80')).toEqual([]);
    expect(tasks.filter((t) => t.transferSyntax === '1.2.840.10008.1.2.4.50')).toHaveLength(6);
  });

  it("posts each frame's fields in the shape a real frame's decode task has (the decoders' optimised code checks it)", async () => {
    const tasks = recordedTasks();
    await warmUpDecoders(1);
    const pixelModule = { samplesPerPixel: 1, photometricInterpretation: 'MONOCHROME2', planarConfiguration: 0, rows: 8, columns: 8 };
    const provider = (type: string, imageId: string) => (type === 'imagePixelModule' && imageId === 'shape:1' ? pixelModule : undefined);
    metaData.addProvider(provider as never, 20000);
    const real = workerImageFrame(getImageFrame('shape:1') as unknown as Record<string, unknown>, undefined);
    metaData.removeProvider(provider as never);
    for (const task of tasks) expect(Object.keys(task.imageFrame)).toEqual(Object.keys(real));
  });
});
