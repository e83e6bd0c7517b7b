/**
 * The sample runs: what each one shows and how it is stored. Everything that makes one run differ
 * from another lives here; phantom.ts draws the anatomy, scene.ts the frames, dicom.ts the files.
 */
import type { Side } from './phantom';

export type Storage =
  /** RLE Lossless, one fragment per frame, Basic Offset Table filled. */
  | 'rle-bot'
  /** RLE Lossless, one fragment per frame, Basic Offset Table empty (readers must walk items). */
  | 'rle-empty-bot'
  /** Explicit VR Little Endian, native pixel data. */
  | 'native'
  /** Explicit VR Big Endian, native pixel data as OW (8-bit too), re-encoded by DCMTK's dcmconv +tb. */
  | 'native-big-endian';

export type Timing =
  | { kind: 'frameTime'; frameTimeMs: string; fps: number }
  | { kind: 'frameTimeVector'; vectorMs: string[] }
  | { kind: 'seriesTimes'; intervalS: number };

export type TargetKind =
  /** Transforaminal: just below the pedicle, at its 6 o'clock position. */
  | 'pedicle-6-oclock'
  /** Medial branch: junction of superior articular process and transverse process (pedicle's 10/2 o'clock, lateral). */
  | 'sap-tp-junction';

export interface RunSpec {
  name: string;
  description: string;
  /** Output: a multi-frame file `<name>.dcm`, or a folder `<name>/` of single-frame files. */
  layout: 'multiframe' | 'series';
  size: number;
  frames: number;
  bitsAllocated: 8 | 16;
  bitsStored: number;
  storage: Storage;
  timing: Timing;
  imagerPixelSpacingMm: number;
  ermf: number;
  sidMm: number;
  sodMm: number;
  primaryDeg: number;
  secondaryDeg: number;
  kvp: number;
  tubeCurrentMa: number;
  exposureTimeMs: number;
  /** World point (mm) at the image centre; see phantom.ts. */
  viewCenterMm: [number, number];
  target: { kind: TargetKind; level: string; side: Side; label: string };
  needle: {
    /** Hub position relative to the target, mm (x right, y down). */
    hubOffsetMm: [number, number];
    /** [frame, fraction of the hub→target path] keyframes; smoothstep between them. */
    path: Array<[number, number]>;
    /** Sideways bow of the tip path at mid-advance, mm (the operator steering). */
    bowMm: number;
  };
  contrast: {
    onsetFrame: number;
    /** Final semi-major axis of the main lobe, mm, and its minor/major ratio. */
    lengthMm: number;
    aspect: number;
    /** Direction of spread from the tip, degrees from image-down, toward the target's side. */
    angleDeg: number;
    /** Growth time constant, frames. */
    tauFrames: number;
    /** Optional second (medial, epidural) lobe: starts this many frames after onset. */
    secondLobe?: { delayFrames: number; lengthMm: number; angleDeg: number };
  };
  /** Vertical collimator blades: the exposed columns are [left·size, right·size). */
  blades?: { left: number; right: number };
  /** Noise cell size in pixels (width is the mean of a random width in [w/2, 3w/2]). */
  noise: { cellW: number; cellH: number; sigma: number };
  series: { number: number; description: string };
  study: 'tfesi' | 'mbb';
  seed: number;
  /** For a series: which file (IMnnnn, 1-based) holds which instance; shuffled on purpose. */
  fileOrder?: number[];
  /**
   * For a series: each instance's window as [centre, width] changes to the run's, in 8-bit display
   * units (instance k gets the k-th), as a C-arm's automatic windowing gives each spot image its own.
   */
  windowSteps?: Array<[number, number]>;
  /** Fixes the run's UIDs (…2.<n+1>, …3.<n+1>.k) whatever its place in the list; default: its index. */
  uidIndex?: number;
  /**
   * A collimator besides the circle: a rectangle (fractions of the size; exposed columns
   * [left, right), rows [top, bottom)), or an octagon inscribed in a circle of `radius` (fraction).
   * Written as a RECTANGULAR or POLYGONAL Display Shutter instead of the circular one.
   */
  collimator?: { kind: 'rectangle'; left: number; right: number; top: number; bottom: number } | { kind: 'octagon'; radius: number };
  /** Writes an Irradiation Event UID (0008,3010): `${UID_ROOT}.5.<value>`, for the dose report to name. */
  irradiationEvent?: number;
  /** A DSA run: values proportional to intensity (LIN), a pre-contrast mask phase, patient motion, a faint blush (dsa.ts). */
  dsa?: DsaSpec;
}

