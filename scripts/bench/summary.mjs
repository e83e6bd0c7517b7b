/**
 * Pure helpers of the bench: targets, the per-case "meets" check, raw pixel bytes, medians, cine
 * figures and the generated annotation document. No I/O here, so tests/unit/bench-summary.test.ts
 * can check them in Node.
 */

export const TARGETS = {
  firstFrameMs:
    'input change event → frame 1 drawn, median of fresh opens: ≤ 100 ms raw and RLE at 512² and 1024²; ≤ 150 ms JPEG baseline, JPEG-LS, JPEG Lossless, JPEG 2000 (any run length)',
  vsVanilla: '≤ 0.3 × vanilla Cornerstone3D (wadouri + setStack) opening the same file in the same bench run',
  allDecodedMs:
    "120×1024² 8-bit raw ≤ 900 ms; RLE and JPEG-LS ≤ 1.2 × their codec time on 2 workers (sum of decode times / 2; the smaller of ours and the floor page's)",
  droppedAt1x: 0,
  fpsAt4x: '≥ min(60, 4 × run rate) − 2 (58 fps on a 15 fps 1024² run)',
  memoryRatio: '≤ 1.05 × raw pixel bytes (rows×cols×frames×bytes per sample), on runs of ≥ 64 MB raw',
  interactionMedianMs: 16,
  clickToMarkMs:
    'pointer down → fluorolens:annotation-rendered ≤ 50 ms (median; p95 reported beside it), with each tool whose press marks the image',
  pacs: 'WADO-RS from loopback Orthanc against the same file opened locally in the same bench run (medians of alternating fresh opens): first frame ≤ 1.2 × local, all decoded ≤ 1.5 × local, memory ≤ 1.05 × raw pixel bytes',
};
export const PACS_FIRST_FRAME_RATIO = 1.2;
export const PACS_ALL_DECODED_RATIO = 1.5;
export const CLICK_TO_MARK_MS = 50;

export const MB = 1024 * 1024;
/** The memory target is judged on runs at least this big (raw pixel bytes). */
export const MEMORY_TARGET_MIN_RAW_BYTES = 64 * MB;
export const MEMORY_RATIO = 1.05;
export const FIRST_FRAME_RAW_MS = 100;
export const FIRST_FRAME_JPEG_MS = 150;
export const VANILLA_RATIO = 0.3;
export const ALL_DECODED_RAW_1024_120_MS = 900;
export const CODEC_TIME_RATIO = 1.2;

const NATIVE = ['1.2.840.10008.1.2', '1.2.840.10008.1.2.1', '1.2.840.10008.1.2.2'];
const RLE = '1.2.840.10008.1.2.5';
const JPEG_LS = ['1.2.840.10008.1.2.4.80', '1.2.840.10008.1.2.4.81'];
const JPEG_FAMILY = [
  '1.2.840.10008.1.2.4.50',
  '1.2.840.10008.1.2.4.51',
  '1.2.840.10008.1.2.4.57',
  '1.2.840.10008.1.2.4.70',
  ...JPEG_LS,
  '1.2.840.10008.1.2.4.90',
  '1.2.840.10008.1.2.4.91',
];

export const TRANSFER_SYNTAX_NAMES = {
  '1.2.840.10008.1.2': 'Implicit VR Little Endian',
  '1.2.840.10008.1.2.1': 'Explicit VR Little Endian',
  '1.2.840.10008.1.2.2': 'Explicit VR Big Endian',
  '1.2.840.10008.1.2.5': 'RLE Lossless',
  '1.2.840.10008.1.2.4.50': 'JPEG Baseline',
  '1.2.840.10008.1.2.4.51': 'JPEG Extended',
  '1.2.840.10008.1.2.4.57': 'JPEG Lossless',
  '1.2.840.10008.1.2.4.70': 'JPEG Lossless SV1',
  '1.2.840.10008.1.2.4.80': 'JPEG-LS Lossless',
  '1.2.840.10008.1.2.4.81': 'JPEG-LS Near-lossless',
  '1.2.840.10008.1.2.4.90': 'JPEG 2000 Lossless',
  '1.2.840.10008.1.2.4.91': 'JPEG 2000',
};

