/**
 * Generates the sample runs and their ground truth. Deterministic: seeded PRNG, fixed UIDs and
 * dates, no clock or randomness from the environment, so every run of the generator produces
 * byte-identical files (tests/unit/samples.test.ts checks this against sample-dicom/).
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fnv1aPixelHash } from '../../src/dicom/pixelHash';
import { toBigEndian } from './bigEndian';
import { writeInstance, uids, TS_EXPLICIT_BE, TS_EXPLICIT_LE, TS_RLE, type InstanceInput } from './dicom';
import { encodeGreyPng } from './png';
import { encodeRleFrame } from '../../src/dicom/rleEncode';
import { DISPLAY_RUNS } from './displayRuns';
import { DsaScene, type DsaTruth } from './dsa';
import { writeDoseReport, DOSE_REPORT_NAME } from './doseReport';
import { RUNS, type RunSpec } from './runs';
import { RunScene, type Collimation } from './scene';

/** Every run the generator writes, in order. */
export const ALL_RUNS: RunSpec[] = [...RUNS, ...DISPLAY_RUNS];

export interface RunTruth {
  run: string;
  description: string;
  synthetic: true;
  generator: string;
  layout: 'multiframe' | 'series';
  /** Paths relative to sample-dicom/, in frame order (a series: the file holding frame k). */
  files: string[];
  studyInstanceUID: string;
  seriesInstanceUID: string;
  sopInstanceUIDs: string[];
  instanceNumbers: number[];
  rows: number;
  columns: number;
  frames: number;
  bitsAllocated: number;
  bitsStored: number;
  highBit: number;
  photometricInterpretation: 'MONOCHROME2';
  transferSyntaxUID: string;
  /** Encapsulated runs: one fragment per frame; the Basic Offset Table is "filled" or "empty". */
  encapsulation: { basicOffsetTable: 'filled' | 'empty'; fragmentsPerFrame: 1 } | null;
  timingSource: 'Frame Time' | 'Frame Time Vector' | 'Acquisition Time';
  frameTimeMs?: number;
  frameTimeVectorMs?: number[];
  /** Series: seconds between consecutive Acquisition/Content Times. */
  acquisitionIntervalS?: number;
  /** Start of each frame relative to frame 1, ms (from the attributes above). */
  frameStartMs: number[];
  cineRate: number | null;
  recommendedDisplayFrameRate: number | null;
  imagerPixelSpacingMm: [number, number];
  ermf: number;
  /** Imager Pixel Spacing / ERMF: millimetres per pixel in the patient plane (row, column). */
  patientPlaneSpacingMm: [number, number];
  positioner: { primaryAngleDeg: number; secondaryAngleDeg: number };
  /** The run's window; in a series windowed image by image, instance 1's. */
  window: { center: number; width: number };
  /** A series windowed image by image: each instance's window, by Instance Number (instance k at k − 1). */
  windowsByInstance?: Array<{ center: number; width: number }>;
  conventions: { pixelCoordinates: string; pixelValues: string; needle: string; contrastArea: string; frameHashes: string };
  /** Exposed: inside the circle, and between the blades / inside the rectangle / inside or on the polygon where given. */
  collimation: Collimation;
  target: { x: number; y: number; kind: string; label: string };
  needleHub: { x: number; y: number };
  needleTip: Array<{ frame: number; x: number; y: number }>;
  /** First frame whose tip is at the target. */
  needleAtTargetFrame: number;
  contrastOnsetFrame: number;
  contrastAreaPx: Array<{ frame: number; areaPx: number }>;
  frameHashes: string[];
  /** Irradiation Event UID written in the file (runs the dose report names), when any. */
  irradiationEventUID?: string;
  /** DSA runs: value mapping, mask phase, patient motion, the blush (dsa.ts). */
  dsa?: DsaTruth;
}

export interface GenerateOptions {
  outDir: string;
  /** Run names to generate (default: all). */
  only?: string[];
  /** Write one PNG of a late frame of each run here. */
  previewDir?: string;
  log?: (line: string) => void;
}

export interface GeneratedRun {
  name: string;
  /** Paths relative to outDir, including the truth file. */
  outputs: string[];
  bytes: number;
  ms: number;
}

