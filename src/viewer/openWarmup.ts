import dcmjs from 'dcmjs';
import { cache, type StackViewport } from '@cornerstonejs/core';
import type { OpenedRun } from '../dicom/run';
import { TS } from '../dicom/uids';
import { blobSource } from '../io/byteSources';
import { openFiles } from '../io/openFiles';
import { FIRST_FRAME_LOAD, loadFrameImage, WHOLE_RUN_LOAD } from './frameImageLoader';
import { imageIdsFor } from './imageIds';
import {
  DicomWebClient,
  encodeMultipartRelated,
  instancePath,
  openRemoteSeries,
  openedRunFromRemote,
  type InstanceRef,
} from '../io/dicomweb';

/**
 * Opens two tiny made-up cine runs the way a chosen file is opened (header, frame index, RunInfo,
 * frame reads, image building, metadata, setStack, a frame change) in the hidden warm-up viewport,
 * before any file is chosen, and the first of them once more as a PACS series (warmUpSeries). The first file a page opens otherwise runs all of that code cold: it
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
/** Never reached: the warm-up series' client answers from memory. */
const WARM_UP_DICOMWEB_BASE = 'https://fluorolens-warm-up.invalid/dicom-web';

/** Both pixel types at the two usual matrix sizes: 8-bit 512² and 12-bits-in-16 1024². */
const SHAPES = [
  { size: 512, bits: 8 },
  { size: 1024, bits: 16 },
] as const;

function uid(n: number): string {
  return `${UID_ROOT}${n}`;
}

interface WarmUpDataset {
  meta: Record<string, { vr: string; Value: unknown[] }>;
  dataset: Record<string, { vr: string; Value: unknown[] }>;
  pixels: Uint8Array | Uint16Array;
}

/** An XA cine of FRAMES frames: a ramp, so window and min/max have something to find. */
function warmUpDataset(size: number, bits: 8 | 16, serial: number): WarmUpDataset {
  const pixels = bits === 8 ? new Uint8Array(size * size * FRAMES) : new Uint16Array(size * size * FRAMES);
  const max = bits === 8 ? 255 : 4095;
  for (let i = 0; i < pixels.length; i++) pixels[i] = ((i % size) * max) / (size - 1);
  const sopInstanceUID = uid(serial * 10 + 3);
  return {
    meta: {
      '00020001': { vr: 'OB', Value: [new Uint8Array([0, 1]).buffer] },
      '00020002': { vr: 'UI', Value: [XA_IMAGE_STORAGE] },
      '00020003': { vr: 'UI', Value: [sopInstanceUID] },
      '00020010': { vr: 'UI', Value: [TS.explicitLittle] },
    },
    dataset: {
      '00080016': { vr: 'UI', Value: [XA_IMAGE_STORAGE] },
      '00080018': { vr: 'UI', Value: [sopInstanceUID] },
      '00080060': { vr: 'CS', Value: ['XA'] },
      '00181063': { vr: 'DS', Value: [66.7] },
      '00280002': { vr: 'US', Value: [1] },
      '00280004': { vr: 'CS', Value: ['MONOCHROME2'] },
      '00280008': { vr: 'IS', Value: [FRAMES] },
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
    },
    pixels,
  };
}

/** The data set as a Part 10 file, as a user would choose it. */
function warmUpFile({ meta, dataset, pixels }: WarmUpDataset, name: string): File {
  const dict = new DicomDict(meta);
  dict.dict = {
    ...dataset,
    '00280009': { vr: 'AT', Value: [0x00181063] },
    '7FE00010': { vr: pixels instanceof Uint8Array ? 'OB' : 'OW', Value: [pixels.buffer] },
  };
  return new File([new Uint8Array(dict.write() as ArrayBuffer)], name);
}

/**
 * The data set as a DICOMweb series, served from memory by the client's own fetch (no request
 * leaves the page): series metadata as DICOM JSON and frames as multipart/related in the stored
 * syntax, as Orthanc answers them. The first PACS series opened otherwise runs the client,
 * multipart reader, metadata mapping and frame batching cold: 725 KB of code and 0.5 MB of
 * objects more than a local open of the corpus cine in a heap-snapshot diff; with this warm-up
 * both opens grow alike (≈600 KB of code, mostly what V8 optimises while the frames decode).
 */
