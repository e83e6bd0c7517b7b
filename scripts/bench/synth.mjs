/**
 * Synthetic XA cine runs for the bench: a header written with dcmjs, then native 8-bit Pixel Data
 * streamed to disk frame by frame (a 2,000-frame run never sits in memory whole). The content is a
 * soft gradient, three bright "vertebrae", a needle that advances, per-pixel noise and a circular
 * collimator, so compressed copies (DCMTK) compress about as much as real fluoroscopy does. The
 * same pictures also come as a folder of single-frame files (writeSyntheticSeries).
 */
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const dcmjs = createRequire(import.meta.url)('dcmjs');

const XA_SOP_CLASS = '1.2.840.10008.5.1.4.1.1.12.1';
export const TS_EXPLICIT_LE = '1.2.840.10008.1.2.1';
/** Made-up UID root for bench runs (2.25 + a fixed number), distinct from the samples' root. */
const UID_ROOT = '2.25.301457729183746501928374650192837465';

/** xorshift32: fast, deterministic noise. */
function prng(seed) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
}

export function benchUids(name) {
  let h = 0;
  for (const ch of name) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return {
    study: `${UID_ROOT}.1.${h}`,
    series: `${UID_ROOT}.2.${h}`,
    sop: `${UID_ROOT}.3.${h}.1`,
  };
}

/** `instance`: one single-frame instance (1-based) of a series named `name`, not a multi-frame run. */
function headerBytes({ name, rows, columns, frames, fps, instance }) {
  const series = benchUids(name);
  const uids = instance ? { ...series, sop: `${series.sop.replace(/\.1$/, '')}.${instance}` } : series;
  const frameTime = Number((1000 / fps).toFixed(2));
  const dataset = {
    SOPClassUID: XA_SOP_CLASS,
    SOPInstanceUID: uids.sop,
    PatientName: 'FLUOROLENS^BENCH',
    PatientID: 'FL-BENCH',
    StudyInstanceUID: uids.study,
    StudyDate: '20260101',
    StudyTime: '120000',
    StudyID: 'BENCH',
    AccessionNumber: '',
    ReferringPhysicianName: '',
    Modality: 'XA',
    SeriesInstanceUID: uids.series,
    SeriesNumber: '1',
    SeriesDescription: `Bench ${name}`,
    Manufacturer: 'FluoroLens bench',
    InstanceNumber: String(instance ?? 1),
    ImageType: ['ORIGINAL', 'PRIMARY', 'SINGLE PLANE'],
    ImageComments: 'Synthetic bench run made by npm run bench. Not patient data.',
    SamplesPerPixel: 1,
    PhotometricInterpretation: 'MONOCHROME2',
    Rows: rows,
    Columns: columns,
    BitsAllocated: 8,
    BitsStored: 8,
    HighBit: 7,
    PixelRepresentation: 0,
    PixelIntensityRelationship: 'DISP',
    WindowCenter: '128',
    WindowWidth: '256',
    ImagerPixelSpacing: ['0.3', '0.3'],
    EstimatedRadiographicMagnificationFactor: '1.2',
    ...(instance
      ? {}
      : {
          NumberOfFrames: String(frames),
          FrameIncrementPointer: 0x00181063,
          FrameTime: frameTime,
          CineRate: String(fps),
          RecommendedDisplayFrameRate: String(fps),
        }),
  };
  const meta = {
    '00020001': { vr: 'OB', Value: [new Uint8Array([0, 1]).buffer] },
    '00020002': { vr: 'UI', Value: [XA_SOP_CLASS] },
    '00020003': { vr: 'UI', Value: [uids.sop] },
    '00020010': { vr: 'UI', Value: [TS_EXPLICIT_LE] },
    '00020012': { vr: 'UI', Value: [`${UID_ROOT}.9`] },
    '00020013': { vr: 'SH', Value: ['FLUOROLENS_BNC1'] },
  };
  const dict = new dcmjs.data.DicomDict(meta);
  dict.dict = dcmjs.data.DicomMetaDictionary.denaturalizeDataset(dataset);
  const head = new Uint8Array(dict.write());
  // (7FE0,0010) OB with a 32-bit length, followed by the frames.
  const pixelHeader = new Uint8Array(12);
  const view = new DataView(pixelHeader.buffer);
  view.setUint16(0, 0x7fe0, true);
  view.setUint16(2, 0x0010, true);
  pixelHeader[4] = 0x4f; // 'O'
  pixelHeader[5] = 0x42; // 'B'
  view.setUint32(8, rows * columns * frames, true);
  return { head, pixelHeader, uids };
}