const CONVENTIONS: RunTruth['conventions'] = {
  pixelCoordinates:
    'x = column, y = row, 0-based, in pixels; integer coordinates are pixel CENTRES: (0,0) is the centre of the top-left pixel, which spans [-0.5, 0.5] in x and y. Shapes were sampled at pixel centres.',
  pixelValues:
    'MONOCHROME2, values rise with attenuation (Pixel Intensity Relationship DISP): bone, the needle and iodinated contrast are BRIGHT (contrast raises values), soft tissue grey, bowel gas darker; collimated areas (outside the circle and the blades) are exactly 0.',
  needle:
    'needleTip is the end of the shaft centre line (the drawn shaft, about 0.72 mm wide, has a round cap there); needleHub is the other end of the shaft, where the hub block (drawn behind it) starts. Tip positions are rounded to 0.01 px and the image was drawn from the rounded values.',
  contrastArea:
    'Number of pixels inside the exposed field whose centre lies inside the contrast blob (union of its lobes) as rendered, counted even where the needle is drawn over it; 0 before contrastOnsetFrame.',
  frameHashes:
    "fnv1aPixelHash (src/dicom/pixelHash.ts): FNV-1a 32-bit, lowercase hex, over the frame's stored values in row-major order, each value contributing (v & 0xFF) then ((v >> 8) & 0xFF).",
};

const DSA_PIXEL_VALUES =
  'MONOCHROME2, values proportional to X-ray intensity (Pixel Intensity Relationship LIN): bone, the needle and iodinated contrast are DARK (contrast lowers values), soft tissue brighter; outside the shutter the value is exactly 0 (see dsa.valueMapping).';

function frameTiming(
  spec: RunSpec,
): Pick<
  RunTruth,
  | 'timingSource'
  | 'frameTimeMs'
  | 'frameTimeVectorMs'
  | 'acquisitionIntervalS'
  | 'frameStartMs'
  | 'cineRate'
  | 'recommendedDisplayFrameRate'
> {
  const t = spec.timing;
  const starts: number[] = [];
  const round6 = (x: number): number => Math.round(x * 1e6) / 1e6;
  if (t.kind === 'frameTime') {
    const ft = Number(t.frameTimeMs);
    for (let k = 0; k < spec.frames; k++) starts.push(round6(k * ft));
    return { timingSource: 'Frame Time', frameTimeMs: ft, frameStartMs: starts, cineRate: t.fps, recommendedDisplayFrameRate: t.fps };
  }
  if (t.kind === 'frameTimeVector') {
    const v = t.vectorMs.map(Number);
    let acc = 0;
    for (const x of v) starts.push(round6((acc += x)));
    const fps = Math.round(((spec.frames - 1) * 1000) / acc);
    return {
      timingSource: 'Frame Time Vector',
      frameTimeVectorMs: v,
      frameStartMs: starts,
      cineRate: fps,
      recommendedDisplayFrameRate: fps,
    };
  }
  for (let k = 0; k < spec.frames; k++) starts.push(k * t.intervalS * 1000);
  return {
    timingSource: 'Acquisition Time',
    acquisitionIntervalS: t.intervalS,
    frameStartMs: starts,
    cineRate: null,
    recommendedDisplayFrameRate: null,
  };
}

