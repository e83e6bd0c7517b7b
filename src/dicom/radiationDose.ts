/**
 * X-Ray Radiation Dose SR (TID 10001 "Projection X-Ray Radiation Dose") → a dose report:
 * the accumulated totals per acquisition plane (TID 10002/10004) and every irradiation event
 * (TID 10003). classify.ts still skips the file as "not an image" for display; this module is
 * what reads it for the dose panel.
 *
 * Content items are recognised by their concept codes (DCM scheme); numbers are converted to
 * one unit each whatever UCUM unit the file used: dose–area product in Gy·cm², air kerma at
 * the reference point in mGy, times in seconds, tube current in mA, pulse width in ms.
 */
import type { DataSet } from 'dicom-parser';
import { DicomInputError, type ParsedHeader } from './types';
import { sequenceItems, text, texts } from './values';

export const XRAY_RADIATION_DOSE_SR = '1.2.840.10008.5.1.4.1.1.88.67';
export const ENHANCED_XRAY_RADIATION_DOSE_SR = '1.2.840.10008.5.1.4.1.1.88.76';

export interface DoseTotals {
  /** Acquisition Plane: "Single Plane", "Plane A", "Plane B", or '' when not given. */
  readonly plane: string;
  readonly dapTotalGyCm2?: number;
  readonly airKermaTotalMgy?: number;
  readonly fluoroDapTotalGyCm2?: number;
  readonly fluoroAirKermaTotalMgy?: number;
  readonly fluoroTimeTotalS?: number;
  readonly acquisitionDapTotalGyCm2?: number;
  readonly acquisitionAirKermaTotalMgy?: number;
  readonly acquisitionTimeTotalS?: number;
  readonly radiographicFramesTotal?: number;
  /** Reference Point Definition, e.g. "15cm from Isocenter toward Source". */
  readonly referencePoint?: string;
}

export interface IrradiationEvent {
  readonly irradiationEventUID: string;
  /** DateTime Started as written (DICOM DT), '' when absent. */
  readonly dateTimeStarted: string;
  /** E.g. "Fluoroscopy", "Stationary Acquisition". */
  readonly eventType: string;
  readonly acquisitionProtocol: string;
  readonly plane: string;
  readonly dapGyCm2?: number;
  readonly airKermaMgy?: number;
  readonly kvp?: number;
  readonly tubeCurrentMa?: number;
  readonly pulseWidthMs?: number;
  readonly numberOfPulses?: number;
  readonly irradiationDurationS?: number;
  readonly exposureTimeMs?: number;
  readonly primaryAngleDeg?: number;
  readonly secondaryAngleDeg?: number;
}

export interface RadiationDoseReport {
  readonly fileName: string;
  readonly sopInstanceUID: string;
  readonly studyInstanceUID: string;
  /** Procedure reported, e.g. "Procedure reported: Projection X-Ray". */
  readonly procedureReported: string;
  readonly totals: readonly DoseTotals[];
  readonly events: readonly IrradiationEvent[];
  /** What was odd but not fatal, phrased for people (units not understood, values not numbers). */
  readonly problems: readonly string[];
}

/** Whether a parsed file is an X-Ray Radiation Dose SR (plain or enhanced). */
export function isRadiationDoseReport(header: ParsedHeader): boolean {
  const sopClass = text(header.dataSet, 'x00080016') || text(header.dataSet, 'x00020002');
  return sopClass === XRAY_RADIATION_DOSE_SR || sopClass === ENHANCED_XRAY_RADIATION_DOSE_SR;
}

// Concept codes (DCM unless noted).
const CODE = {
  report: '113701',
  procedureReported: '121058',
  accumulated: '113702',
  plane: '113764',
  dapTotal: '113722',
  airKermaTotal: '113725',
  fluoroDapTotal: '113726',
  fluoroAirKermaTotal: '113728',
  fluoroTimeTotal: '113730',
  acquisitionDapTotal: '113727',
  acquisitionAirKermaTotal: '113729',
  acquisitionTimeTotal: '113855',
  framesTotal: '113731',
  referencePoint: '113780',
  event: '113706',
  eventUID: '113769',
  dateTimeStarted: '111526',
  eventType: '113721',
  protocol: '125203',
  dap: '122130',
  airKerma: '113738',
  kvp: '113733',
  tubeCurrent: '113734',
  averageTubeCurrent: '113767',
  pulseWidth: '113793',
  pulses: '113768',
  duration: '113742',
  exposureTime: '113824',
  primaryAngle: '112011',
  secondaryAngle: '112012',
} as const;

