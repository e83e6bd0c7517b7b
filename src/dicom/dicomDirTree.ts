import type { DicomDirEntry } from './classify';

/**
 * A DICOMDIR's IMAGE records grouped the way its PATIENT, STUDY and SERIES records nest them, in
 * the order the directory lists them: what a CD's contents page shows.
 */
export interface DicomDirSeries {
  instanceUID: string;
  modality: string;
  number: string;
  description: string;
  /** Referenced File IDs ("DICOM/IMG1"), relative to the DICOMDIR's folder. */
  fileIds: string[];
}

export interface DicomDirStudy {
  instanceUID: string;
  date: string;
  description: string;
  series: DicomDirSeries[];
}

export interface DicomDirPatient {
  id: string;
  name: string;
  studies: DicomDirStudy[];
}

export function groupDicomDirEntries(entries: DicomDirEntry[]): DicomDirPatient[] {
  const patients: DicomDirPatient[] = [];
  for (const entry of entries) {
    let patient = patients.find((p) => p.id === entry.patient.id && p.name === entry.patient.name);
    if (!patient) patients.push((patient = { ...entry.patient, studies: [] }));
    let study = patient.studies.find((s) => s.instanceUID === entry.study.instanceUID);
    if (!study) patient.studies.push((study = { ...entry.study, series: [] }));
    let series = study.series.find((s) => s.instanceUID === entry.series.instanceUID);
    if (!series) study.series.push((series = { ...entry.series, fileIds: [] }));
    series.fileIds.push(entry.fileId);
  }
  return patients;
}

/**
 * The chosen file a File ID names: the same path under the DICOMDIR's folder (case-insensitive, as
 * CD file systems are), else, for files chosen without their folders, the only file of that name.
 */
export function resolveFileId<T extends { path: string }>(fileId: string, dicomDirPath: string, files: T[]): T | undefined {
  const lower = (s: string) => s.toLowerCase();
  const slash = dicomDirPath.lastIndexOf('/');
  const wanted = lower((slash < 0 ? '' : dicomDirPath.slice(0, slash + 1)) + fileId);
  const exact = files.find((f) => lower(f.path) === wanted);
  if (exact) return exact;
  const name = lower(fileId.slice(fileId.lastIndexOf('/') + 1));
  const byName = files.filter((f) => lower(f.path.slice(f.path.lastIndexOf('/') + 1)) === name);
  return byName.length === 1 ? byName[0] : undefined;
}
