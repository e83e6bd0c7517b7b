import type { DataSet } from 'dicom-parser';
import { formatTag } from './header';
import type { CineDisplay, FrameTiming, ParsedHeader, TimingSource } from './types';
import { attributeTags, dateTimeMs, decimal, dicomDateTimeMs, numbers, sequenceItems, text, texts } from './values';

/**
 * When each frame of a run should be shown.
 *
 * Precedence (the first usable one wins; every present-but-unusable value leaves a note):
 *  1. Frame Time Vector (0018,1065): one value per frame; the first is 0 by definition and each
 *     later value is the increment from the previous frame, so every increment must be > 0.
 *  2. Frame Time (0018,1063) > 0 ms: regular frames.
 *  3. An enhanced multi-frame object (Enhanced XA/XRF, which has no Cine module): each frame's
 *     Frame Reference DateTime (0018,9151), else Frame Acquisition DateTime (0018,9074), in its
 *     Frame Content Sequence (0020,9111) of the Per-frame Functional Groups, when they strictly
 *     increase from frame to frame.
 *  4. Cine Rate (0018,0040) > 0 fps.
 *  5. Recommended Display Frame Rate (0008,2144) > 0 fps.
 *  6. For a series of single-frame instances: their Acquisition (else Content) date/time, when it
 *     strictly increases from frame to frame.
 *  7. 15 fps, with the note "no usable frame timing; assuming 15 fps".
 * Frame Increment Pointer (0028,0009) names the attribute that holds the timing. When it names
 * Frame Time rather than Frame Time Vector, Frame Time is tried first; when it names an attribute
 * that is absent, a note says so.
 */

export const DEFAULT_FPS = 15;

const FRAME_TIME = 'x00181063';
const FRAME_TIME_VECTOR = 'x00181065';
const CINE_RATE = 'x00180040';
const RECOMMENDED_RATE = 'x00082144';

type Candidate = (headers: ParsedHeader[], frameCount: number, notes: string[]) => Schedule | null;

interface Schedule {
  source: TimingSource;
  frameStartMs: number[];
  /** How long the last frame stays on screen. */
  lastFrameMs: number;
}

export function buildFrameTiming(headers: ParsedHeader[], frameCount: number): FrameTiming {
  const dataSet = headers[0].dataSet;
  const notes: string[] = [];
  const pointer = attributeTags(dataSet, 'x00280009');
  for (const candidate of candidatesInOrder(dataSet, pointer, notes)) {
    const schedule = candidate(headers, frameCount, notes);
    if (schedule) return finish(schedule, notes, pointer);
  }
  // A single frame is never played, so it needs no excuse for lacking timing.
  if (frameCount > 1) notes.push(`no usable frame timing; assuming ${DEFAULT_FPS} fps`);
  return finish(regular('default', frameCount, 1000 / DEFAULT_FPS), notes, pointer);
}

function candidatesInOrder(dataSet: DataSet, pointer: string[], notes: string[]): Candidate[] {
  for (const tag of pointer.filter((t) => t === FRAME_TIME || t === FRAME_TIME_VECTOR)) {
    if (!dataSet.elements[tag]) notes.push(`Frame Increment Pointer names ${NAMES[tag]} ${formatTag(tag)}, which is missing`);
  }
  const frameTimeFirst = pointer.includes(FRAME_TIME) && !pointer.includes(FRAME_TIME_VECTOR);
  const regularOnes: Candidate[] = frameTimeFirst ? [fromFrameTime, fromFrameTimeVector] : [fromFrameTimeVector, fromFrameTime];
  return [...regularOnes, fromFrameContentTimes, fromCineRate, fromRecommendedRate, fromAcquisitionTimes];
}

const NAMES: Record<string, string> = {
  [FRAME_TIME]: 'Frame Time',
  [FRAME_TIME_VECTOR]: 'Frame Time Vector',
  [CINE_RATE]: 'Cine Rate',
  [RECOMMENDED_RATE]: 'Recommended Display Frame Rate',
};

function finish(schedule: Schedule, notes: string[], pointer: string[]): FrameTiming {
  const starts = schedule.frameStartMs;
  const durationMs = starts[starts.length - 1] + schedule.lastFrameMs;
  const timing: FrameTiming = {
    frameStartMs: starts,
    durationMs,
    // Rounded so 15 fps reads 15, not 14.999999999999998.
    nominalFps: durationMs > 0 ? Math.round(((starts.length * 1000) / durationMs) * 1e6) / 1e6 : DEFAULT_FPS,
    source: schedule.source,
    notes,
  };
  if (pointer.length > 0) timing.frameIncrementPointer = pointer.map(formatTag);
  return timing;
}

