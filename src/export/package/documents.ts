/**
 * The annotation document as it goes into a teaching package: its run reference points at the new
 * (de-identified) UIDs, and every `extra` field is dropped. Extras are fields from a newer file
 * that this build does not know; we cannot vouch that they hold nothing identifying.
 */
import type { AnnotationDocument, Keyframe, Track } from '../../annotations/model';

export interface PackagedRun {
  readonly studyInstanceUID: string;
  readonly seriesInstanceUID: string;
  readonly sopInstanceUIDs: readonly string[];
  readonly frameCount: number;
}

function withoutExtra<T extends { extra?: unknown }>(value: T): T {
  if (!('extra' in value)) return value;
  const copy = { ...value };
  delete copy.extra;
  return copy;
}

export function documentForPackage(doc: AnnotationDocument, run: PackagedRun): AnnotationDocument {
  const tracks = doc.tracks.map(
    (track) => withoutExtra({ ...track, keyframes: (track.keyframes as readonly Keyframe[]).map(withoutExtra) }) as Track,
  );
  return {
    runRef: {
      studyInstanceUID: run.studyInstanceUID,
      seriesInstanceUID: run.seriesInstanceUID,
      sopInstanceUIDs: [...run.sopInstanceUIDs],
      frameCount: run.frameCount,
    },
    tracks,
    caseRecord: withoutExtra(doc.caseRecord),
    // Calibration, vascular flags and lead tips hold frames, points and the educator's own words, no identity.
    calibration: doc.calibration,
    vascularFlags: doc.vascularFlags,
    leadTips: doc.leadTips,
  };
}

/** The texts of a document a person typed, with where they are, for the identity check. */
export function documentTexts(doc: AnnotationDocument, where: string): { field: string; text: string }[] {
  const texts: { field: string; text: string }[] = [{ field: `${where}: case record notes`, text: doc.caseRecord.notes }];
  for (const flag of doc.vascularFlags) texts.push({ field: `${where}: note of vascular flag "${flag.id}"`, text: flag.note });
  for (const lead of doc.leadTips) texts.push({ field: `${where}: label of lead tip "${lead.id}"`, text: lead.label });
  doc.caseRecord.injectates.forEach((entry, i) => {
    texts.push({ field: `${where}: injectate ${i + 1} agent`, text: entry.agent });
    texts.push({ field: `${where}: injectate ${i + 1} note`, text: entry.note });
  });
  if (doc.calibration) texts.push({ field: `${where}: calibration object`, text: doc.calibration.objectName });
  for (const track of doc.tracks) {
    texts.push({ field: `${where}: label of track "${track.id}"`, text: track.label });
    if (track.kind === 'arrow' || track.kind === 'caption')
      texts.push({ field: `${where}: text of track "${track.id}"`, text: track.text });
  }
  return texts;
}
