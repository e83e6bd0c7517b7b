/**
 * Writes an X-Ray Radiation Dose SR (TID 10001 Projection X-Ray Radiation Dose) with dcmjs: the
 * sample case's dose report, and the reports unit tests read. Values are given in the units the
 * template asks for (Gy·m², Gy, s, kV, mA, ms), as a modality writes them.
 */
import { createRequire } from 'node:module';

interface DcmjsDict {
  dict: Record<string, unknown>;
  write(options?: { fragmentMultiframe?: boolean }): ArrayBuffer;
}
interface Dcmjs {
  data: {
    DicomDict: new (meta: Record<string, { vr: string; Value: unknown[] }>) => DcmjsDict;
    DicomMetaDictionary: { denaturalizeDataset(ds: Record<string, unknown>): Record<string, { vr: string; Value: unknown[] }> };
  };
}
const dcmjs = createRequire(import.meta.url)('dcmjs') as Dcmjs;

export const RDSR_SOP_CLASS = '1.2.840.10008.5.1.4.1.1.88.67';

export interface RdsrEvent {
  uid: string;
  /** DICOM DT, e.g. "20240312102000". */
  started: string;
  type: 'fluoroscopy' | 'stationary';
  protocol: string;
  dapGym2: number;
  doseRpGy: number;
  primaryDeg: number;
  secondaryDeg: number;
  kvp: number;
  tubeCurrentMa: number;
  pulseWidthMs: number;
  pulses: number;
  durationS: number;
}

export interface RdsrInput {
  sopInstanceUID: string;
  seriesInstanceUID: string;
  studyInstanceUID: string;
  implementationClassUID: string;
  study: { date: string; time: string; id: string; accession: string; description: string };
  patient: { name: string; id: string; birthDate: string; sex: string };
  seriesNumber: number;
  content: { date: string; time: string };
  device: { uid: string; name: string; manufacturer: string; model: string; serial: string; software: string; institution: string };
  totals: {
    dapGym2: number;
    doseRpGy: number;
    fluoroDapGym2: number;
    fluoroDoseRpGy: number;
    fluoroTimeS: number;
    acquisitionDapGym2: number;
    acquisitionDoseRpGy: number;
    acquisitionTimeS: number;
    frames: number;
  };
  events: RdsrEvent[];
}

type Code = [value: string, scheme: string, meaning: string];
const DCM = (value: string, meaning: string): Code => [value, 'DCM', meaning];

const codeItem = ([value, scheme, meaning]: Code) => ({ CodeValue: value, CodingSchemeDesignator: scheme, CodeMeaning: meaning });

function item(relationship: string, valueType: string, concept: Code, value: Record<string, unknown> = {}): Record<string, unknown> {
  return { RelationshipType: relationship, ValueType: valueType, ConceptNameCodeSequence: [codeItem(concept)], ...value };
}
const num = (concept: Code, value: number, unit: Code) =>
  item('CONTAINS', 'NUM', concept, {
    MeasuredValueSequence: [{ NumericValue: String(Number(value.toPrecision(6))), MeasurementUnitsCodeSequence: [codeItem(unit)] }],
  });
const code = (relationship: string, concept: Code, value: Code) =>
  item(relationship, 'CODE', concept, { ConceptCodeSequence: [codeItem(value)] });
const textItem = (relationship: string, concept: Code, value: string) => item(relationship, 'TEXT', concept, { TextValue: value });
const uidItem = (relationship: string, concept: Code, value: string) => item(relationship, 'UIDREF', concept, { UID: value });

const UCUM = (value: string, meaning: string): Code => [value, 'UCUM', meaning];
const GYM2 = UCUM('Gy.m2', 'Gy.m2');
const GY = UCUM('Gy', 'Gy');
const SEC = UCUM('s', 'second');
const DEG = UCUM('deg', 'degree');
const PLANE = code('HAS CONCEPT MOD', DCM('113764', 'Acquisition Plane'), DCM('113622', 'Single Plane'));

function eventItem(e: RdsrEvent): Record<string, unknown> {
  const type: Code = e.type === 'fluoroscopy' ? ['44491008', 'SCT', 'Fluoroscopy'] : DCM('113611', 'Stationary Acquisition');
  return item('CONTAINS', 'CONTAINER', DCM('113706', 'Irradiation Event X-Ray Data'), {
    ContinuityOfContent: 'SEPARATE',
    ContentSequence: [
      PLANE,
      uidItem('CONTAINS', DCM('113769', 'Irradiation Event UID'), e.uid),
      item('CONTAINS', 'DATETIME', DCM('111526', 'DateTime Started'), { DateTime: e.started }),
      code('CONTAINS', DCM('113721', 'Irradiation Event Type'), type),
      textItem('CONTAINS', DCM('125203', 'Acquisition Protocol'), e.protocol),
      code('CONTAINS', ['123014', 'DCM', 'Target Region'], ['421060004', 'SCT', 'Spine']),
      num(DCM('122130', 'Dose Area Product'), e.dapGym2, GYM2),
      num(DCM('113738', 'Dose (RP)'), e.doseRpGy, GY),
      num(DCM('112011', 'Positioner Primary Angle'), e.primaryDeg, DEG),
      num(DCM('112012', 'Positioner Secondary Angle'), e.secondaryDeg, DEG),
      num(DCM('113733', 'KVP'), e.kvp, UCUM('kV', 'kV')),
      num(DCM('113734', 'X-Ray Tube Current'), e.tubeCurrentMa, UCUM('mA', 'mA')),
      num(DCM('113793', 'Pulse Width'), e.pulseWidthMs, UCUM('ms', 'ms')),
      num(DCM('113768', 'Number of Pulses'), e.pulses, UCUM('{pulses}', 'pulses')),
      num(DCM('113742', 'Irradiation Duration'), e.durationS, SEC),
    ],
  });
}

