/**
 * Teaching packages among the files the user opened: a .zip (dropped or chosen with Open DICOM
 * files) or the unpacked folder (its manifest.json among the files). Each is read with
 * readTeachingPackage; its DICOM files become inputs like any other (held in memory), so the
 * session opens them as runs, and its annotations and quiz come along. Any other zip (a study as a
 * PACS or a colleague sends it) opens as the folder it holds.
 */
import type { FileProblem, InputFile } from './openFiles';
import { bytesSource } from './byteSources';
import { UnzipCancelledError, unzipOffThread } from './unzip';
import {
  isTeachingPackage,
  MANIFEST_PATH,
  readTeachingPackage,
  ZipReadError,
  type PackageFile,
  type TeachingPackageRead,
} from '../export/package';

export interface OpenedTeachingPackage {
  /** The zip's or folder's path, for messages. */
  readonly name: string;
  readonly read: Extract<TeachingPackageRead, { ok: true }>;
  /** The DICOM files of each package run (same order as read.runs), as inputs to open. */
  readonly runInputs: readonly InputFile[][];
}

export interface PackageSplit {
  readonly packages: OpenedTeachingPackage[];
  readonly problems: FileProblem[];
  /** Everything that is not part of a package (the files of other zips among it). */
  readonly rest: InputFile[];
}

export const isZipPath = (path: string): boolean => /\.zip$/i.test(path);

async function bytesOf(input: InputFile): Promise<Uint8Array> {
  return input.source.read(0, input.source.size);
}

function opened(name: string, read: Extract<TeachingPackageRead, { ok: true }>): OpenedTeachingPackage {
  const runInputs = read.runs.map((run) =>
    run.dicomFiles.map((file) => {
      const path = `${name}/${file.path}`;
      return { source: bytesSource(file.bytes, path), path };
    }),
  );
  return { name, read, runInputs };
}

/**
 * Finds the teaching packages (zips and unpacked folders) among the inputs. When `signal` aborts
 * (Close all) the unpacking stops and UnzipCancelledError is thrown.
 */
export async function splitTeachingPackages(inputs: readonly InputFile[], signal?: AbortSignal): Promise<PackageSplit> {
  const packages: OpenedTeachingPackage[] = [];
  const problems: FileProblem[] = [];
  const taken = new Set<InputFile>();
  /** The files of zips that are not teaching packages. */
  const unzipped: InputFile[] = [];

  for (const input of inputs.filter((i) => isZipPath(i.path))) {
    taken.add(input);
    let files: PackageFile[];
    try {
      files = await unzipOffThread(await bytesOf(input), signal);
    } catch (error) {
      if (error instanceof UnzipCancelledError) throw error;
      problems.push({
        file: input.path,
        reason: error instanceof ZipReadError ? error.reason : `could not be unpacked (${String(error)})`,
      });
      continue;
    }
    if (!isTeachingPackage(files)) {
      if (files.length === 0) problems.push({ file: input.path, reason: 'is an empty zip' });
      // Its files open as a folder's do, each named inside the zip ("study.zip/DICOM/IM1").
      for (const file of files) {
        const path = `${input.path}/${file.path}`;
        unzipped.push({ source: bytesSource(file.bytes, path), path });
      }
      continue;
    }
    const read = readTeachingPackage(files);
    if (!read.ok) problems.push({ file: input.path, reason: read.error });
    else packages.push(opened(input.path, read));
  }

  // Unpacked folders: a manifest.json with the files beside and below it.
  const manifests = inputs.filter((i) => !taken.has(i) && (i.path === MANIFEST_PATH || i.path.endsWith(`/${MANIFEST_PATH}`)));
  for (const manifest of manifests) {
    // Some other manifest.json (a web viewer's on a CD): its folder is read as usual, and its
    // files are not all read into memory first to find that out.
    if (!isTeachingPackage([{ path: MANIFEST_PATH, bytes: await bytesOf(manifest) }])) continue;
    const root = manifest.path.slice(0, manifest.path.length - MANIFEST_PATH.length);
    const members = inputs.filter((i) => !taken.has(i) && i.path.startsWith(root) && !isZipPath(i.path));
    const files: PackageFile[] = [];
    for (const member of members) files.push({ path: member.path.slice(root.length), bytes: await bytesOf(member) });
    for (const member of members) taken.add(member);
    const name = root.replace(/\/$/, '') || MANIFEST_PATH;
    const read = readTeachingPackage(files);
    if (!read.ok) problems.push({ file: name, reason: read.error });
    else packages.push(opened(name, read));
  }
  return { packages, problems, rest: [...inputs.filter((i) => !taken.has(i)), ...unzipped] };
}
