// @vitest-environment jsdom
import { getWebWorkerManager, metaData } from '@cornerstonejs/core';
import { createImage, decodeImageFrame } from '@cornerstonejs/dicom-image-loader';
import { expose, wrap, type Remote } from 'comlink';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { bufferSource } from '../../src/dicom/byteSource';
import type { OpenedRun } from '../../src/dicom/run';
import { openFiles } from '../../src/io/openFiles';
import { createFrameImageLoader, FIRST_FRAME_LOAD, WHOLE_RUN_LOAD } from '../../src/viewer/frameImageLoader';
import { imageIdFor } from '../../src/viewer/imageIds';
import { createMetadataProvider } from '../../src/viewer/metadataProvider';
import {
  buildNativeImage,
  buildsDecodedImage,
  buildsNativeImage,
  decodeHereToImage,
  decodesHere,
  decodeToImage,
} from '../../src/viewer/nativeImage';
import { encodeRleFrame } from '../../src/dicom/rleEncode';
import { buildDicom, el, imageElements } from '../support/dicom/syntheticDicom';

/** The runs these tests opened, found by key as the session finds them in the app. */
const openRuns = new Map<string, OpenedRun>();

/**
 * The main-thread image of a native frame must be the one the dicom-image-loader makes for it
 * (createImage, whose worker decode runs in-process here): same pixel values and array type, same
 * min/max and window, same fields.
 */
let workerTasks: ReturnType<typeof vi.spyOn>;
let channel: MessageChannel;

beforeAll(() => {
  metaData.addProvider(createMetadataProvider((key) => openRuns.get(key)) as never, 10000);
  // A worker as comlink reaches it (a message port): arguments are structured-cloned, or transferred
  // when marked so, and the answer comes back cloned.
  channel = new MessageChannel();
  expose(
    {
      decodeTask: ({ imageFrame, transferSyntax, pixelData, decodeConfig, options }: Record<string, never>) =>
        decodeImageFrame(imageFrame, transferSyntax, pixelData, decodeConfig, options, undefined),
    },
    channel.port2 as never,
  );
  const worker = wrap<{ decodeTask(args: unknown): Promise<unknown> }>(channel.port1 as never) as Remote<{
    decodeTask(args: unknown): Promise<unknown>;
  }>;
  const manager = getWebWorkerManager() as unknown as { executeTask: (...args: unknown[]) => Promise<unknown> };
  workerTasks = vi.spyOn(manager, 'executeTask').mockImplementation(async (_worker, _method, args) => worker.decodeTask(args));
});

afterAll(() => {
  channel.port1.close();
  channel.port2.close();
});

const RLE = '1.2.840.10008.1.2.5';

interface Case {
  name: string;
  bits: 8 | 16;
  photometric?: string;
  pixels: (n: number) => number;
  extra?: ReturnType<typeof el>[];
  transferSyntax?: string;
  size?: [rows: number, columns: number];
  bitsStored?: number;
  highBit?: number;
}

async function runOf(c: Case) {
  const [rows, columns] = c.size ?? [16, 24];
  const values = Array.from({ length: rows * columns * 2 }, (_, i) => c.pixels(i));
  const bytes = c.bits === 8 ? Uint8Array.from(values) : new Uint8Array(Uint16Array.from(values).buffer);
  const frameValues = (f: number) => values.slice(f * rows * columns, (f + 1) * rows * columns);
  const rleFrame = (f: number) =>
    encodeRleFrame(c.bits === 8 ? Uint8Array.from(frameValues(f)) : Uint16Array.from(frameValues(f)), rows, columns, (c.bits / 8) as 1 | 2);
  const file = buildDicom({
    transferSyntaxUID: c.transferSyntax ?? '1.2.840.10008.1.2.1',
    elements: imageElements({
      rows,
      columns,
      frames: 2,
      bitsAllocated: c.bits,
      bitsStored: c.bitsStored,
      highBit: c.highBit,
      studyUID: `2.25.${c.bits}`,
      extra: [el(0x00280004, 'CS', c.photometric ?? 'MONOCHROME2'), ...(c.extra ?? [])],
    }),
    pixelData: c.transferSyntax === RLE ? { kind: 'encapsulated', fragments: [rleFrame(0), rleFrame(1)] } : { kind: 'native', bytes },
  });
  const { runs } = await openFiles([{ source: bufferSource(`${c.name}.dcm`, file), path: `${c.name}.dcm` }]);
  openRuns.set(runs[0].key, runs[0]);
  return { run: runs[0], file };
}