interface Item {
  readonly code: string;
  readonly meaning: string;
  readonly valueType: string;
  readonly dataSet: DataSet;
  readonly children: readonly Item[];
}

/**
 * Reads the report. A file that is not an X-Ray Radiation Dose SR, or whose content tree is not
 * TID 10001, is refused with a sentence saying why.
 */
export function readRadiationDoseReport(header: ParsedHeader): RadiationDoseReport {
  const ds = header.dataSet;
  const name = header.source.name;
  if (!isRadiationDoseReport(header)) throw new DicomInputError(name, 'not an X-Ray Radiation Dose SR');
  const root = itemOf(ds);
  if (root.code !== CODE.report) {
    throw new DicomInputError(
      name,
      `the report is "${root.meaning || root.code || 'unnamed'}", not an X-Ray Radiation Dose Report (TID 10001)`,
    );
  }
  const problems: string[] = [];
  const number = (items: readonly Item[], code: string, to: Unit): number | undefined => numberOf(items, code, to, problems);
  const procedure = root.children.find((c) => c.code === CODE.procedureReported);
  const totals = root.children
    .filter((c) => c.code === CODE.accumulated)
    .map((container): DoseTotals => {
      // TID 10004 may sit directly in the container or one level below it.
      const items = flatten(container.children);
      return compact({
        plane: codeMeaning(items, CODE.plane),
        dapTotalGyCm2: number(items, CODE.dapTotal, 'Gy.cm2'),
        airKermaTotalMgy: number(items, CODE.airKermaTotal, 'mGy'),
        fluoroDapTotalGyCm2: number(items, CODE.fluoroDapTotal, 'Gy.cm2'),
        fluoroAirKermaTotalMgy: number(items, CODE.fluoroAirKermaTotal, 'mGy'),
        fluoroTimeTotalS: number(items, CODE.fluoroTimeTotal, 's'),
        acquisitionDapTotalGyCm2: number(items, CODE.acquisitionDapTotal, 'Gy.cm2'),
        acquisitionAirKermaTotalMgy: number(items, CODE.acquisitionAirKermaTotal, 'mGy'),
        acquisitionTimeTotalS: number(items, CODE.acquisitionTimeTotal, 's'),
        radiographicFramesTotal: number(items, CODE.framesTotal, 'count'),
        referencePoint: codeMeaning(items, CODE.referencePoint) || undefined,
      });
    });
  const events = root.children
    .filter((c) => c.code === CODE.event)
    .map((container): IrradiationEvent => {
      const items = flatten(container.children);
      return compact({
        irradiationEventUID: valueText(items, CODE.eventUID),
        dateTimeStarted: valueText(items, CODE.dateTimeStarted),
        eventType: codeMeaning(items, CODE.eventType),
        acquisitionProtocol: valueText(items, CODE.protocol),
        plane: codeMeaning(items, CODE.plane),
        dapGyCm2: number(items, CODE.dap, 'Gy.cm2'),
        airKermaMgy: number(items, CODE.airKerma, 'mGy'),
        kvp: number(items, CODE.kvp, 'kV'),
        tubeCurrentMa: number(items, CODE.tubeCurrent, 'mA') ?? number(items, CODE.averageTubeCurrent, 'mA'),
        pulseWidthMs: number(items, CODE.pulseWidth, 'ms'),
        numberOfPulses: number(items, CODE.pulses, 'count'),
        irradiationDurationS: number(items, CODE.duration, 's'),
        exposureTimeMs: number(items, CODE.exposureTime, 'ms'),
        primaryAngleDeg: number(items, CODE.primaryAngle, 'deg'),
        secondaryAngleDeg: number(items, CODE.secondaryAngle, 'deg'),
      });
    });
  if (totals.length === 0) problems.push('no Accumulated X-Ray Dose Data (TID 10002)');
  return {
    fileName: name,
    sopInstanceUID: text(ds, 'x00080018'),
    studyInstanceUID: text(ds, 'x0020000d'),
    procedureReported: procedure ? codeValueMeaning(procedure.dataSet) : '',
    totals,
    events,
    problems,
  };
}

