import { classifyInstance, readDicomDir } from '../dicom/classify';
import { groupDicomDirEntries, resolveFileId, type DicomDirPatient, type DicomDirSeries, type DicomDirStudy } from '../dicom/dicomDirTree';
import { readHeader } from '../dicom/header';
import { DicomInputError } from '../dicom/types';
import type { InputFile } from './openFiles';

/** A series of an opened DICOMDIR, with the chosen files it names and the names it lists that are missing. */
export interface DirectorySeries extends DicomDirSeries {
  /** Unique among open directories: the DICOMDIR's path and the Series Instance UID. */
  key: string;
  files: InputFile[];
  missing: string[];
}

export interface DirectoryStudy extends Omit<DicomDirStudy, 'series'> {
  series: DirectorySeries[];
}

export interface DirectoryPatient extends Omit<DicomDirPatient, 'studies'> {
  studies: DirectoryStudy[];
}

/** What a DICOMDIR lists, matched to the files chosen with it. */
export interface OpenedDirectory {
  /** Path of the DICOMDIR file as chosen ("CD/DICOMDIR"). */
  path: string;
  patients: DirectoryPatient[];
  /** Chosen files the DICOMDIR does not list (not opened). */
  unlisted: number;
}

/** The standard's name for the file (PS3.10 8.6); CD file systems may change its case. */
export function isDicomDirPath(path: string): boolean {
  return path.slice(path.lastIndexOf('/') + 1).toUpperCase() === 'DICOMDIR';
}

export function directorySeries(directory: OpenedDirectory): DirectorySeries[] {
  return directory.patients.flatMap((p) => p.studies.flatMap((s) => s.series));
}

/** Reads the DICOMDIR's records and finds each file it names among `inputs`. */
export async function readDirectory(dicomDir: InputFile, inputs: InputFile[]): Promise<OpenedDirectory> {
  const header = await readHeader(dicomDir.source);
  if (classifyInstance(header).kind !== 'dicomdir')
    throw new DicomInputError(dicomDir.path, 'is named DICOMDIR but holds no directory records');
  const others = inputs.filter((input) => input !== dicomDir);
  const listed = new Set<InputFile>();
  const patients = groupDicomDirEntries(await readDicomDir(header)).map((patient) => ({
    ...patient,
    studies: patient.studies.map((study) => ({
      ...study,
      series: study.series.map((series): DirectorySeries => {
        const files: InputFile[] = [];
        const missing: string[] = [];
        for (const fileId of series.fileIds) {
          const file = resolveFileId(fileId, dicomDir.path, others);
          if (file) {
            files.push(file);
            listed.add(file);
          } else missing.push(fileId);
        }
        return { ...series, key: `${dicomDir.path}#${series.instanceUID}`, files, missing };
      }),
    })),
  }));
  return { path: dicomDir.path, patients, unlisted: others.filter((input) => !listed.has(input)).length };
}
