/** Constants of the persisted annotation format (DESIGN.md, "Persisted format"). */

export const FORMAT_TYPE = 'fluorolens-annotations';

/** The version this build writes and the newest it reads. Bump it together with a migration. */
export const CURRENT_VERSION = 2;

/**
 * Known keys per object, in the order they are written; anything else is kept in `extra`.
 * `derived` is written last and never read back (derived.ts); listing it keeps it out of `extra`.
 */
export const ENVELOPE_KEYS = [
  'type',
  'version',
  'createdBy',
  'savedAt',
  'run',
  'tracks',
  'caseRecord',
  'calibration',
  'vascularFlags',
  'leadTips',
  'derived',
] as const;
export const RUN_KEYS = ['studyInstanceUID', 'seriesInstanceUID', 'sopInstanceUIDs', 'frameCount'] as const;
export const TRACK_KEYS = ['id', 'kind', 'label', 'color', 'text', 'range', 'keyframes'] as const;
export const KEYFRAME_KEYS = ['frame', 'geometry'] as const;
export const CASE_RECORD_KEYS = [
  'procedure',
  'levels',
  'side',
  'approach',
  'contrastPatterns',
  'contrastFirstSeenFrame',
  'placementConfirmedBeforeMedication',
  'notes',
  'injectates',
] as const;
export const INJECTATE_KEYS = ['agent', 'volumeMl', 'frame', 'time', 'note'] as const;
export const CALIBRATION_KEYS = ['objectName', 'lengthMm', 'frame', 'line'] as const;
export const VASCULAR_FLAG_KEYS = ['id', 'uptake', 'from', 'to', 'note'] as const;
export const LEAD_TIP_KEYS = ['id', 'label', 'frame', 'level', 'position'] as const;
