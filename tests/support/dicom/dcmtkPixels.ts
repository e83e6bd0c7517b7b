import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import dicomParser from 'dicom-parser';

const scratch = mkdtempSync(join(tmpdir(), 'fluorolens-dcmtk-'));
let made = 0;

/** A file in a scratch folder of its own, for DCMTK to read or write. */
export function scratchFile(name: string, bytes?: Uint8Array): string {
  const path = join(scratch, `${made++}-${name}`);
  if (bytes) writeFileSync(path, bytes);
  return path;
}

/** A JPEG file's native pixel values, as DCMTK (dcmdjpeg) decompresses them (frame 1 onwards). */
export function dcmtkPixels(file: string, bitsAllocated: 8 | 16): Uint8Array | Uint16Array {
  const out = scratchFile('dcmdjpeg.dcm');
  execFileSync('dcmdjpeg', [file, out], { stdio: 'pipe' });
  const bytes = readFileSync(out);
  const element = dicomParser.parseDicom(new Uint8Array(bytes)).elements.x7fe00010;
  const pixels = bytes.buffer.slice(bytes.byteOffset + element.dataOffset, bytes.byteOffset + element.dataOffset + element.length);
  return bitsAllocated === 16 ? new Uint16Array(pixels) : new Uint8Array(pixels);
}

/** Frame 1's compressed bytes as stored: all fragments of a single-frame file, else frame 1's. */
export function firstFrameBytes(file: string): Uint8Array {
  const bytes = new Uint8Array(readFileSync(file));
  const dataSet = dicomParser.parseDicom(bytes);
  const element = dataSet.elements.x7fe00010;
  const frames = dataSet.intString('x00280008') ?? 1;
  if (frames > 1) return dicomParser.readEncapsulatedImageFrame(dataSet, element, 0);
  return dicomParser.readEncapsulatedPixelDataFromFragments(dataSet, element, 0, element.fragments!.length);
}
