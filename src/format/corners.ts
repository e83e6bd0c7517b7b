/**
 * The four corner text blocks of the radiology overlay, one string per line. Missing values are
 * left out (never "undefined"), and every line is plain text for the UI to render as text.
 */
import { factsOfFrame, type FrameFactsSource } from '../dicom/runInfo';
import type { RunInfo } from '../dicom/types';
import { formatPositionerAngles } from './angles';
import { formatDicomDate, formatDicomTime, formatPersonName, lossyMethodNames } from './dicomValues';
import { formatElapsed, formatFrameRate, formatFrameReadout, formatPlayback } from './rate';
import { cleanText, formatNumber, joinPresent, presentLines } from './text';

export interface OverlayCorners {
  topLeft: string[];
  topRight: string[];
  bottomLeft: string[];
  bottomRight: string[];
}

export interface OverlayPlayback {
  /** 1-based frame on screen. */
  frame: number;
  /** Run time of that frame in seconds from frame 1 (CineClock.elapsedSeconds). */
  elapsedSeconds: number;
  /** Playback speed factor; shown when not 1. */
  speed?: number;
  /** Measured display rate, when the caller measures it. */
  playbackFps?: number;
}

export function overlayCorners(run: RunInfo, playback: OverlayPlayback): OverlayCorners {
  return {
    topLeft: patientLines(run),
    topRight: studyLines(run),
    bottomLeft: runLines(run, playback),
    bottomRight: acquisitionLines(run, playback.frame),
  };
}

/**
 * Presentation (a room, text at 2–3× size, no patient or study text): the run's lines spread over
 * all four corners, where a collimated picture leaves the screen dark, instead of two tall blocks
 * at the bottom that reached over the anatomy. Top left names the run, top right its technique and
 * projection, bottom left frame, time and rate, bottom right (under the scale bar) the dose.
 */
export function presentationCorners(run: RunInfo, playback: OverlayPlayback): OverlayCorners {
  return {
    topLeft: [...runIdentityLines(run, playback.frame), ...presentLines([formatLossy(run.lossy)])],
    topRight: techniqueLines(run, playback.frame),
    bottomLeft: runTimeLines(run, playback),
    bottomRight: doseLines(run),
  };
}

/** Top left: name, ID, birth date, sex. */
export function patientLines({ patient }: Pick<RunInfo, 'patient'>): string[] {
  return presentLines([
    formatPersonName(patient.name),
    labelled('ID', cleanText(patient.id)),
    labelled('DOB', formatDicomDate(patient.birthDate)),
    labelled('Sex', cleanText(patient.sex)),
  ]);
}

/** Top right: study date and time, institution, study description. */
export function studyLines({ study }: Pick<RunInfo, 'study'>): string[] {
  return presentLines([
    joinPresent([formatDicomDate(study.date), formatDicomTime(study.time)], ' '),
    cleanText(study.institution),
    cleanText(study.description),
  ]);
}

/**
 * Bottom left: run description and numbers, frame, time, rate. A single image has no time or rate
 * to tell (it said "t = 0.00 s" and "15 fps (assumed — no timing in file)").
 */
export function runLines(
  run: FrameFactsSource & Pick<RunInfo, 'series' | 'frameCount' | 'timing' | 'lossy'>,
  playback: OverlayPlayback,
): string[] {
  return [...runIdentityLines(run, playback.frame), ...presentLines([formatLossy(run.lossy)]), ...runTimeLines(run, playback)];
}

/**
 * "Lossy compressed: JPEG 12.7:1" — the pixels are not the acquired ones, and how far they may be
 * from them. Every method and ratio recorded (an image compressed twice has two); null when none.
 */
export function formatLossy(lossy: RunInfo['lossy']): string | null {
  if (!lossy) return null;
  const ratios = lossy.ratios.map((r) => `${formatNumber(r, 1)}:1`);
  const what = joinPresent([lossyMethodNames(lossy).join(', '), ratios.join(', ')], ' ');
  return what ? `Lossy compressed: ${what}` : 'Lossy compressed';
}

/** The run's description, series number and the instance number of the frame on screen. */
function runIdentityLines(run: FrameFactsSource & Pick<RunInfo, 'series'>, frame: number): string[] {
  return presentLines([
    cleanText(run.series.description),
    joinPresent([labelledNumber('Series', run.series.number), labelledNumber('Instance', factsOfFrame(run, frame).instanceNumber)]),
  ]);
}

/** Frame, time and rate (a single image: only its frame). */
function runTimeLines(run: Pick<RunInfo, 'frameCount' | 'timing'>, playback: OverlayPlayback): string[] {
  const cine = run.frameCount > 1;
  return presentLines([
    formatFrameReadout(playback.frame, run.frameCount),
    cine ? formatElapsed(playback.elapsedSeconds) : null,
    cine ? formatFrameRate(run.timing) : null,
    cine ? formatPlayback(playback.speed, playback.playbackFps) : null,
  ]);
}

/** Bottom right: technique, projection (of the frame's image), fluoroscopy time and dose. */
export function acquisitionLines(run: FrameFactsSource & Pick<RunInfo, 'dose'>, frame: number): string[] {
  return [...techniqueLines(run, frame), ...doseLines(run)];
}

/** kVp and mA, exposure, projection angles, of the frame's image. */
function techniqueLines(run: FrameFactsSource, frame: number): string[] {
  const { exposure, positioner } = factsOfFrame(run, frame);
  return presentLines([
    joinPresent([withUnit(exposure.kvp, 1, 'kVp'), withUnit(exposure.tubeCurrentMa, 1, 'mA')]),
    labelled('Exposure', joinPresent([withUnit(exposure.exposureTimeMs, 1, 'ms'), withUnit(exposure.exposureMas, 2, 'mAs')])),
    positioner ? formatPositionerAngles(positioner.primaryAngleDeg, positioner.secondaryAngleDeg) : null,
  ]);
}

/** Fluoroscopy time and dose. */
function doseLines({ dose }: Pick<RunInfo, 'dose'>): string[] {
  return presentLines([
    labelled('Fluoro time', withUnit(dose.fluoroscopyTimeS, 1, 's')),
    // Image and Fluoroscopy Area Dose Product (0018,115E) is in dGy·cm².
    labelled('DAP', withUnit(dose.areaDoseProduct, 2, 'dGy·cm²')),
    labelled('Entrance dose', withUnit(dose.entranceDoseMgy, 1, 'mGy')),
  ]);
}

function labelled(label: string, value: string | null): string | null {
  return value ? `${label} ${value}` : null;
}

function labelledNumber(label: string, value: number | null): string | null {
  return labelled(label, formatNumber(value, 0));
}

function withUnit(value: number | undefined, maxDecimals: number, unit: string): string | null {
  const number = formatNumber(value, maxDecimals);
  return number === null ? null : `${number} ${unit}`;
}