/** The naturalized data set of the report. */
export function rdsrDataset(input: RdsrInput): Record<string, unknown> {
  const t = input.totals;
  const observer = [
    code('HAS OBS CONTEXT', DCM('121005', 'Observer Type'), DCM('121007', 'Device')),
    uidItem('HAS OBS CONTEXT', DCM('121012', 'Device Observer UID'), input.device.uid),
    textItem('HAS OBS CONTEXT', DCM('121013', 'Device Observer Name'), input.device.name),
    textItem('HAS OBS CONTEXT', DCM('121014', 'Device Observer Manufacturer'), input.device.manufacturer),
    textItem('HAS OBS CONTEXT', DCM('121015', 'Device Observer Model Name'), input.device.model),
    textItem('HAS OBS CONTEXT', DCM('121016', 'Device Observer Serial Number'), input.device.serial),
  ];
  const accumulated = item('CONTAINS', 'CONTAINER', DCM('113702', 'Accumulated X-Ray Dose Data'), {
    ContinuityOfContent: 'SEPARATE',
    ContentSequence: [
      PLANE,
      num(DCM('113722', 'Dose Area Product Total'), t.dapGym2, GYM2),
      num(DCM('113725', 'Dose (RP) Total'), t.doseRpGy, GY),
      num(DCM('113726', 'Fluoro Dose Area Product Total'), t.fluoroDapGym2, GYM2),
      num(DCM('113728', 'Fluoro Dose (RP) Total'), t.fluoroDoseRpGy, GY),
      num(DCM('113730', 'Total Fluoro Time'), t.fluoroTimeS, SEC),
      num(DCM('113727', 'Acquisition Dose Area Product Total'), t.acquisitionDapGym2, GYM2),
      num(DCM('113729', 'Acquisition Dose (RP) Total'), t.acquisitionDoseRpGy, GY),
      num(DCM('113855', 'Total Acquisition Time'), t.acquisitionTimeS, SEC),
      num(DCM('113731', 'Total Number of Radiographic Frames'), t.frames, UCUM('1', 'no units')),
      code('CONTAINS', DCM('113780', 'Reference Point Definition'), DCM('113860', '15cm from Isocenter toward Source')),
    ],
  });
  return {
    SOPClassUID: RDSR_SOP_CLASS,
    SOPInstanceUID: input.sopInstanceUID,
    InstanceCreationDate: input.content.date,
    InstanceCreationTime: input.content.time,
    SpecificCharacterSet: 'ISO_IR 100',
    PatientName: input.patient.name,
    PatientID: input.patient.id,
    PatientBirthDate: input.patient.birthDate,
    PatientSex: input.patient.sex,
    StudyInstanceUID: input.studyInstanceUID,
    StudyDate: input.study.date,
    StudyTime: input.study.time,
    ReferringPhysicianName: '',
    StudyID: input.study.id,
    AccessionNumber: input.study.accession,
    StudyDescription: input.study.description,
    Modality: 'SR',
    SeriesInstanceUID: input.seriesInstanceUID,
    SeriesNumber: String(input.seriesNumber),
    SeriesDescription: 'Radiation Dose Information',
    ReferencedPerformedProcedureStepSequence: [],
    Manufacturer: input.device.manufacturer,
    InstitutionName: input.device.institution,
    StationName: input.device.name,
    ManufacturerModelName: input.device.model,
    DeviceSerialNumber: input.device.serial,
    SoftwareVersions: input.device.software,
    InstanceNumber: '1',
    CompletionFlag: 'COMPLETE',
    VerificationFlag: 'UNVERIFIED',
    ContentDate: input.content.date,
    ContentTime: input.content.time,
    PerformedProcedureCodeSequence: [],
    ValueType: 'CONTAINER',
    ConceptNameCodeSequence: [codeItem(DCM('113701', 'X-Ray Radiation Dose Report'))],
    ContinuityOfContent: 'SEPARATE',
    ContentTemplateSequence: [{ MappingResource: 'DCMR', TemplateIdentifier: '10001' }],
    ContentSequence: [
      code('HAS CONCEPT MOD', DCM('121058', 'Procedure reported'), DCM('113704', 'Projection X-Ray')),
      ...observer,
      code('HAS OBS CONTEXT', DCM('113705', 'Scope of Accumulation'), DCM('113014', 'Study')),
      accumulated,
      ...input.events.map(eventItem),
    ],
  };
}

/** The Part 10 file: explicit VR little endian. */
export function writeRdsr(input: RdsrInput): Uint8Array {
  const meta = {
    '00020001': { vr: 'OB', Value: [new Uint8Array([0, 1]).buffer] },
    '00020002': { vr: 'UI', Value: [RDSR_SOP_CLASS] },
    '00020003': { vr: 'UI', Value: [input.sopInstanceUID] },
    '00020010': { vr: 'UI', Value: ['1.2.840.10008.1.2.1'] },
    '00020012': { vr: 'UI', Value: [input.implementationClassUID] },
    '00020013': { vr: 'SH', Value: ['FLUOROLENS_SMP1'] },
  };
  const dict = new dcmjs.data.DicomDict(meta);
  dict.dict = dcmjs.data.DicomMetaDictionary.denaturalizeDataset(rdsrDataset(input));
  return new Uint8Array(dict.write());
}
