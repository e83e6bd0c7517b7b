/**
 * Explicit VR Big Endian copies of generated runs, encoded by DCMTK (`dcmconv -F +tb`), not by us:
 * a reader's big-endian path is then checked against a writer nobody here wrote. dcmconv
 * re-encodes the data set only; the File Meta Information stays ours (always little endian, with
 * the transfer syntax changed), so the output does not depend on DCMTK's version strings.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TS_EXPLICIT_BE, TS_EXPLICIT_LE } from './dicom';

const PREAMBLE_AND_MAGIC = 132;

/** Length of preamble + "DICM" + the File Meta group, read from its group length element. */
function metaEnd(file: Uint8Array): number {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  if (view.getUint16(PREAMBLE_AND_MAGIC, true) !== 0x0002 || view.getUint16(PREAMBLE_AND_MAGIC + 2, true) !== 0x0000) {
    throw new Error('the file does not start its meta group with (0002,0000)');
  }
  return PREAMBLE_AND_MAGIC + 12 + view.getUint32(PREAMBLE_AND_MAGIC + 8, true);
}

/** The same instance in Explicit VR Big Endian; `littleEndian` is a Part 10 file in Explicit VR Little Endian. */
export function toBigEndian(littleEndian: Uint8Array): Uint8Array {
  const dir = mkdtempSync(join(tmpdir(), 'fluorolens-samples-be-'));
  try {
    writeFileSync(join(dir, 'le.dcm'), littleEndian);
    try {
      execFileSync('dcmconv', ['-F', '+tb', join(dir, 'le.dcm'), join(dir, 'be.ds')], { stdio: ['ignore', 'ignore', 'pipe'] });
    } catch (error) {
      throw new Error(`DCMTK's dcmconv is needed to write the big-endian samples (apt-get install dcmtk): ${String(error)}`);
    }
    const dataSet = readFileSync(join(dir, 'be.ds'));
    const end = metaEnd(littleEndian);
    const meta = Buffer.from(littleEndian.subarray(0, end));
    // Both UIDs have 19 characters: the group length and every offset stay as they are.
    const at = meta.indexOf(TS_EXPLICIT_LE, PREAMBLE_AND_MAGIC, 'latin1');
    if (at < 0) throw new Error('no explicit little endian transfer syntax in the meta group');
    meta.write(TS_EXPLICIT_BE, at, 'latin1');
    return new Uint8Array(Buffer.concat([meta, dataSet]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
