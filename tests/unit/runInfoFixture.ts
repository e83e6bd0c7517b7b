/** A complete RunInfo for tests of code that reads one, with the fields a test cares about overridden. */
import type { RunInfo } from '../../src/dicom/types';

export function runInfoWith(overrides: Partial<RunInfo> = {}): RunInfo {
  const frameCount = overrides.frameCount ?? 30;
  return {
    patient: { name: 'TEST^RUN', id: 'P1', birthDate: '', sex: '' },
    study: { instanceUID: '2.25.77.1', date: '20240312', time: '101500', description: '', accessionNumber: '', institution: '' },
    series: { instanceUID: '2.25.77.2', number: 1, description: '', modality: 'XA' },
    sopClassUID: '1.2.840.10008.5.1.4.1.1.12.1',
    sopInstanceUIDs: ['2.25.77.3'],
    instanceNumber: 1,
    instances: [],
    transferSyntaxUID: '1.2.840.10008.1.2.1',
    imageType: ['ORIGINAL', 'PRIMARY'],
    lossy: null,
    rows: 512,
    columns: 512,
    bitsAllocated: 8,
    bitsStored: 8,
    highBit: 7,
    pixelRepresentation: 0,
    samplesPerPixel: 1,
    photometricInterpretation: 'MONOCHROME2',
    planarConfiguration: 0,
    frameCount,
    timing: {
      frameStartMs: Array.from({ length: frameCount }, (_, i) => i * 100),
      durationMs: frameCount * 100,
      nominalFps: 10,
      source: 'Frame Time',
      notes: [],
    },
    cineDisplay: { trim: null, sequencing: null },
    spacing: { preferred: null, candidates: [] },
    positioner: null,
    exposure: {},
    dose: {},
    acquisitionDateTime: '',
    shutter: null,
    maskSubtraction: null,
    subtraction: { items: [], recommendedViewingMode: '', framePixelShifts: [] },
    pixelIntensityRelationship: '',
    pixelIntensityRelationshipSign: null,
    voi: { windows: [] },
    modalityLut: { kind: 'rescale', slope: 1, intercept: 0 },
    ...overrides,
  };
}
