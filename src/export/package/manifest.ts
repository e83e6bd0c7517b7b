/**
 * manifest.json of a teaching package: what is in the zip and where, versioned like the
 * annotation envelope ({ type, version }).
 *
 * The quiz lives here, not in the annotation document. Which tracks are questions is a property
 * of how a case is presented to trainees, and travels only with a teaching package; the
 * annotation document is the record of what was seen, also saved by autosave, exported as JSON
 * and as DICOM SR. Putting the quiz in the document would make every annotation file carry it
 * and cost a schema version and migration for a field only packages use. The manifest already
 * names each run's tracks file, so a question is simply (run, track id, frames).
 *
 * Package format history:
 *   1  First version: runs (de-identified DICOM paths in frame order, annotations, video, key
 *      frames), learning points, de-identification summary, quiz version 1.
 * Quiz format history:
 *   1  questions: [{ run, trackId, frames }] (needle tip and target tracks); contrastPatternRuns:
 *      the runs whose contrast pattern the trainee must pick.
 */

export const PACKAGE_TYPE = 'fluorolens-teaching-case';
export const PACKAGE_VERSION = 1;
export const QUIZ_VERSION = 1;
export const MANIFEST_PATH = 'manifest.json';
export const CASE_HTML_PATH = 'case.html';

export type VideoFormat = 'mp4' | 'webm' | 'gif';
export const VIDEO_MIME: Readonly<Record<VideoFormat, string>> = { mp4: 'video/mp4', webm: 'video/webm', gif: 'image/gif' };

export interface QuizQuestion {
  /** Run id in the manifest, e.g. "run-1". */
  readonly run: string;
  /** Track id in that run's annotation document (a needle tip or target track). */
  readonly trackId: string;
  /** 1-based frames the trainee is asked about. */
  readonly frames: readonly number[];
}

export interface QuizSettings {
  readonly version: number;
  readonly questions: readonly QuizQuestion[];
  /** Runs whose contrast pattern (case record) the trainee must pick. */
  readonly contrastPatternRuns: readonly string[];
}

export interface ManifestKeyFrame {
  readonly frame: number;
  readonly path: string;
  readonly caption: string;
}

export interface ManifestRun {
  readonly id: string;
  readonly label: string;
  /** New (de-identified) UIDs. */
  readonly studyInstanceUID: string;
  readonly seriesInstanceUID: string;
  /** In frame order, one per DICOM file. */
  readonly sopInstanceUIDs: readonly string[];
  readonly frameCount: number;
  /** DICOM files in frame order. */
  readonly dicom: readonly string[];
  readonly annotations: string | null;
  readonly video: { readonly path: string; readonly format: VideoFormat } | null;
  readonly keyFrames: readonly ManifestKeyFrame[];
  /** Burned-in text was masked (Clean Pixel Data): the DICOM is native, decompressed. */
  readonly pixelsCleaned: boolean;
}

export interface ManifestDeidentification {
  readonly standard: string;
  readonly methodCodes: readonly { readonly value: string; readonly scheme: 'DCM'; readonly meaning: string }[];
  readonly patientName: string;
  readonly patientId: string;
}

export interface Manifest {
  readonly type: typeof PACKAGE_TYPE;
  readonly version: number;
  readonly createdBy: string;
  readonly title: string;
  readonly learningPoints: readonly string[];
  readonly runs: readonly ManifestRun[];
  readonly quiz: QuizSettings | null;
  readonly deidentification: ManifestDeidentification;
}
