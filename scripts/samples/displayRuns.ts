/**
 * Sample runs for shutters, subtraction and views (issue 11), kept apart from runs.ts so other
 * additions to the list merge cleanly. Their UIDs are fixed by `uidIndex`, not by their place.
 */
import type { RunSpec } from './runs';

export const DISPLAY_RUNS: RunSpec[] = [
  {
    name: 's1-dsa-lin-512',
    description:
      'Right S1 transforaminal ESI under DSA: AP, 4 fps, values proportional to intensity (LIN), 12 bits in 16; mask phase frames 1–4 ' +
      '(Mask Subtraction Sequence AVG_SUB), patient motion of (0.5, −0.25) px from frame 9 and (0.75, −0.5) px from frame 15, a faint ' +
      'radicular artery blush on frames 7–14 that only subtraction shows; octagonal (POLYGONAL) shutter; RLE with a filled Basic Offset Table.',
    layout: 'multiframe',
    size: 512,
    frames: 20,
    bitsAllocated: 16,
    bitsStored: 12,
    storage: 'rle-bot',
    timing: { kind: 'frameTime', frameTimeMs: '250', fps: 4 },
    imagerPixelSpacingMm: 0.462,
    ermf: 1.25,
    sidMm: 1000,
    sodMm: 800,
    primaryDeg: 0,
    secondaryDeg: -12,
    kvp: 80,
    tubeCurrentMa: 16,
    exposureTimeMs: 10,
    viewCenterMm: [0, 112],
    target: { kind: 'pedicle-6-oclock', level: 'S1', side: -1, label: "S1 pedicle, 6 o'clock / S1 foramen (image left = patient right)" },
    needle: { hubOffsetMm: [-34, -30], path: [[1, 1]], bowMm: 0 },
    contrast: { onsetFrame: 5, lengthMm: 15, aspect: 0.36, angleDeg: 24, tauFrames: 3 },
    // DSA frames are exposed at several times the dose of fluoroscopy: less quantum noise.
    noise: { cellW: 16, cellH: 8, sigma: 1.2 },
    series: { number: 4, description: 'DSA S1 transforaminal AP (synthetic)' },
    study: 'tfesi',
    seed: 0xd5a1,
    uidIndex: 10,
    collimator: { kind: 'octagon', radius: 0.46 },
    irradiationEvent: 4,
    dsa: {
      i0: 4000,
      mu: 0.011,
      maskFrames: 4,
      motion: [
        { frame: 9, dx: 0.5, dy: -0.25 },
        { frame: 15, dx: 0.75, dy: -0.5 },
      ],
      supersample: 4,
      blush: {
        from: 7,
        to: 14,
        pathMm: [
          [1.5, -2],
          [5, -8],
          [7, -15],
          [6, -22],
        ],
        widthMm: 1.4,
        cloudSigmaMm: 4,
        peak: 12,
      },
    },
  },
  {
    name: 'l5-lateral-rect-256',
    description:
      'Left L5 transforaminal ESI, left lateral view (LAO 90), 6 fps, rectangular collimation only (RECTANGULAR shutter); RLE with a filled Basic Offset Table.',
    layout: 'multiframe',
    size: 256,
    frames: 12,
    bitsAllocated: 8,
    bitsStored: 8,
    storage: 'rle-bot',
    timing: { kind: 'frameTime', frameTimeMs: '166.67', fps: 6 },
    imagerPixelSpacingMm: 0.924,
    ermf: 1.25,
    sidMm: 1000,
    sodMm: 800,
    primaryDeg: 90,
    secondaryDeg: 0,
    kvp: 90,
    tubeCurrentMa: 20,
    exposureTimeMs: 12,
    viewCenterMm: [0, 60],
    target: { kind: 'pedicle-6-oclock', level: 'L5', side: 1, label: "L5 pedicle, 6 o'clock, seen from the side (the foramen below it)" },
    needle: {
      // From behind (image left is posterior in this lateral) and above, as a transforaminal needle comes.
      hubOffsetMm: [-45, -25],
      path: [
        [1, 0.5],
        [6, 1],
      ],
      bowMm: 0,
    },
    contrast: { onsetFrame: 8, lengthMm: 12, aspect: 0.4, angleDeg: 20, tauFrames: 2 },
    noise: { cellW: 12, cellH: 6, sigma: 2.2 },
    series: { number: 5, description: 'L5 lateral, rectangular collimation (synthetic)' },
    study: 'tfesi',
    seed: 0x1a75,
    uidIndex: 11,
    collimator: { kind: 'rectangle', left: 0.14, right: 0.86, top: 0.1, bottom: 0.9 },
    irradiationEvent: 5,
  },
];
