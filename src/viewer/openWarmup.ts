import dcmjs from 'dcmjs';
import { cache, type StackViewport } from '@cornerstonejs/core';
import type { OpenedRun } from '../dicom/run';
import { TS } from '../dicom/uids';
import { blobSource } from '../io/byteSources';
import { openFiles } from '../io/openFiles';
import { FIRST_FRAME_LOAD, loadFrameImage, WHOLE_RUN_LOAD } from './frameImageLoader';
import { imageIdsFor } from './imageIds';

/**
 * Opens two tiny made-up cine runs the way a chosen file is opened (header, frame index, RunInfo,
 * frame reads, image building, metadata, setStack, a frame change) in the hidden warm-up viewport,
 * before any file is chosen. The first file a page opens otherwise runs all of that code cold: it
 * was about half of a 512² raw run's first frame here (a second file opened in the same page was
 * drawn 45–65 ms after the change event, the first 95–115 ms). The runs never reach the session:
 * the image loader and metadata provider find them through `warmUpRun` only while this runs.
 */
const warmUpRuns = new Map<string, OpenedRun>();

export function warmUpRun(runKey: string): OpenedRun | undefined {
  return warmUpRuns.get(runKey);
}

const { DicomDict } = dcmjs.data;
const XA_IMAGE_STORAGE = '1.2.840.10008.5.1.4.1.1.12.1';
const UID_ROOT = '2.25.';
const FRAMES = 2;

/** Both pixel types at the two usual matrix sizes: 8-bit 512² and 12-bits-in-16 1024². */
const SHAPES = [
  { size: 512, bits: 8 },
  { size: 1024, bits: 16 },
] as const;

function uid(n: number): string {
  return `${UID_ROOT}${n}`;
}

/** A Part 10 XA cine of FRAMES frames: a ramp, so window and min/max have something to find. */
function warmUpFile(size: number, bits: 8 | 16, serial: number): File {
  const pixels = bits === 8 ? new Uint8Array(size * size * FRAMES) : new Uint16Array(size * size * FRAMES);
  const max = bits === 8 ? 255 : 4095;
  for (let i = 0; i < pixels.length; i++) pixels[i] = ((i % size) * max) / (size - 1);
  const sopInstanceUID = uid(serial * 10 + 3);
  const dict = new DicomDict({
    '00020001': { vr: 'OB', Value: [new Uint8Array([0, 1]).buffer] },
    '00020002': { vr: 'UI', Value: [XA_IMAGE_STORAGE] },
    '00020003': { vr: 'UI', Value: [sopInstanceUID] },
    '00020010': { vr: 'UI', Value: [TS.explicitLittle] },
  });
  dict.dict = {
    '00080016': { vr: 'UI', Value: [XA_IMAGE_STORAGE] },
    '00080018': { vr: 'UI', Value: [sopInstanceUID] },
    '00080060': { vr: 'CS', Value: ['XA'] },
    '00181063': { vr: 'DS', Value: [66.7] },
    '00280002': { vr: 'US', Value: [1] },
    '00280004': { vr: 'CS', Value: ['MONOCHROME2'] },
    '00280008': { vr: 'IS', Value: [FRAMES] },
    '00280009': { vr: 'AT', Value: [0x00181063] },
    '00280010': { vr: 'US', Value: [size] },
    '00280011': { vr: 'US', Value: [size] },
    '00280100': { vr: 'US', Value: [bits] },
    '00280101': { vr: 'US', Value: [bits === 8 ? 8 : 12] },
    '00280102': { vr: 'US', Value: [bits === 8 ? 7 : 11] },
    '00280103': { vr: 'US', Value: [0] },
    '00281050': { vr: 'DS', Value: [max / 2] },
    '00281051': { vr: 'DS', Value: [max] },
    '0020000D': { vr: 'UI', Value: [uid(serial * 10 + 1)] },
    '0020000E': { vr: 'UI', Value: [uid(serial * 10 + 2)] },
    '7FE00010': { vr: bits === 8 ? 'OB' : 'OW', Value: [pixels.buffer] },
  };
  return new File([new Uint8Array(dict.write() as ArrayBuffer)], `fluorolens-warm-up-${size}.dcm`);
}

/**
 * Runs the open path for each shape in `viewport` (hidden, of the app's rendering engine);
 * `rendered` resolves when the viewport has drawn. Leaves nothing behind: runs, cached frames.
 * Resolves with the number of runs that went the whole way (the warm-up mark's `runsShown`).
 */
export async function warmUpOpening(viewport: StackViewport, rendered: () => Promise<void>): Promise<number> {
  let shown = 0;
  for (const [serial, { size, bits }] of SHAPES.entries()) {
    const file = warmUpFile(size, bits, serial + 1);
    const { runs } = await openFiles([{ source: blobSource(file, file.name), path: file.name }]);
    const run = runs[0];
    if (!run) continue;
    warmUpRuns.set(run.key, run);
    const imageIds = imageIdsFor(run);
    try {
      await loadFrameImage(imageIds[0], FIRST_FRAME_LOAD);
      let drawn = rendered();
      await viewport.setStack(imageIds, 0);
      viewport.resetCamera();
      viewport.render();
      await drawn;
      await loadFrameImage(imageIds[1], WHOLE_RUN_LOAD);
      drawn = rendered();
      await viewport.setImageIdIndex(1);
      await drawn;
      shown++;
    } finally {
      warmUpRuns.delete(run.key);
      for (const imageId of imageIds) if (cache.getImageLoadObject(imageId)) cache.removeImageLoadObject(imageId);
    }
  }
  return shown;
}