export function transferSyntaxName(uid) {
  return TRANSFER_SYNTAX_NAMES[uid] ?? uid;
}

/** Bytes of the decoded pixels of a run: rows × columns × frames × samples × bytes per sample. */
export function rawPixelBytes({ rows, columns, frames, bitsAllocated, samplesPerPixel = 1 }) {
  return rows * columns * frames * samplesPerPixel * Math.ceil(bitsAllocated / 8);
}

export function median(values) {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export const round = (value, digits = 1) =>
  value === null || value === undefined || !Number.isFinite(value) ? null : Number(value.toFixed(digits));

/**
 * For each pointer move (mark times, ms), the time to the first redraw at or after it. Moves
 * with no redraw after them are left out (the drag ended before the app drew them).
 */
export function pairLatencies(moves, renders) {
  const sortedRenders = [...renders].sort((a, b) => a - b);
  const out = [];
  let r = 0;
  for (const t of [...moves].sort((a, b) => a - b)) {
    while (r < sortedRenders.length && sortedRenders[r] < t) r++;
    if (r < sortedRenders.length) out.push(sortedRenders[r] - t);
  }
  return out;
}

/** The rate a player should reach at `speed`: the run's rate times speed, capped at 60 fps. */
export function expectedFps(runFps, speed) {
  return Math.min(60, runFps * speed);
}

/**
 * Cine figures from two readings of the player's counters ({shown, dropped} and a timestamp):
 * frames shown per second of wall time and frames dropped in between.
 */
export function cineFigures(start, end, runFps, speed) {
  const seconds = (end.atMs - start.atMs) / 1000;
  if (!(seconds > 0)) return null;
  const shown = end.shown - start.shown;
  const dropped = end.dropped - start.dropped;
  return {
    speed,
    expectedFps: round(expectedFps(runFps, speed)),
    shownFps: round(shown / seconds),
    shown,
    dropped,
    seconds: round(seconds, 2),
  };
}

/**
 * Cine figures from what reached the screen: a log of new-image events {atMs, index (0-based)}.
 * A jump of the index by more than one frame (forwards, across the loop) means frames skipped.
 * `dropped` is the number of frames skipped; shownFps counts frames per second of the log's span.
 */
export function screenFigures(log, frameCount, runFps, speed) {
  if (log.length < 2) return null;
  let skipped = 0;
  for (let i = 1; i < log.length; i++) {
    const step = (((log[i].index - log[i - 1].index) % frameCount) + frameCount) % frameCount;
    if (step > 1) skipped += step - 1;
  }
  const seconds = (log.at(-1).atMs - log[0].atMs) / 1000;
  const intervals = log.slice(1).map((e, i) => e.atMs - log[i].atMs);
  return {
    speed,
    expectedFps: round(expectedFps(runFps, speed)),
    shownFps: round((log.length - 1) / seconds),
    shown: log.length,
    dropped: skipped,
    longestGapMs: round(Math.max(...intervals), 1),
    seconds: round(seconds, 2),
  };
}

/**
 * Frames the display compositor put out while the run played: the `Display::DrawAndSwap` events
 * of a Chrome trace (category `viz`), per second of their span (first to last, as screenFigures
 * counts new images). A new image set on the viewport reaches the screen only with a swap, so the
 * smaller of the two rates is what the user saw; on software GL the compositor, not the player,
 * limits it (~20 swaps/s while a 1024² run plays at 4×).
 */
export function presentedFigures(traceEvents) {
  const swaps = traceEvents
    .filter((e) => e.name === 'Display::DrawAndSwap' && (e.ph === 'X' || e.ph === 'B'))
    .map((e) => e.ts)
    .sort((a, b) => a - b);
  if (swaps.length < 2) return null;
  const seconds = (swaps.at(-1) - swaps[0]) / 1e6;
  return { presentedFps: round((swaps.length - 1) / seconds), swaps: swaps.length };
}

/**
 * How often Cornerstone drew the viewport while the run played (its IMAGE_RENDERED events, per
 * second of their span). Images set faster than the viewport is drawn are never seen, and a swap
 * without a draw (the page's readouts changing on their own) shows no new image: while playing,
 * each draw is one new image on the pane's canvas.
 */
export function renderedFigures(renders) {
  if (renders.length < 2) return { renderedFps: null };
  return { renderedFps: round((renders.length - 1) / ((renders.at(-1) - renders[0]) / 1000)) };
}

/**
 * Frames lost while playing: those the player skipped, and images set on the viewport that were
 * never drawn (more new images than draws over the measured span, bar one at its edges).
 */
export function framesLost(cine) {
  if (!cine || typeof cine.dropped !== 'number') return null;
  const { shownFps, renderedFps, seconds } = cine;
  const undrawn =
    typeof renderedFps === 'number' && typeof shownFps === 'number' && typeof seconds === 'number'
      ? Math.max(0, Math.round((shownFps - renderedFps) * seconds) - 1)
      : 0;
  return cine.dropped + undrawn;
}

/** Frames per second the user saw: new images, no more than were drawn and than the compositor presented. */
export function seenFps(cine) {
  if (!cine || cine.shownFps === null || cine.shownFps === undefined) return null;
  const rates = [cine.shownFps, cine.renderedFps, cine.presentedFps].filter((r) => typeof r === 'number');
  return Math.min(...rates);
}

/** The first-frame target of a case (issue 8.1), or null where the issue sets none. */
export function firstFrameTargetMs(c) {
  // A folder of single frames: which file is frame 1 is known only once every file's header has
  // been read (a series is ordered by its instances), a cost per file, not per decode; it is
  // measured (folder-512x400) but issue 8's targets are for a run's file.
  if (c.folder) return null;
  const square512or1024 = c.rows === c.columns && (c.rows === 512 || c.rows === 1024);
  if ((NATIVE.includes(c.transferSyntax) || c.transferSyntax === RLE) && square512or1024) return FIRST_FRAME_RAW_MS;
  if (JPEG_FAMILY.includes(c.transferSyntax)) return FIRST_FRAME_JPEG_MS;
  return null;
}

/**
 * The codec time on 2 workers a case is judged by: the smaller of ours and the floor page's
 * (each the summed decode times of the frames, halved). The same decodes take longer in
 * FluoroLens when its main thread and the GPU process compete with the workers for the two
 * cores (RLE 1024²×120 on 2026-12-01: 804 ms against the floor's 540), and a target set from the
 * slowed figure would excuse exactly the overhead it is meant to limit.
 */
export function codecMsOn2Workers(c) {
  const measured = [c.codecMsOn2Workers, c.floorCodecMsOn2Workers].filter((v) => v > 0);
  return measured.length ? Math.min(...measured) : null;
}

/**
 * The all-decoded target (issue 8.2): 0.9 s for the 120×1024² 8-bit raw run; for RLE and JPEG-LS,
 * 1.2 × their codec time on 2 workers (codecMsOn2Workers above).
 */
export function allDecodedTargetMs(c) {
  const raw1024x120 =
    NATIVE.includes(c.transferSyntax) && c.rows === 1024 && c.columns === 1024 && c.frames === 120 && c.bitsAllocated === 8;
  if (raw1024x120) return ALL_DECODED_RAW_1024_120_MS;
  const codec = codecMsOn2Workers(c);
  // A run's target: one frame's "all decoded" is its first frame, read, decoded and drawn.
  const run = c.frames > 1;
  if (run && (c.transferSyntax === RLE || JPEG_LS.includes(c.transferSyntax)) && codec) return round(CODEC_TIME_RATIO * codec, 0);
  return null;
}

/** The thresholds that apply to one case (null: no target for that figure on this case). */
export function targetsFor(c) {
  return {
    firstFrameMs: firstFrameTargetMs(c),
    vsVanilla: c.vanillaFirstFrameMs ? VANILLA_RATIO : null,
    allDecodedMs: allDecodedTargetMs(c),
    droppedAt1x: TARGETS.droppedAt1x,
    fpsAt4x: c.runFps ? round(expectedFps(c.runFps, 4) - 2) : null,
    // Below this size the app's fixed first-view cost (WebGL, tool state) dominates the ratio.
    memoryRatio: rawPixelBytes(c) >= MEMORY_TARGET_MIN_RAW_BYTES ? MEMORY_RATIO : null,
    interactionMedianMs: c.interaction ? TARGETS.interactionMedianMs : null,
    clickToMarkMs: c.clickToMark ? CLICK_TO_MARK_MS : null,
  };
}

const check = (value, limit, ok) =>
  limit === null || limit === undefined ? null : value === null || value === undefined ? null : ok(value, limit);

/**
 * true / false per target, or null when the target does not apply to the case or the figure
 * could not be measured (the case says why in `notes`).
 */
export function meets(c, targets = targetsFor(c)) {
  const ratio = c.firstFrameMs && c.vanillaFirstFrameMs ? c.firstFrameMs / c.vanillaFirstFrameMs : null;
  return {
    firstFrame: check(c.firstFrameMs, targets.firstFrameMs, (v, t) => v <= t),
    vsVanilla: check(ratio, targets.vsVanilla, (v, t) => v <= t),
    allDecoded: check(c.allDecodedMs, targets.allDecodedMs, (v, t) => v <= t),
    noDropsAt1x: check(framesLost(c.cine?.at1x), targets.droppedAt1x, (v, t) => v <= t),
    fpsAt4x: check(seenFps(c.cine?.at4x), targets.fpsAt4x, (v, t) => v >= t),
    memory: check(c.memory?.ratio, targets.memoryRatio, (v, t) => v <= t),
    interaction: check(c.interaction?.medianMs, targets.interactionMedianMs, (v, t) => v < t),
    clickToMark: check(c.clickToMark?.medianMs, targets.clickToMarkMs, (v, t) => v <= t),
  };
}

/**
 * Which targets lie below this machine's floor, so that no viewer with these codecs meets them
 * here: for first frame, the floor page's frame 1, read and decoded but not yet drawn
 * (`floorDecodedMs`), already takes longer than the target allows; for all decoded, the floor page
 * reading and decoding every frame, drawing none (`floorAllDecodedMs`), does. true / false per
 * target; null where the target does not apply or the floor was not measured.
 */
export function belowFloor(c, targets = targetsFor(c)) {
  const above = (floor, limit) => (limit && floor ? floor > limit : null);
  return {
    firstFrame: above(c.floorDecodedMs, targets.firstFrameMs),
    vsVanilla: above(c.floorDecodedMs, targets.vsVanilla && c.vanillaFirstFrameMs ? targets.vsVanilla * c.vanillaFirstFrameMs : null),
    allDecoded: above(c.floorAllDecodedMs, targets.allDecodedMs),
  };
}

/** Adds `targets`, `meets` and `belowFloor` to a measured case. */
export function judge(c) {
  const targets = targetsFor(c);
  return { ...c, targets, meets: meets(c, targets), belowFloor: belowFloor(c, targets) };
}

/** One line per target missed, for the summary on stderr; a miss below the floor says so. */
export function misses(cases) {
  const out = [];
  for (const c of cases) {
    for (const [name, ok] of Object.entries(c.meets ?? {})) {
      if (ok !== false) continue;
      const floor = !c.belowFloor?.[name]
        ? ''
        : name === 'allDecoded'
          ? ` (below the floor: every frame read and decoded alone took ${round(c.floorAllDecodedMs, 0)} ms)`
          : ` (below the floor: frame 1 read and decoded alone took ${round(c.floorDecodedMs, 0)} ms)`;
      out.push(`${c.case}: ${name}${floor}`);
    }
  }
  return out;
}

/**
 * An annotation document (format v1) with `tracks` point tracks of `keyframesPerTrack`
 * keyframes each, spread over the run, for the interaction case. Track 1 is a needle tip with a
 * keyframe on frame 1 at `handle`, the point the bench drags.
 */
export function interactionDocument({ run, frames, columns, rows, tracks = 5, keyframesPerTrack = 20, handle }) {
  const kinds = ['needleTip', 'target', 'needleTip', 'arrow', 'target'];
  const colors = { needleTip: '#ffd400', target: '#00e676', arrow: '#ff9100' };
  const step = Math.max(1, Math.floor(frames / keyframesPerTrack));
  const all = [];
  for (let t = 0; t < tracks; t++) {
    const kind = kinds[t % kinds.length];
    const keyframes = [];
    for (let k = 0; k < keyframesPerTrack && k * step + 1 <= frames; k++) {
      const frame = k * step + 1;
      const wobble = (k % 7) * 3;
      const x = t === 0 && frame === 1 ? handle.x : columns * (0.2 + 0.15 * t) + wobble;
      const y = t === 0 && frame === 1 ? handle.y : rows * (0.3 + 0.004 * k) + wobble;
      const geometry =
        kind === 'needleTip'
          ? { tip: { x, y }, hub: { x: x + 120, y: y - 120 } }
          : kind === 'target'
            ? { center: { x, y }, radiusPx: 14 }
            : { from: { x: x + 80, y: y + 80 }, to: { x, y } };
      keyframes.push({ frame, geometry });
    }
    const track = { id: `${kind}-bench-${t + 1}`, kind, label: `Bench ${kind} ${t + 1}`, color: colors[kind], keyframes };
    if (kind === 'arrow') track.text = 'bench';
    all.push(track);
  }
  return {
    type: 'fluorolens-annotations',
    version: 1,
    createdBy: 'FluoroLens bench',
    savedAt: '2026-01-01T00:00:00.000Z',
    run: { studyInstanceUID: run.study, seriesInstanceUID: run.series, sopInstanceUIDs: [run.sop], frameCount: frames },
    tracks: all,
    caseRecord: {},
  };
}

/**
 * A WADO-RS case against its local twin (issue 10): medians of each side's opens
 * ({ firstFrameMs, allDecodedMs, load, memory: { ratio, runMB } }), the ratios remote/local and
 * whether the targets are met. The memory target is the remote run's bytes held against its raw
 * pixel bytes, judged on every run size here (the issue sets it for these runs).
 */
export function pacsComparison(local, remote) {
  const side = (opens) => ({
    firstFrameMs: round(median(opens.map((o) => o.firstFrameMs))),
    allDecodedMs: round(median(opens.map((o) => o.allDecodedMs))),
    memoryRatio: round(median(opens.map((o) => o.memory?.ratio)), 3),
    runMB: round(median(opens.map((o) => o.memory?.runMB))),
    loadAvg1m: round(median(opens.map((o) => o.load)), 2),
    opens: opens.length,
  });
  const l = side(local);
  const r = side(remote);
  const ratio = (a, b) => (a && b ? round(a / b, 2) : null);
  // memory: what the remote run holds against what the same run holds opened locally.
  const ratios = {
    firstFrame: ratio(r.firstFrameMs, l.firstFrameMs),
    allDecoded: ratio(r.allDecodedMs, l.allDecodedMs),
    memory: ratio(r.runMB, l.runMB),
  };
  const within = (value, limit) => (value === null ? null : value <= limit);
  return {
    local: l,
    remote: r,
    ratios,
    targets: { firstFrameRatio: PACS_FIRST_FRAME_RATIO, allDecodedRatio: PACS_ALL_DECODED_RATIO, memoryRatio: MEMORY_RATIO },
    meets: {
      firstFrame: within(ratios.firstFrame, PACS_FIRST_FRAME_RATIO),
      allDecoded: within(ratios.allDecoded, PACS_ALL_DECODED_RATIO),
      memory: within(r.memoryRatio, MEMORY_RATIO),
    },
  };
}