function comparable(image: Record<string, unknown>) {
  const { imageFrame, voxelManager: _v, getPixelData: _g, decodeTimeInMS: _d, ...rest } = image;
  const { decodeTimeInMS: _t, pixelData, ...frame } = imageFrame as Record<string, unknown>;
  const pixels = pixelData as ArrayLike<number>;
  return { ...rest, frame, pixelType: (pixels as object).constructor.name, pixels: Array.from(pixels) };
}

/** Frames 1 and 2 of a run: their id, syntax, bytes as read, and the image createImage makes of them. */
async function framesOf(run: OpenedRun) {
  return Promise.all(
    [1, 2].map(async (frame) => {
      const imageId = imageIdFor(run.key, frame);
      const ref = run.frames[frame - 1];
      if (!ref.ok) throw new Error(ref.reason);
      const bytes = await ref.source.read();
      const reference = async () =>
        comparable((await createImage(imageId, bytes.slice(), ref.transferSyntaxUID, { useRGBA: false })) as never);
      return { imageId, transferSyntaxUID: ref.transferSyntaxUID, bytes, reference };
    }),
  );
}

const cases: Case[] = [
  { name: 'u8', bits: 8, pixels: (i) => (i * 37) & 0xff },
  { name: 'u8-flat', bits: 8, pixels: () => 7 },
  {
    name: 'u8-mono1-window',
    bits: 8,
    photometric: 'MONOCHROME1',
    pixels: (i) => i & 0x7f,
    extra: [el(0x00281050, 'DS', '60'), el(0x00281051, 'DS', '100')],
  },
  { name: 'u16-12bit', bits: 16, pixels: (i) => (i * 97) & 0x0fff },
  { name: 'u16-small-values', bits: 16, pixels: (i) => (i * 5) & 0xff },
  { name: 'u16-full', bits: 16, pixels: (i) => (i * 2971) & 0xffff, extra: [el(0x00281056, 'CS', 'SIGMOID')] },
  { name: 'implicit-u8', bits: 8, pixels: (i) => (i * 11) & 0xff, transferSyntax: '1.2.840.10008.1.2' },
  // Big endian: 16-bit words are swapped here as the loader's worker swaps them; 8-bit OW pairs are put back in order when read.
  { name: 'big-endian-u16', bits: 16, pixels: (i) => (i * 2971) & 0xffff, transferSyntax: '1.2.840.10008.1.2.2' },
  { name: 'big-endian-u16-small-values', bits: 16, pixels: (i) => (i * 5) & 0xff, transferSyntax: '1.2.840.10008.1.2.2' },
  { name: 'big-endian-u8', bits: 8, pixels: (i) => (i * 37) & 0xff, transferSyntax: '1.2.840.10008.1.2.2' },
];

