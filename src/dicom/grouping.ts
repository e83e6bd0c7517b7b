import { readModalityLut } from './runInfo';
import { acquisitionTimeMs } from './timing';
import type { ParsedHeader, RunInfo } from './types';
import { decimal, text, uint16 } from './values';

/** What grouping needs to know about one instance, read from its header. */
export interface InstanceSummary {
  studyUID: string;
  seriesUID: string;
  sopInstanceUID: string;
  instanceNumber: number | null;
  /** Acquisition (else Content) date and time as "YYYY-MM-DDTHH:MM:SS.sss" (sortable, no zone), or null. */
  acquisitionDateTime: string | null;
  frameCount: number;
  seriesNumber: number | null;
  studyDate: string;
  studyTime: string;
  /**
   * Matrix, pixel format and Modality LUT ("512×512 16/10 u MONOCHROME2 ×1"): the single frames of
   * a series make one run only when they share it, as a run is decoded and shown with one of each.
   */
  pixelFormat: string;
}

export type SummarizedInstance<T> = InstanceSummary & { item: T };

/** The instances that make one run (dicom/run.ts), before their frames are indexed. */
export interface RunInstances<T> {
  studyUID: string;
  seriesUID: string;
  seriesNumber: number | null;
  /** One multi-frame instance, or the single-frame instances of a series in play order. */
  kind: 'multi-frame' | 'single-frame-series';
  instances: SummarizedInstance<T>[];
  frameCount: number;
  /** Instances dropped because their SOP Instance UID was already in this run (the same file given twice). */
  duplicates: SummarizedInstance<T>[];
}

export interface StudyRuns<T> {
  studyUID: string;
  studyDate: string;
  studyTime: string;
  runs: RunInstances<T>[];
}

export function summarizeInstance(header: ParsedHeader): InstanceSummary {
  const ds = header.dataSet;
  const time = acquisitionTimeMs(ds);
  const frames = decimal(ds, 'x00280008');
  return {
    studyUID: text(ds, 'x0020000d'),
    seriesUID: text(ds, 'x0020000e'),
    sopInstanceUID: text(ds, 'x00080018') || text(ds, 'x00020003'),
    instanceNumber: integerOrNull(decimal(ds, 'x00200013')),
    acquisitionDateTime: time === null ? null : new Date(time).toISOString().slice(0, 23),
    frameCount: frames !== undefined && Number.isInteger(frames) && frames > 0 ? frames : 1,
    seriesNumber: integerOrNull(decimal(ds, 'x00200011')),
    studyDate: text(ds, 'x00080020'),
    studyTime: text(ds, 'x00080030'),
    pixelFormat: pixelFormatOf(ds),
  };
}

function pixelFormatOf(ds: ParsedHeader['dataSet']): string {
  const bitsAllocated = uint16(ds, 'x00280100');
  const signed = uint16(ds, 'x00280103') === 1 ? 's' : 'u';
  const planar = uint16(ds, 'x00280006') ?? 0;
  return (
    `${uint16(ds, 'x00280011')}×${uint16(ds, 'x00280010')} ${bitsAllocated}/${uint16(ds, 'x00280101') ?? bitsAllocated} ${signed} ` +
    `${text(ds, 'x00280004')} ×${uint16(ds, 'x00280002') ?? 1}${planar ? ' planar' : ''}${modalityLutOf(ds)}`
  );
}

/** The stored values' meaning (a run has one Modality LUT): nothing for the identity rescale. */
function modalityLutOf(ds: ParsedHeader['dataSet']): string {
  const lut = readModalityLut(ds);
  if (lut.kind === 'rescale') return lut.slope === 1 && lut.intercept === 0 ? '' : ` rescale ${lut.slope}x+${lut.intercept}`;
  const checksum = lut.data.reduce((sum, v, i) => (sum + v * (i + 1)) % 2147483647, 0);
  return ` LUT ${lut.firstValueMapped}/${lut.numberOfEntries}/${lut.bitsPerEntry}/${checksum}`;
}

function integerOrNull(value: number | undefined): number | null {
  return value !== undefined && Number.isInteger(value) ? value : null;
}

/**
 * Studies → runs. Each multi-frame instance is a run of its own; the single-frame instances of a
 * series form one run, ordered by Instance Number, then acquisition time, then SOP Instance UID;
 * those of another matrix or pixel format (a zoomed spot image, a screen capture) a run of their own.
 * An instance whose SOP Instance UID was already seen (the same file dropped twice) is collapsed
 * into the first one and listed in that run's `duplicates`.
 */