/** Generates one run into outDir. */
export function generateRun(spec: RunSpec, runIndex: number, opts: GenerateOptions): GeneratedRun {
  const t0 = performance.now();
  const scene = spec.dsa ? new DsaScene(spec) : new RunScene(spec);
  const n = spec.size;
  const bytesPerSample = spec.bitsAllocated === 8 ? 1 : 2;
  const window = scene.displayWindow();
  const isNative = spec.storage === 'native' || spec.storage === 'native-big-endian';
  const bigEndian = spec.storage === 'native-big-endian';
  const transferSyntax = bigEndian ? TS_EXPLICIT_BE : isNative ? TS_EXPLICIT_LE : TS_RLE;

  const tips: RunTruth['needleTip'] = [];
  const areas: RunTruth['contrastAreaPx'] = [];
  const hashes: string[] = [];
  const encoded: Uint8Array[] = [];
  const native = spec.layout === 'multiframe' && isNative ? new Uint8Array(n * n * bytesPerSample * spec.frames) : null;
  const seriesFrames: Uint8Array[] = [];
  const previewFrame = Math.max(1, Math.round(spec.frames * 0.8));
  let preview: Uint8Array | null = null;

  for (let f = 1; f <= spec.frames; f++) {
    const r = scene.renderFrame(f);
    tips.push({ frame: f, x: r.tip.x, y: r.tip.y });
    areas.push({ frame: f, areaPx: r.contrastAreaPx });
    hashes.push(fnv1aPixelHash(r.pixels));
    const raw = new Uint8Array(r.pixels.buffer, r.pixels.byteOffset, r.pixels.byteLength); // little-endian host
    if (!isNative) encoded.push(encodeRleFrame(r.pixels, n, n, bytesPerSample));
    else if (native) native.set(raw, (f - 1) * raw.length);
    else seriesFrames.push(raw.slice());
    if (f === previewFrame && opts.previewDir) {
      preview = new Uint8Array(n * n);
      for (let i = 0; i < preview.length; i++)
        preview[i] = Math.max(0, Math.min(255, Math.round((r.pixels[i] - scene.offset) / scene.gain)));
    }
  }

  const outputs: string[] = [];
  let bytes = 0;
  const write = (rel: string, data: Uint8Array | string): void => {
    writeFileSync(join(opts.outDir, rel), data);
    outputs.push(rel);
    bytes += typeof data === 'string' ? Buffer.byteLength(data) : data.length;
  };
  const base: Omit<InstanceInput, 'instance' | 'frameCount'> = { spec, runIndex, collimation: scene.collimation, window, transferSyntax };

  let files: string[];
  let sops: string[];
  let instanceNumbers: number[];
  let windowsByInstance: RunTruth['windowsByInstance'];
  if (spec.layout === 'multiframe') {
    const rel = `${spec.name}.dcm`;
    const input = { ...base, instance: 1, frameCount: spec.frames };
    const data = !native
      ? writeInstance(input, { kind: 'encapsulated', frames: encoded, basicOffsetTable: spec.storage === 'rle-bot' })
      : bigEndian
        ? // Written little endian with OW Pixel Data (as 8-bit data may be), then re-encoded by DCMTK.
          toBigEndian(writeInstance({ ...input, transferSyntax: TS_EXPLICIT_LE }, { kind: 'native', bytes: native, vr: 'OW' }))
        : writeInstance(input, { kind: 'native', bytes: native });
    write(rel, data);
    files = [rel];
    sops = [uids.sop(runIndex, 1)];
    instanceNumbers = [1];
  } else {
    const order = spec.fileOrder ?? seriesFrames.map((_, i) => i + 1);
    if (order.length !== spec.frames) throw new Error(`${spec.name}: fileOrder must list ${spec.frames} instances`);
    rmSync(join(opts.outDir, spec.name), { recursive: true, force: true });
    mkdirSync(join(opts.outDir, spec.name), { recursive: true });
    const fileOfInstance = new Map<number, string>();
    if (spec.windowSteps && spec.windowSteps.length !== spec.frames)
      throw new Error(`${spec.name}: windowSteps must list ${spec.frames} instances`);
    windowsByInstance = spec.windowSteps?.map(([center, width]) => ({
      center: Math.round(window.center + center * scene.gain),
      width: Math.round(window.width + width * scene.gain),
    }));
    order.forEach((instance, k) => {
      const rel = `${spec.name}/IM${String(k + 1).padStart(4, '0')}.dcm`;
      fileOfInstance.set(instance, rel);
      const frame = seriesFrames[instance - 1];
      if (spec.storage !== 'native') throw new Error('series are written native little endian');
      const own = windowsByInstance?.[instance - 1] ?? window;
      write(rel, writeInstance({ ...base, window: own, instance, frameCount: 1 }, { kind: 'native', bytes: frame }));
    });
    instanceNumbers = seriesFrames.map((_, i) => i + 1);
    files = instanceNumbers.map((k) => fileOfInstance.get(k) as string);
    sops = instanceNumbers.map((k) => uids.sop(runIndex, k));
  }

  const atTarget = tips.find((t) => t.x === scene.target.x && t.y === scene.target.y);
  const onset = areas.find((a) => a.areaPx > 0);
  const spacing = spec.imagerPixelSpacingMm;
  const truth: RunTruth = {
    run: spec.name,
    description: spec.description,
    synthetic: true,
    generator: 'scripts/make-samples.ts (npm run samples)',
    layout: spec.layout,
    files,
    studyInstanceUID: uids.study(spec.study),
    seriesInstanceUID: uids.series(runIndex),
    sopInstanceUIDs: sops,
    instanceNumbers,
    rows: n,
    columns: n,
    frames: spec.frames,
    bitsAllocated: spec.bitsAllocated,
    bitsStored: spec.bitsStored,
    highBit: spec.bitsStored - 1,
    photometricInterpretation: 'MONOCHROME2',
    transferSyntaxUID: transferSyntax,
    encapsulation: isNative ? null : { basicOffsetTable: spec.storage === 'rle-bot' ? 'filled' : 'empty', fragmentsPerFrame: 1 },
    ...frameTiming(spec),
    imagerPixelSpacingMm: [spacing, spacing],
    ermf: spec.ermf,
    patientPlaneSpacingMm: [Number((spacing / spec.ermf).toFixed(6)), Number((spacing / spec.ermf).toFixed(6))],
    positioner: { primaryAngleDeg: spec.primaryDeg, secondaryAngleDeg: spec.secondaryDeg },
    window,
    ...(windowsByInstance ? { windowsByInstance } : {}),
    conventions: spec.dsa ? { ...CONVENTIONS, pixelValues: DSA_PIXEL_VALUES } : CONVENTIONS,
    collimation: scene.collimation,
    target: { x: scene.target.x, y: scene.target.y, kind: spec.target.kind, label: spec.target.label },
    needleHub: scene.hub,
    needleTip: tips,
    needleAtTargetFrame: atTarget ? atTarget.frame : -1,
    contrastOnsetFrame: onset ? onset.frame : -1,
    contrastAreaPx: areas,
    frameHashes: hashes,
  };
  if (spec.irradiationEvent !== undefined) truth.irradiationEventUID = uids.irradiationEvent(spec.irradiationEvent);
  if (scene instanceof DsaScene) truth.dsa = scene.truth();
  write(`${spec.name}.truth.json`, JSON.stringify(truth, null, 2) + '\n');

  if (preview && opts.previewDir) {
    mkdirSync(opts.previewDir, { recursive: true });
    writeFileSync(join(opts.previewDir, `${spec.name}-frame${previewFrame}.png`), encodeGreyPng(preview, n, n));
  }
  return { name: spec.name, outputs, bytes, ms: performance.now() - t0 };
}