describe('native frames built on the main thread', () => {
  for (const c of cases) {
    it(`${c.name}: the same image as createImage`, async () => {
      const { run } = await runOf(c);
      for (const { imageId, transferSyntaxUID, bytes, reference } of await framesOf(run)) {
        expect(buildsNativeImage(imageId, transferSyntaxUID)).toBe(true);
        const ours = buildNativeImage(imageId, bytes.slice(), transferSyntaxUID);
        expect(comparable(ours as never)).toEqual(await reference());
      }
    });
  }

  it("carries the file's VOI LUT Function whole, in ours and in createImage's (a plain string gave it its first letter)", async () => {
    const sigmoid = cases.find((c) => c.name === 'u16-full')!;
    for (const fn of ['SIGMOID', 'LINEAR_EXACT', 'LINEAR']) {
      const { run } = await runOf({ ...sigmoid, name: `voi-function-${fn}`, extra: [el(0x00281056, 'CS', fn)] });
      const [{ imageId, transferSyntaxUID, bytes, reference }] = await framesOf(run);
      expect(buildNativeImage(imageId, bytes.slice(), transferSyntaxUID).voiLUTFunction).toBe(fn);
      expect(((await reference()) as Record<string, unknown>).voiLUTFunction).toBe(fn);
    }
  });

  for (const c of cases.filter((k) => !k.transferSyntax)) {
    it(`${c.name} in RLE: decoded in the worker, the same image as createImage`, async () => {
      const { run } = await runOf({ ...c, name: `${c.name}-rle`, transferSyntax: RLE });
      for (const { imageId, transferSyntaxUID, bytes, reference } of await framesOf(run)) {
        expect(buildsNativeImage(imageId, transferSyntaxUID)).toBe(false);
        expect(buildsDecodedImage(imageId, transferSyntaxUID)).toBe(true);
        const tasksBefore = workerTasks.mock.calls.length;
        const handed = bytes.slice();
        const ours = await decodeToImage(imageId, handed, transferSyntaxUID, { priority: -10 });
        // Bytes that fill their own buffer are transferred to the worker, not copied.
        expect(handed.byteLength).toBe(0);
        // Posted to the decode workers (never decoded in the calling thread), with its priority.
        expect(workerTasks.mock.calls.length).toBe(tasksBefore + 1);
        expect(workerTasks.mock.calls.at(-1)?.slice(0, 2)).toEqual(['dicomImageLoader', 'decodeTask']);
        expect(workerTasks.mock.calls.at(-1)?.[3]).toMatchObject({ priority: -10 });
        expect(comparable(ours as never)).toEqual(await reference());
      }
    });
  }

  for (const c of cases.filter((k) => !k.transferSyntax)) {
    it(`${c.name} in RLE, decoded in this thread: the same image as createImage, and no worker task`, async () => {
      const { run } = await runOf({ ...c, name: `${c.name}-rle-here`, transferSyntax: RLE });
      for (const { imageId, transferSyntaxUID, bytes, reference } of await framesOf(run)) {
        expect(decodesHere(imageId, transferSyntaxUID)).toBe(true);
        const tasksBefore = workerTasks.mock.calls.length;
        const ours = await decodeHereToImage(imageId, bytes.slice());
        expect(workerTasks.mock.calls.length).toBe(tasksBefore);
        expect(comparable(ours as never)).toEqual(await reference());
      }
    });
  }

  it('takes only the Bits Stored bits of each word as its value, in native and RLE frames alike', async () => {
    // 10 bits stored; every third word carries junk in bits 10–15 (an old embedded overlay).
    const value = (i: number) => (i * 37) & 0x3ff;
    const junked = {
      name: 'junk-high-bits',
      bits: 16 as const,
      bitsStored: 10,
      pixels: (i: number) => value(i) | (i % 3 === 0 ? 0xfc00 : 0),
    };
    const expected = Array.from({ length: 16 * 24 }, (_, i) => value(i));
    const { run } = await runOf(junked);
    const [native] = await framesOf(run);
    const image = buildNativeImage(native.imageId, native.bytes.slice(), native.transferSyntaxUID);
    expect(Array.from(image.getPixelData())).toEqual(expected);
    expect([image.minPixelValue, image.maxPixelValue]).toEqual([Math.min(...expected), Math.max(...expected)]);
    // The bytes read are the file's: left as they were.
    expect(new Uint16Array(native.bytes.slice().buffer)[0]).toBe(0xfc00);
    const rle = await runOf({ ...junked, name: 'junk-high-bits-rle', transferSyntax: RLE });
    const [encoded] = await framesOf(rle.run);
    const inWorker = await decodeToImage(encoded.imageId, encoded.bytes.slice(), encoded.transferSyntaxUID, { priority: 5 });
    expect(Array.from(inWorker.getPixelData())).toEqual(expected);
    expect(inWorker.maxPixelValue).toBe(Math.max(...expected));
    const here = await decodeHereToImage(encoded.imageId, encoded.bytes.slice());
    expect(Array.from(here.getPixelData())).toEqual(expected);
    // High Bit 15 with 12 bits stored: the value sits at the top of the word.
    const high = await runOf({ name: 'msb-aligned', bits: 16, bitsStored: 12, highBit: 15, pixels: (i) => ((i * 37) & 0xfff) << 4 });
    const [aligned] = await framesOf(high.run);
    const shifted = buildNativeImage(aligned.imageId, aligned.bytes.slice(), aligned.transferSyntaxUID);
    expect(Array.from(shifted.getPixelData())).toEqual(Array.from({ length: 16 * 24 }, (_, i) => (i * 37) & 0xfff));
  });

  it('leaves to createImage what it does not cover: rescale, signed', async () => {
    const rescaled = await runOf({
      name: 'rescaled',
      bits: 16,
      pixels: (i) => i,
      extra: [el(0x00281053, 'DS', '2'), el(0x00281052, 'DS', '-10')],
    });
    const signed = await runOf({ name: 'signed', bits: 16, pixels: (i) => i, extra: [el(0x00280103, 'US', [1])] });
    const rle = await runOf({ name: 'rle', bits: 8, pixels: (i) => i & 0xff });
    expect(buildsNativeImage(imageIdFor(rescaled.run.key, 1), '1.2.840.10008.1.2.1')).toBe(false);
    expect(buildsNativeImage(imageIdFor(signed.run.key, 1), '1.2.840.10008.1.2.1')).toBe(false);
    expect(buildsNativeImage(imageIdFor(rle.run.key, 1), '1.2.840.10008.1.2.5')).toBe(false);
    expect(buildsDecodedImage(imageIdFor(rescaled.run.key, 1), RLE)).toBe(false);
    expect(buildsDecodedImage(imageIdFor(signed.run.key, 1), RLE)).toBe(false);
    expect(decodesHere(imageIdFor(rescaled.run.key, 1), RLE)).toBe(false);
    expect(decodesHere(imageIdFor(signed.run.key, 1), RLE)).toBe(false);
    expect(decodesHere(imageIdFor(rle.run.key, 1), '1.2.840.10008.1.2.4.80')).toBe(false);
    // Larger frames go to a worker: decoding them here would hold up the pane's setup for longer than the trip costs.
    const large = await runOf({ name: 'rle-large', bits: 8, pixels: (i) => i & 0xff, transferSyntax: RLE, size: [1024, 1024] });
    const justSmallEnough = await runOf({ name: 'rle-512', bits: 8, pixels: (i) => i & 0xff, transferSyntax: RLE, size: [512, 512] });
    expect(decodesHere(imageIdFor(large.run.key, 1), RLE)).toBe(false);
    expect(decodesHere(imageIdFor(justSmallEnough.run.key, 1), RLE)).toBe(true);
  });

  it('the frame the user waits for is decoded here when small; a run decoded whole goes to the workers', async () => {
    const load = createFrameImageLoader((key) => openRuns.get(key));
    const { run } = await runOf({ name: 'rle-routing', bits: 8, pixels: (i) => (i * 7) & 0xff, transferSyntax: RLE });
    const tasksBefore = workerTasks.mock.calls.length;
    const first = await load(imageIdFor(run.key, 1), FIRST_FRAME_LOAD).promise;
    expect(workerTasks.mock.calls.length).toBe(tasksBefore);
    const second = await load(imageIdFor(run.key, 2), WHOLE_RUN_LOAD).promise;
    expect(workerTasks.mock.calls.length).toBe(tasksBefore + 1);
    expect(Array.from(first.getPixelData().slice(0, 4))).toEqual([0, 7, 14, 21]);
    expect(second.getPixelData()[0]).toBe((16 * 24 * 7) & 0xff);
  });
});
