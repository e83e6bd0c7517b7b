// @vitest-environment jsdom
import { getWebWorkerManager, metaData } from '@cornerstonejs/core';
import { decodeImageFrame, getImageFrame } from '@cornerstonejs/dicom-image-loader';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { warmUpDecoders } from '../../src/viewer/codecWarmup';
import { DECODE_WORKER, workerImageFrame } from '../../src/viewer/nativeImage';

const RLE = '1.2.840.10008.1.2.5';

interface Task {
  imageFrame: { rows: number; columns: number; bitsAllocated: number };
  transferSyntax: string;
  pixelData: Uint8Array;
}

afterEach(() => vi.restoreAllMocks());

describe('codec warm-up', () => {
  it('decodes an 8-bit and a 16-bit RLE frame on every worker, frames the RLE decoder reads whole', async () => {
    const tasks: Task[] = [];
    const manager = getWebWorkerManager() as unknown as { executeTask: (...args: unknown[]) => Promise<unknown> };
    vi.spyOn(manager, 'executeTask').mockImplementation(async (worker, method, args) => {
      expect([worker, method]).toEqual([DECODE_WORKER, 'decodeTask']);
      tasks.push(args as Task);
      return {};
    });
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
    // The other codecs' tiny frames still go to each worker.
    expect(tasks.filter((t) => t.transferSyntax !== RLE)).toHaveLength(4 * 2);
  });

  it("posts each frame's fields in the shape a real frame's decode task has (the decoders' optimised code checks it)", async () => {
    const tasks: Task[] = [];
    const manager = getWebWorkerManager() as unknown as { executeTask: (...args: unknown[]) => Promise<unknown> };
    vi.spyOn(manager, 'executeTask').mockImplementation(async (_worker, _method, args) => {
      tasks.push(args as Task);
      return {};
    });
    await warmUpDecoders(1);
    const pixelModule = { samplesPerPixel: 1, photometricInterpretation: 'MONOCHROME2', planarConfiguration: 0, rows: 8, columns: 8 };
    const provider = (type: string, imageId: string) => (type === 'imagePixelModule' && imageId === 'shape:1' ? pixelModule : undefined);
    metaData.addProvider(provider as never, 20000);
    const real = workerImageFrame(getImageFrame('shape:1') as unknown as Record<string, unknown>, undefined);
    metaData.removeProvider(provider as never);
    for (const task of tasks) expect(Object.keys(task.imageFrame)).toEqual(Object.keys(real));
  });
});