export interface DsaSpec {
  /** Stored = round(i0 · exp(−mu · a)), a the attenuation in 8-bit display units; clamped to [1, 2^bits − 1]. */
  i0: number;
  mu: number;
  /** Frames 1…maskFrames are the pre-contrast mask phase (AVG_SUB, Applicable Frame Range maskFrames+1…last). */
  maskFrames: number;
  /** Patient motion: from `frame` on, everything in the patient is moved by (dx, dy) px (multiples of 1/supersample). */
  motion: Array<{ frame: number; dx: number; dy: number }>;
  /** Anatomy and needle are drawn this many times finer and averaged down, so sub-pixel motion is exact. */
  supersample: number;
  /** The faint vascular blush: a thin vessel from near the needle tip and a small cloud at its end. */
  blush: {
    /** Frames where it shows (inclusive); it rises, holds and fades inside them. */
    from: number;
    to: number;
    /** Vessel path relative to the target, mm (x right, y down), and its width (mm). */
    pathMm: Array<[number, number]>;
    widthMm: number;
    /** Cloud at the end of the path: Gaussian sigma (mm). */
    cloudSigmaMm: number;
    /** Peak attenuation added, display units (the contrast spread adds 48–75). */
    peak: number;
  };
}

/** 30 frame intervals alternating ~50/~100 ms with deterministic jitter; first value 0 (PS3.3 C.7.6.5.1.2). */
function irregularVector(count: number): string[] {
  const jitter = [0.0, 3.2, -2.4, 1.1, -4.0, 2.7, -0.8, 4.4, -3.1, 0.6, 2.2, -1.7, 3.8, -2.9, 1.5];
  const out = ['0'];
  for (let i = 1; i < count; i++) {
    const base = i % 2 === 1 ? 50 : 100;
    out.push((base + jitter[i % jitter.length]).toFixed(1));
  }
  return out;
}