/** Generates the selected runs (all by default) and the case's dose report into opts.outDir. */
export function generateSamples(opts: GenerateOptions): GeneratedRun[] {
  mkdirSync(opts.outDir, { recursive: true });
  const known = [...ALL_RUNS.map((r) => r.name), DOSE_REPORT_NAME];
  const unknown = (opts.only ?? []).filter((name) => !known.includes(name));
  if (unknown.length) throw new Error(`unknown run(s): ${unknown.join(', ')}; known: ${known.join(', ')}`);
  const results: GeneratedRun[] = [];
  ALL_RUNS.forEach((spec, index) => {
    if (opts.only && !opts.only.includes(spec.name)) return;
    const r = generateRun(spec, spec.uidIndex ?? index, opts);
    opts.log?.(`${r.name}: ${r.outputs.length} file(s), ${(r.bytes / 1e6).toFixed(2)} MB, ${Math.round(r.ms)} ms`);
    results.push(r);
  });
  if (!opts.only || opts.only.includes(DOSE_REPORT_NAME)) {
    const r = writeDoseReport(opts.outDir, ALL_RUNS);
    opts.log?.(`${r.name}: ${r.outputs.length} file(s), ${(r.bytes / 1e6).toFixed(3)} MB`);
    results.push(r);
  }
  return results;
}