/** The still part of the scene: gradient, vertebrae, collimator (0 outside). */
function background(rows, columns) {
  const out = new Uint8Array(rows * columns);
  const cx = columns / 2;
  const cy = rows / 2;
  const radius = 0.48 * Math.min(rows, columns);
  const bodies = [0.25, 0.5, 0.75].map((fy) => ({ x: cx, y: fy * rows, rx: 0.16 * columns, ry: 0.09 * rows }));
  for (let y = 0; y < rows; y++) {
    for (let x = 0; x < columns; x++) {
      const dx = x - cx;
      const dy = y - cy;
      if (dx * dx + dy * dy > radius * radius) continue;
      let v = 50 + (70 * (x + y)) / (rows + columns);
      for (const b of bodies) {
        const ex = (x - b.x) / b.rx;
        const ey = (y - b.y) / b.ry;
        const e = ex * ex + ey * ey;
        if (e < 1) v += e > 0.8 ? 70 : 45;
      }
      out[y * columns + x] = Math.min(240, Math.round(v));
    }
  }
  return out;
}

/** One frame: background, noise (0–7), and a needle that advances over the run. */
function drawFrame(out, still, rows, columns, frameIndex, frames, next) {
  for (let i = 0; i < out.length; i++) {
    const v = still[i];
    out[i] = v === 0 ? 0 : v + (next() & 7);
  }
  const progress = frames > 1 ? frameIndex / (frames - 1) : 1;
  const hubX = 0.85 * columns;
  const hubY = 0.2 * rows;
  const tipX = hubX + (0.55 * columns - hubX) * progress;
  const tipY = hubY + (0.55 * rows - hubY) * progress;
  const steps = Math.ceil(Math.hypot(tipX - hubX, tipY - hubY));
  const halfWidth = Math.max(1, Math.round(columns / 512));
  for (let s = 0; s <= steps; s++) {
    const x = Math.round(hubX + ((tipX - hubX) * s) / Math.max(1, steps));
    const y = Math.round(hubY + ((tipY - hubY) * s) / Math.max(1, steps));
    for (let oy = -halfWidth; oy <= halfWidth; oy++) {
      for (let ox = -halfWidth; ox <= halfWidth; ox++) {
        const px = x + ox;
        const py = y + oy;
        if (px >= 0 && py >= 0 && px < columns && py < rows && still[py * columns + px] !== 0) out[py * columns + px] = 250;
      }
    }
  }
}

/**
 * Writes an 8-bit explicit-VR-LE multi-frame XA file. Returns its UIDs (the bench's annotation
 * document must reference them to be accepted on import).
 */
export function writeSyntheticRun(path, { name, rows, columns, frames, fps = 15, seed = 1 }) {
  const { head, pixelHeader, uids } = headerBytes({ name, rows, columns, frames, fps });
  const still = background(rows, columns);
  const next = prng(seed);
  const frame = new Uint8Array(rows * columns);
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, head);
    writeSync(fd, pixelHeader);
    for (let f = 0; f < frames; f++) {
      drawFrame(frame, still, rows, columns, f, frames, next);
      writeSync(fd, frame);
    }
  } finally {
    closeSync(fd);
  }
  return uids;
}

/**
 * Writes the same pictures as writeSyntheticRun, as a series of `frames` single-frame files
 * (IM00001.dcm, …) in `dir`, as a CD or a PACS export holds spot images.
 */
export function writeSyntheticSeries(dir, { name, rows, columns, frames, seed = 1 }) {
  mkdirSync(dir, { recursive: true });
  const still = background(rows, columns);
  const next = prng(seed);
  const frame = new Uint8Array(rows * columns);
  for (let f = 0; f < frames; f++) {
    const { head, pixelHeader } = headerBytes({ name, rows, columns, frames: 1, fps: 1, instance: f + 1 });
    drawFrame(frame, still, rows, columns, f, frames, next);
    const fd = openSync(join(dir, `IM${String(f + 1).padStart(5, '0')}.dcm`), 'w');
    try {
      writeSync(fd, head);
      writeSync(fd, pixelHeader);
      writeSync(fd, frame);
    } finally {
      closeSync(fd);
    }
  }
}