function regular(source: TimingSource, frameCount: number, frameMs: number): Schedule {
  return { source, frameStartMs: Array.from({ length: frameCount }, (_, i) => i * frameMs), lastFrameMs: frameMs };
}

// ---------------------------------------------------------------------------------------------
// Candidates

function fromFrameTimeVector([first]: ParsedHeader[], frameCount: number, notes: string[]): Schedule | null {
  const values = numbers(first.dataSet, FRAME_TIME_VECTOR);
  if (values.length === 0 || frameCount < 2) return null;
  const label = 'Frame Time Vector (0018,1065)';
  if (values.length !== frameCount) {
    notes.push(`${label} has ${values.length} values for ${frameCount} frames; not used`);
    return null;
  }
  const bad = values.findIndex((v, i) => i > 0 && !(Number.isFinite(v) && v > 0));
  if (bad > 0) {
    const value = values[bad];
    const problem = Number.isNaN(value) ? 'is not a number' : `is ${value} ms; increments must be > 0`;
    notes.push(`${label}: the increment before frame ${bad + 1} ${problem}; not used`);
    return null;
  }
  if (values[0] !== 0)
    notes.push(`${label} starts with ${Number.isNaN(values[0]) ? 'a non-number' : values[0]} instead of 0; treated as 0`);
  const starts = [0];
  for (let i = 1; i < frameCount; i++) starts.push(starts[i - 1] + values[i]);
  return { source: 'Frame Time Vector', frameStartMs: starts, lastFrameMs: values[frameCount - 1] };
}

function fromFrameTime([first]: ParsedHeader[], frameCount: number, notes: string[]): Schedule | null {
  const ms = positiveValue(first.dataSet, FRAME_TIME, 'ms', notes);
  return ms === null ? null : regular('Frame Time', frameCount, ms);
}

function fromCineRate([first]: ParsedHeader[], frameCount: number, notes: string[]): Schedule | null {
  const fps = positiveValue(first.dataSet, CINE_RATE, 'fps', notes);
  return fps === null ? null : regular('Cine Rate', frameCount, 1000 / fps);
}

function fromRecommendedRate([first]: ParsedHeader[], frameCount: number, notes: string[]): Schedule | null {
  const fps = positiveValue(first.dataSet, RECOMMENDED_RATE, 'fps', notes);
  return fps === null ? null : regular('Recommended Display Frame Rate', frameCount, 1000 / fps);
}

const PER_FRAME_GROUPS = 'x52009230';
const FRAME_CONTENT = 'x00209111';
const FRAME_REFERENCE_DATETIME = 'x00189151';
const FRAME_ACQUISITION_DATETIME = 'x00189074';

/** An enhanced multi-frame object: frame times from each frame's Frame Content Sequence. */
function fromFrameContentTimes([first, ...others]: ParsedHeader[], frameCount: number, notes: string[]): Schedule | null {
  if (others.length > 0 || frameCount < 2) return null;
  const groups = sequenceItems(first.dataSet, PER_FRAME_GROUPS);
  const contents = groups.map((group) => sequenceItems(group, FRAME_CONTENT)[0]);
  if (contents.every((content) => !content)) return null;
  const label = 'Frame Content Sequence (0020,9111)';
  if (groups.length !== frameCount) {
    notes.push(`${label}: the Per-frame Functional Groups have ${groups.length} items for ${frameCount} frames; not used`);
    return null;
  }
  const timeOf = (content: DataSet | undefined, tag: string) => (content ? dicomDateTimeMs(text(content, tag)) : null);
  // The reference time is the one the standard gives for relating frames in time; the acquisition time is its fallback.
  const tag = [FRAME_REFERENCE_DATETIME, FRAME_ACQUISITION_DATETIME].find((t) => contents.every((c) => timeOf(c, t) !== null));
  if (!tag) {
    const missing = contents.findIndex(
      (c) => timeOf(c, FRAME_REFERENCE_DATETIME) === null && timeOf(c, FRAME_ACQUISITION_DATETIME) === null,
    );
    notes.push(
      missing >= 0
        ? `${label}: frame ${missing + 1} has no Frame Reference or Frame Acquisition DateTime; not used`
        : `${label}: neither Frame Reference nor Frame Acquisition DateTime is in every frame; not used`,
    );
    return null;
  }
  const source = tag === FRAME_REFERENCE_DATETIME ? 'Frame Reference DateTime' : 'Frame Acquisition DateTime';
  const times = contents.map((c) => timeOf(c, tag) as number);
  const starts = times.map((t) => t - times[0]);
  const back = starts.findIndex((s, i) => i > 0 && s <= starts[i - 1]);
  if (back > 0) {
    notes.push(`${label}: the ${source} of frame ${back + 1} is not after frame ${back}'s; not used`);
    return null;
  }
  return { source, frameStartMs: starts, lastFrameMs: starts[starts.length - 1] / (starts.length - 1) };
}

