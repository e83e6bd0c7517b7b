import { describe, expect, it } from 'vitest';
import type { DicomDirEntry } from '../../src/dicom/classify';
import { groupDicomDirEntries, resolveFileId } from '../../src/dicom/dicomDirTree';

const patient = { id: 'P1', name: 'DOE^JANE' };
const study = (n: number) => ({ instanceUID: `1.2.${n}`, date: '20240312', description: `Study ${n}` });
const series = (n: number) => ({ instanceUID: `1.3.${n}`, modality: 'XA', number: String(n), description: n === 2 ? 'Lateral' : '' });
const entry = (fileId: string, s: number, r: number): DicomDirEntry => ({
  fileId,
  sopClassUID: '1.2.840.10008.5.1.4.1.1.12.1',
  sopInstanceUID: `1.4.${fileId}`,
  transferSyntaxUID: '1.2.840.10008.1.2.1',
  patient,
  study: study(s),
  series: series(r),
});

describe('a DICOMDIR as patients, studies and series', () => {
  it('nests the IMAGE records under their records, in directory order', () => {
    const tree = groupDicomDirEntries([entry('DICOM/A', 1, 1), entry('DICOM/B', 1, 2), entry('DICOM/C', 1, 1), entry('DICOM/D', 2, 3)]);
    expect(tree).toHaveLength(1);
    expect(tree[0]).toMatchObject({ id: 'P1', name: 'DOE^JANE' });
    expect(tree[0].studies.map((s) => s.description)).toEqual(['Study 1', 'Study 2']);
    expect(tree[0].studies[0].series.map((s) => [s.number, s.description, s.fileIds])).toEqual([
      ['1', '', ['DICOM/A', 'DICOM/C']],
      ['2', 'Lateral', ['DICOM/B']],
    ]);
    expect(tree[0].studies[1].series[0].fileIds).toEqual(['DICOM/D']);
  });

  it('finds a listed file under the DICOMDIR folder whatever its case, else by a unique name', () => {
    const files = [{ path: 'CD/dicom/img1' }, { path: 'CD/DICOM/IMG2' }, { path: 'IMG3' }, { path: 'x/IMG4' }, { path: 'y/IMG4' }];
    expect(resolveFileId('DICOM/IMG1', 'CD/DICOMDIR', files)).toBe(files[0]);
    expect(resolveFileId('DICOM/IMG2', 'CD/DICOMDIR', files)).toBe(files[1]);
    // Chosen as loose files: no folder to match, the name is enough when only one file has it.
    expect(resolveFileId('DICOM/IMG3', 'DICOMDIR', files)).toBe(files[2]);
    expect(resolveFileId('DICOM/IMG4', 'CD/DICOMDIR', files)).toBeUndefined();
    expect(resolveFileId('DICOM/IMG9', 'CD/DICOMDIR', files)).toBeUndefined();
  });
});
