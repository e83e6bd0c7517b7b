import { blobSource } from './byteSources';
import type { InputFile } from './openFiles';

/** Files from an <input type=file> (with or without webkitdirectory). */
export function inputFilesFromList(list: FileList | File[]): InputFile[] {
  return Array.from(list).map((file) => {
    const path = file.webkitRelativePath || file.name;
    return { source: blobSource(file, path), path };
  });
}

function readAllEntries(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
  // readEntries returns at most ~100 entries per call; keep asking until it returns none.
  return new Promise((resolve, reject) => {
    const all: FileSystemEntry[] = [];
    const readBatch = () =>
      reader.readEntries((batch) => {
        if (batch.length === 0) resolve(all);
        else {
          all.push(...batch);
          readBatch();
        }
      }, reject);
    readBatch();
  });
}

async function walkEntry(entry: FileSystemEntry, out: InputFile[]): Promise<void> {
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
    const path = entry.fullPath.replace(/^\//, '');
    out.push({ source: blobSource(file, path), path });
  } else if (entry.isDirectory) {
    const children = await readAllEntries((entry as FileSystemDirectoryEntry).createReader());
    for (const child of children) await walkEntry(child, out);
  }
}

/** Files and folders dropped on the page, folders walked recursively. */
export async function inputFilesFromDrop(dataTransfer: DataTransfer): Promise<InputFile[]> {
  const entries = Array.from(dataTransfer.items)
    .filter((item) => item.kind === 'file')
    .map((item) => item.webkitGetAsEntry?.())
    .filter((entry): entry is FileSystemEntry => Boolean(entry));
  if (entries.length === 0) return inputFilesFromList(dataTransfer.files);
  const out: InputFile[] = [];
  for (const entry of entries) await walkEntry(entry, out);
  return out;
}