/** A single-frame series: frame times from when each instance was acquired. */
function fromAcquisitionTimes(headers: ParsedHeader[], frameCount: number, notes: string[]): Schedule | null {
  if (headers.length < 2 || headers.length !== frameCount) return null;
  const times = headers.map((h) => acquisitionTimeMs(h.dataSet));
  if (times.some((t) => t === null)) {
    if (times.some((t) => t !== null)) notes.push('some instances have no acquisition or content date/time; not used for timing');
    return null;
  }
  const ms = times as number[];
  const starts = ms.map((t) => t - ms[0]);
  if (starts.some((s, i) => i > 0 && s <= starts[i - 1])) {
    notes.push('acquisition times do not increase from frame to frame; not used for timing');
    return null;
  }
  return { source: 'Acquisition times', frameStartMs: starts, lastFrameMs: starts[starts.length - 1] / (starts.length - 1) };
}

/**
 * When the instance was acquired, on a naive clock: Acquisition DateTime, else Acquisition Date
 * + Time, else Content Date + Time. Null when none parses.
 */
export function acquisitionTimeMs(dataSet: DataSet): number | null {
  const dateTime = dicomDateTimeMs(text(dataSet, 'x0008002a'));
  if (dateTime !== null) return dateTime;
  const pairs: Array<[string, string]> = [
    ['x00080022', 'x00080032'],
    ['x00080023', 'x00080033'],
  ];
  for (const [dateTag, timeTag] of pairs) {
    const time = text(dataSet, timeTag);
    if (!time) continue;
    const value = dateTimeMs(text(dataSet, dateTag) || '19700101', time);
    if (value !== null) return value;
  }
  return null;
}

/** A single positive number, or null with a note when present but not usable. */
function positiveValue(dataSet: DataSet, tag: string, unit: string, notes: string[]): number | null {
  if (texts(dataSet, tag).length === 0) return null;
  const value = decimal(dataSet, tag);
  if (value !== undefined && value > 0 && Number.isFinite(value)) return value;
  const shown = value === undefined ? `"${text(dataSet, tag)}"` : `${value} ${unit}`;
  notes.push(`${NAMES[tag]} ${shown} is not usable`);
  return null;
}

const START_TRIM = 'x00082142';
const STOP_TRIM = 'x00082143';
const PREFERRED_PLAYBACK_SEQUENCING = 'x00181244';

/**
 * The Cine module's display hints. A trim that does not fit the run (outside 1…frames, start after
 * stop) is not used and leaves a note in `notes` (the timing's, shown with the rate).
 */
export function readCineDisplay(dataSet: DataSet, frameCount: number, notes: string[]): CineDisplay {
  const code = dataSet.elements[PREFERRED_PLAYBACK_SEQUENCING] ? dataSet.uint16(PREFERRED_PLAYBACK_SEQUENCING) : undefined;
  const sequencing = code === 0 ? 'looping' : code === 1 ? 'sweeping' : null;
  if (frameCount < 2) return { trim: null, sequencing: null };
  const start = decimal(dataSet, START_TRIM);
  const stop = decimal(dataSet, STOP_TRIM);
  if (start === undefined && stop === undefined) return { trim: null, sequencing };
  const firstFrame = start ?? 1;
  const lastFrame = stop ?? frameCount;
  const fits =
    Number.isInteger(firstFrame) && Number.isInteger(lastFrame) && firstFrame >= 1 && firstFrame <= lastFrame && lastFrame <= frameCount;
  if (!fits) {
    notes.push(`Start Trim ${start ?? '—'} / Stop Trim ${stop ?? '—'} do not fit frames 1–${frameCount}; not used`);
    return { trim: null, sequencing };
  }
  const whole = firstFrame === 1 && lastFrame === frameCount;
  return { trim: whole ? null : { firstFrame, lastFrame }, sequencing };
}