export const RUNS: RunSpec[] = [
  {
    name: 'l4-tfesi-ap-512',
    description: 'Right L4 transforaminal ESI, AP view, 15 fps cine; RLE with a filled Basic Offset Table.',
    layout: 'multiframe',
    size: 512,
    frames: 60,
    bitsAllocated: 8,
    bitsStored: 8,
    storage: 'rle-bot',
    timing: { kind: 'frameTime', frameTimeMs: '66.67', fps: 15 },
    imagerPixelSpacingMm: 0.616,
    ermf: 1.25,
    sidMm: 1000,
    sodMm: 800,
    primaryDeg: 0,
    secondaryDeg: 8,
    kvp: 78,
    tubeCurrentMa: 12,
    exposureTimeMs: 8,
    viewCenterMm: [0, 45],
    target: { kind: 'pedicle-6-oclock', level: 'L4', side: -1, label: "L4 pedicle, 6 o'clock (image left = patient right)" },
    needle: {
      hubOffsetMm: [-46, -38],
      path: [
        [1, 0.3],
        [12, 0.62],
        [18, 0.62],
        [30, 1],
      ],
      bowMm: 2.5,
    },
    contrast: {
      onsetFrame: 34,
      lengthMm: 15,
      aspect: 0.36,
      angleDeg: 38,
      tauFrames: 9,
      secondLobe: { delayFrames: 8, lengthMm: 8, angleDeg: -150 },
    },
    noise: { cellW: 16, cellH: 8, sigma: 2.2 },
    series: { number: 1, description: 'L4 TFESI AP (synthetic)' },
    study: 'tfesi',
    seed: 0x4c34,
  },
  {
    name: 'l5-tfesi-1024-rle',
    description:
      'Left L5 transforaminal ESI, ipsilateral oblique (LAO 25 / CAUD 10), 10 fps, 10-bit in 16; RLE with an empty Basic Offset Table.',
    layout: 'multiframe',
    size: 1024,
    frames: 90,
    bitsAllocated: 16,
    bitsStored: 10,
    storage: 'rle-empty-bot',
    timing: { kind: 'frameTime', frameTimeMs: '100', fps: 10 },
    imagerPixelSpacingMm: 0.308,
    ermf: 1.25,
    sidMm: 1000,
    sodMm: 800,
    primaryDeg: 25,
    secondaryDeg: -10,
    kvp: 82,
    tubeCurrentMa: 15,
    exposureTimeMs: 10,
    viewCenterMm: [10, 60],
    blades: { left: 0.17, right: 0.85 },
    target: { kind: 'pedicle-6-oclock', level: 'L5', side: 1, label: "L5 pedicle, 6 o'clock (image right = patient left)" },
    needle: {
      hubOffsetMm: [50, -44],
      path: [
        [1, 0.25],
        [20, 0.55],
        [28, 0.58],
        [40, 1],
      ],
      bowMm: -3,
    },
    contrast: {
      onsetFrame: 46,
      lengthMm: 17,
      aspect: 0.34,
      angleDeg: 35,
      tauFrames: 14,
      secondLobe: { delayFrames: 12, lengthMm: 9, angleDeg: -155 },
    },
    noise: { cellW: 36, cellH: 16, sigma: 2.2 },
    series: { number: 2, description: 'L5 TFESI oblique (synthetic)' },
    study: 'tfesi',
    seed: 0x4c35,
  },
  {
    name: 'l3-mbb-ftv',
    description:
      'Right L3 medial branch block, oblique (RAO 20), irregular pulsed timing in a Frame Time Vector; native explicit VR little endian.',
    layout: 'multiframe',
    size: 256,
    frames: 30,
    bitsAllocated: 8,
    bitsStored: 8,
    storage: 'native',
    timing: { kind: 'frameTimeVector', vectorMs: irregularVector(30) },
    imagerPixelSpacingMm: 0.616,
    sidMm: 1000,
    sodMm: 780,
    ermf: 1.2821,
    primaryDeg: -20,
    secondaryDeg: 0,
    kvp: 75,
    tubeCurrentMa: 10,
    exposureTimeMs: 7,
    viewCenterMm: [-6, 8],
    target: {
      kind: 'sap-tp-junction',
      level: 'L4',
      side: -1,
      label: 'L3 medial branch: L4 SAP / transverse process junction (image left)',
    },
    needle: {
      hubOffsetMm: [-30, -24],
      path: [
        [1, 0.35],
        [14, 1],
      ],
      bowMm: 1.5,
    },
    contrast: { onsetFrame: 17, lengthMm: 5, aspect: 0.75, angleDeg: 80, tauFrames: 4 },
    noise: { cellW: 1, cellH: 1, sigma: 3 },
    series: { number: 1, description: 'L3 MBB oblique, irregular timing (synthetic)' },
    study: 'mbb',
    seed: 0x4c33,
  },
  {
    name: 's1-caudal-series',
    description:
      'Right S1 transforaminal ESI, AP with caudal tilt (CAUD 15), saved as 10 single-frame spot images 1 s apart; file names shuffled against Instance Number.',
    layout: 'series',
    size: 512,
    frames: 10,
    bitsAllocated: 8,
    bitsStored: 8,
    storage: 'native',
    timing: { kind: 'seriesTimes', intervalS: 1 },
    imagerPixelSpacingMm: 0.462,
    ermf: 1.25,
    sidMm: 1000,
    sodMm: 800,
    primaryDeg: 0,
    secondaryDeg: -15,
    kvp: 85,
    tubeCurrentMa: 18,
    exposureTimeMs: 12,
    viewCenterMm: [0, 118],
    target: { kind: 'pedicle-6-oclock', level: 'S1', side: -1, label: "S1 pedicle, 6 o'clock / S1 foramen (image left = patient right)" },
    needle: {
      hubOffsetMm: [-34, -30],
      path: [
        [1, 0.35],
        [6, 1],
      ],
      bowMm: 1.5,
    },
    contrast: { onsetFrame: 7, lengthMm: 16, aspect: 0.34, angleDeg: 22, tauFrames: 1.8 },
    noise: { cellW: 1, cellH: 1, sigma: 3 },
    series: { number: 3, description: 'S1 TFESI AP caudal tilt, spot images (synthetic)' },
    study: 'tfesi',
    seed: 0x5331,
    // File IM000k holds instance fileOrder[k-1].
    fileOrder: [4, 9, 7, 1, 10, 2, 6, 3, 8, 5],
    windowSteps: [
      [0, 0],
      [3, -6],
      [-4, 4],
      [6, -10],
      [-2, 8],
      [8, -4],
      [14, 12],
      [18, 20],
      [12, 16],
      [9, 6],
    ],
  },
  {
    name: 'l4-lat-be8',
    description:
      'Right L4 transforaminal ESI, lateral view, 8 frames at 8 fps, 8-bit native in Explicit VR Big Endian with OW Pixel Data (byte pairs swapped on disk), encoded by DCMTK dcmconv +tb.',
    layout: 'multiframe',
    size: 256,
    frames: 8,
    bitsAllocated: 8,
    bitsStored: 8,
    storage: 'native-big-endian',
    timing: { kind: 'frameTime', frameTimeMs: '125', fps: 8 },
    imagerPixelSpacingMm: 0.616,
    ermf: 1.25,
    sidMm: 1000,
    sodMm: 800,
    primaryDeg: 90,
    secondaryDeg: 0,
    kvp: 88,
    tubeCurrentMa: 14,
    exposureTimeMs: 9,
    viewCenterMm: [0, 45],
    target: { kind: 'pedicle-6-oclock', level: 'L4', side: -1, label: "L4 pedicle, 6 o'clock (image left = patient right)" },
    needle: {
      hubOffsetMm: [-40, -30],
      path: [
        [1, 0.4],
        [4, 1],
      ],
      bowMm: 1,
    },
    contrast: { onsetFrame: 5, lengthMm: 12, aspect: 0.4, angleDeg: 35, tauFrames: 1.5 },
    noise: { cellW: 1, cellH: 1, sigma: 3 },
    series: { number: 6, description: 'L4 TFESI lateral, big endian 8-bit (synthetic)' },
    study: 'tfesi',
    seed: 0x4c42,
  },
  {
    name: 'l3-mbb-be16',
    description:
      'Right L3 medial branch block, oblique (RAO 20), 8 frames at 8 fps, 12-bit in 16, native in Explicit VR Big Endian, encoded by DCMTK dcmconv +tb.',
    layout: 'multiframe',
    size: 256,
    frames: 8,
    bitsAllocated: 16,
    bitsStored: 12,
    storage: 'native-big-endian',
    timing: { kind: 'frameTime', frameTimeMs: '125', fps: 8 },
    imagerPixelSpacingMm: 0.616,
    sidMm: 1000,
    sodMm: 780,
    ermf: 1.2821,
    primaryDeg: -20,
    secondaryDeg: 0,
    kvp: 75,
    tubeCurrentMa: 10,
    exposureTimeMs: 7,
    viewCenterMm: [-6, 8],
    target: {
      kind: 'sap-tp-junction',
      level: 'L4',
      side: -1,
      label: 'L3 medial branch: L4 SAP / transverse process junction (image left)',
    },
    needle: {
      hubOffsetMm: [-30, -24],
      path: [
        [1, 0.4],
        [4, 1],
      ],
      bowMm: 1.5,
    },
    contrast: { onsetFrame: 5, lengthMm: 5, aspect: 0.75, angleDeg: 80, tauFrames: 1.5 },
    noise: { cellW: 1, cellH: 1, sigma: 3 },
    series: { number: 2, description: 'L3 MBB oblique, big endian 16-bit (synthetic)' },
    study: 'mbb',
    seed: 0x4c3b,
  },
];