function warmUpSeries({ meta, dataset, pixels }: WarmUpDataset): { client: DicomWebClient; ref: InstanceRef } {
  const ref = {
    studyInstanceUID: String(dataset['0020000D'].Value[0]),
    seriesInstanceUID: String(dataset['0020000E'].Value[0]),
    sopInstanceUID: String(dataset['00080018'].Value[0]),
  };
  const frameBytes = pixels.byteLength / FRAMES;
  const frame = (n: number) => new Uint8Array(pixels.buffer, (n - 1) * frameBytes, frameBytes);
  const metadata = [
    {
      ...dataset,
      '00020010': meta['00020010'],
      '00280009': { vr: 'AT', Value: ['00181063'] },
      '7FE00010': { vr: pixels instanceof Uint8Array ? 'OB' : 'OW', BulkDataURI: `${instancePath(ref)}/frames/1` },
    },
  ];
  const serve: typeof fetch = (input) => {
    const url = String(input instanceof Request ? input.url : input);
    if (url.endsWith('/metadata')) {
      return Promise.resolve(new Response(JSON.stringify(metadata), { headers: { 'content-type': 'application/dicom+json' } }));
    }
    const frames = /\/frames\/([\d,]+)$/.exec(url)?.[1]?.split(',').map(Number) ?? [];
    if (frames.length === 0 || frames.some((n) => !(n >= 1 && n <= FRAMES))) return Promise.resolve(new Response(null, { status: 404 }));
    const { contentType, body } = encodeMultipartRelated(
      frames.map((n) => ({
        contentType: `application/octet-stream; transfer-syntax=${TS.explicitLittle}`,
        body: frame(n),
        headers: { 'Content-Location': `${instancePath(ref)}/frames/${n}` },
      })),
      'application/octet-stream',
    );
    return Promise.resolve(new Response(body, { headers: { 'content-type': contentType } }));
  };
  return { client: new DicomWebClient({ baseUrl: WARM_UP_DICOMWEB_BASE, fetch: serve }), ref };
}

/**
 * Shows `run` in `viewport` as the app shows a chosen run: frame 1, then frame 2 as a run decoded
 * whole loads it. Leaves nothing behind (the run, its cached frames).
 */
async function showWarmUpRun(run: OpenedRun, viewport: StackViewport, rendered: () => Promise<void>): Promise<void> {
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
  } finally {
    warmUpRuns.delete(run.key);
    for (const imageId of imageIds) if (cache.getImageLoadObject(imageId)) cache.removeImageLoadObject(imageId);
  }
}

/**
 * Runs the open path for each shape from a file, then the 512² one as a PACS series, in
 * `viewport` (hidden, of the app's rendering engine); `rendered` resolves when the viewport has
 * drawn. Resolves with the number of runs that went the whole way (the warm-up mark's `runsShown`).
 */
export async function warmUpOpening(viewport: StackViewport, rendered: () => Promise<void>): Promise<number> {
  let shown = 0;
  for (const [serial, { size, bits }] of SHAPES.entries()) {
    const file = warmUpFile(warmUpDataset(size, bits, serial + 1), `fluorolens-warm-up-${size}.dcm`);
    const { runs } = await openFiles([{ source: blobSource(file, file.name), path: file.name }]);
    if (!runs[0]) continue;
    await showWarmUpRun(runs[0], viewport, rendered);
    shown++;
  }
  const { client, ref } = warmUpSeries(warmUpDataset(SHAPES[0].size, SHAPES[0].bits, SHAPES.length + 1));
  const { runs } = await openRemoteSeries(client, ref, { firstInstance: ref });
  if (runs[0]) {
    const { run, frames } = openedRunFromRemote(client, runs[0], { prefetch: true });
    try {
      await showWarmUpRun(run, viewport, rendered);
      shown++;
    } finally {
      frames.cancel();
    }
  }
  return shown;
}