// ---- content tree ------------------------------------------------------------------------------

function itemOf(ds: DataSet): Item {
  const concept = sequenceItems(ds, 'x0040a043')[0];
  return {
    code: concept ? text(concept, 'x00080100') : '',
    meaning: concept ? text(concept, 'x00080104') : '',
    valueType: text(ds, 'x0040a040'),
    dataSet: ds,
    children: sequenceItems(ds, 'x0040a730').map(itemOf),
  };
}

/** An item's children and, for nested containers (included templates), theirs, breadth first. */
function flatten(items: readonly Item[]): Item[] {
  const out: Item[] = [];
  const queue = [...items];
  while (queue.length > 0) {
    const item = queue.shift() as Item;
    out.push(item);
    if (item.valueType === 'CONTAINER' && item.code !== CODE.event && item.code !== CODE.accumulated) queue.push(...item.children);
  }
  return out;
}

function valueText(items: readonly Item[], code: string): string {
  const item = items.find((i) => i.code === code);
  if (!item) return '';
  // TEXT, UIDREF or DATETIME: whichever value the item carries.
  return text(item.dataSet, 'x0040a160') || text(item.dataSet, 'x0040a124') || text(item.dataSet, 'x0040a120');
}

function codeMeaning(items: readonly Item[], code: string): string {
  const item = items.find((i) => i.code === code);
  return item ? codeValueMeaning(item.dataSet) : '';
}

function codeValueMeaning(ds: DataSet): string {
  const concept = sequenceItems(ds, 'x0040a168')[0];
  return concept ? text(concept, 'x00080104') || text(concept, 'x00080100') : text(ds, 'x0040a160');
}

// ---- numbers and units ---------------------------------------------------------------------------

type Unit = 'Gy.cm2' | 'mGy' | 's' | 'ms' | 'kV' | 'mA' | 'deg' | 'count';

/** Factor from a UCUM unit to the canonical one of its kind. */
const UNIT_FACTORS: Record<Unit, Record<string, number>> = {
  'Gy.cm2': { 'Gy.m2': 1e4, 'Gy.cm2': 1, 'dGy.cm2': 0.1, 'cGy.cm2': 0.01, 'mGy.cm2': 1e-3, 'uGy.m2': 1e-2, 'mGy.m2': 10, 'uGy.cm2': 1e-6 },
  mGy: { Gy: 1000, mGy: 1, dGy: 100, cGy: 10, uGy: 1e-3 },
  s: { s: 1, ms: 1e-3, min: 60, h: 3600 },
  ms: { ms: 1, s: 1000, us: 1e-3 },
  kV: { kV: 1, V: 1e-3, kVp: 1 },
  mA: { mA: 1, uA: 1e-3, A: 1000 },
  deg: { deg: 1 },
  count: { '1': 1, '{pulses}': 1, '{frames}': 1, '{events}': 1, '{images}': 1 },
};

function numberOf(items: readonly Item[], code: string, to: Unit, problems: string[]): number | undefined {
  const item = items.find((i) => i.code === code);
  if (!item) return undefined;
  const measured = sequenceItems(item.dataSet, 'x0040a300')[0];
  if (!measured) return undefined;
  const raw = texts(measured, 'x0040a30a')[0] ?? '';
  const value = raw === '' ? NaN : Number(raw);
  const unit = sequenceItems(measured, 'x004008ea')[0];
  const unitCode = unit ? text(unit, 'x00080100') : '';
  if (!Number.isFinite(value)) {
    problems.push(`${item.meaning || code}: "${raw}" is not a number`);
    return undefined;
  }
  // Counts are often written without a unit or with an annotation unit of their own.
  if (to === 'count' && (unitCode === '' || unitCode.startsWith('{'))) return value;
  const factor = UNIT_FACTORS[to][unitCode];
  if (factor === undefined) {
    problems.push(`${item.meaning || code}: unit "${unitCode || 'none'}" is not one this viewer converts to ${to}`);
    return undefined;
  }
  return value * factor;
}

/** Drops undefined fields so reports compare and print cleanly. */
function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