export function groupInstancesIntoRuns<T>(instances: SummarizedInstance<T>[]): StudyRuns<T>[] {
  const { unique, duplicatesOf } = collapseDuplicates(instances);
  const studies = new Map<string, StudyRuns<T>>();
  const singleFrameRuns = new Map<string, RunInstances<T>>();
  for (const instance of unique) {
    const study = studyFor(studies, instance);
    if (instance.frameCount > 1) {
      study.runs.push(newRun(instance, 'multi-frame'));
      continue;
    }
    const key = `${instance.studyUID}|${instance.seriesUID}|${instance.pixelFormat}`;
    let run = singleFrameRuns.get(key);
    if (!run) {
      run = newRun(instance, 'single-frame-series');
      singleFrameRuns.set(key, run);
      study.runs.push(run);
    } else {
      run.instances.push(instance);
      run.frameCount += 1;
    }
  }
  for (const study of studies.values()) {
    for (const run of study.runs) {
      run.instances.sort(compareInstances);
      run.duplicates = run.instances.flatMap((i) => duplicatesOf.get(i) ?? []);
    }
    study.runs.sort(compareRuns);
  }
  return [...studies.values()].sort(compareStudies);
}

function collapseDuplicates<T>(instances: SummarizedInstance<T>[]) {
  const firstByUid = new Map<string, SummarizedInstance<T>>();
  const duplicatesOf = new Map<SummarizedInstance<T>, SummarizedInstance<T>[]>();
  const unique: SummarizedInstance<T>[] = [];
  for (const instance of instances) {
    // Without a UID there is nothing to compare; keep every such instance.
    const first = instance.sopInstanceUID ? firstByUid.get(instance.sopInstanceUID) : undefined;
    if (first) {
      duplicatesOf.set(first, [...(duplicatesOf.get(first) ?? []), instance]);
      continue;
    }
    if (instance.sopInstanceUID) firstByUid.set(instance.sopInstanceUID, instance);
    unique.push(instance);
  }
  return { unique, duplicatesOf };
}

function studyFor<T>(studies: Map<string, StudyRuns<T>>, instance: SummarizedInstance<T>): StudyRuns<T> {
  let study = studies.get(instance.studyUID);
  if (!study) {
    study = { studyUID: instance.studyUID, studyDate: instance.studyDate, studyTime: instance.studyTime, runs: [] };
    studies.set(instance.studyUID, study);
  }
  return study;
}

function newRun<T>(instance: SummarizedInstance<T>, kind: RunInstances<T>['kind']): RunInstances<T> {
  return {
    studyUID: instance.studyUID,
    seriesUID: instance.seriesUID,
    seriesNumber: instance.seriesNumber,
    kind,
    instances: [instance],
    frameCount: instance.frameCount,
    duplicates: [],
  };
}

// ---------------------------------------------------------------------------------------------
// Ordering: missing values sort last; UIDs compare numerically component by component.

function compareNullable<V>(a: V | null, b: V | null, compare: (x: V, y: V) => number): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  return compare(a, b);
}

const byNumber = (a: number, b: number) => a - b;
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const byUid = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });

function compareInstances(a: InstanceSummary, b: InstanceSummary): number {
  return (
    compareNullable(a.instanceNumber, b.instanceNumber, byNumber) ||
    compareNullable(a.acquisitionDateTime, b.acquisitionDateTime, byText) ||
    byUid(a.sopInstanceUID, b.sopInstanceUID)
  );
}

function compareRuns<T>(a: RunInstances<T>, b: RunInstances<T>): number {
  return (
    compareNullable(a.seriesNumber, b.seriesNumber, byNumber) ||
    compareNullable(a.instances[0].acquisitionDateTime, b.instances[0].acquisitionDateTime, byText) ||
    byUid(a.seriesUID, b.seriesUID) ||
    compareInstances(a.instances[0], b.instances[0])
  );
}

function compareStudies<T>(a: StudyRuns<T>, b: StudyRuns<T>): number {
  const when = (s: StudyRuns<T>) => (s.studyDate ? `${s.studyDate}${s.studyTime}` : null);
  return compareNullable(when(a), when(b), byText) || byUid(a.studyUID, b.studyUID);
}

/**
 * The runs list's order for runs opened at different times (one opening already comes in this
 * order, above): studies in the order they were first opened; within a study, as acquired: Series
 * Number, then acquisition time, then the UIDs. A run opened again so falls back into its place.
 */
export function orderOpenedRuns<T extends { info: RunInfo }>(runs: readonly T[]): T[] {
  const studyOrder = new Map<string, number>();
  for (const run of runs) if (!studyOrder.has(run.info.study.instanceUID)) studyOrder.set(run.info.study.instanceUID, studyOrder.size);
  const acquired = (info: RunInfo) => info.acquisitionDateTime || null;
  return [...runs].sort(
    (a, b) =>
      studyOrder.get(a.info.study.instanceUID)! - studyOrder.get(b.info.study.instanceUID)! ||
      compareNullable(a.info.series.number, b.info.series.number, byNumber) ||
      compareNullable(acquired(a.info), acquired(b.info), byText) ||
      byUid(a.info.series.instanceUID, b.info.series.instanceUID) ||
      compareNullable(a.info.instanceNumber, b.info.instanceNumber, byNumber) ||
      byUid(a.info.sopInstanceUIDs[0] ?? '', b.info.sopInstanceUIDs[0] ?? ''),
  );
}
