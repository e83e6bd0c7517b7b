import { writeFileSync } from 'node:fs';
import dcmjs from 'dcmjs';

/** A minimal Basic Text SR, to check that non-image objects are skipped with a reason. */
export function writeStructuredReport(path: string): void {
  const { DicomMetaDictionary, DicomDict } = dcmjs.data;
  const sopInstanceUID = '2.25.311234567890123456789012345678901';
  const meta = DicomMetaDictionary.denaturalizeDataset({
    FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
    MediaStorageSOPClassUID: '1.2.840.10008.5.1.4.1.1.88.11',
    MediaStorageSOPInstanceUID: sopInstanceUID,
    TransferSyntaxUID: '1.2.840.10008.1.2.1',
    ImplementationClassUID: '2.25.1',
  });
  const dataset = DicomMetaDictionary.denaturalizeDataset({
    SOPClassUID: '1.2.840.10008.5.1.4.1.1.88.11',
    SOPInstanceUID: sopInstanceUID,
    Modality: 'SR',
    PatientName: 'FLUOROLENS^SYNTHETIC',
    PatientID: 'FL-SAMPLE-001',
    StudyInstanceUID: '2.25.311234567890123456789012345678902',
    SeriesInstanceUID: '2.25.311234567890123456789012345678903',
    ValueType: 'CONTAINER',
    ContinuityOfContent: 'SEPARATE',
    CompletionFlag: 'COMPLETE',
    VerificationFlag: 'UNVERIFIED',
  });
  const dict = new DicomDict(meta);
  dict.dict = dataset;
  writeFileSync(path, Buffer.from(dict.write()));
}
