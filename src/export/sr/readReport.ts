/**
 * A FluoroLens measurement report (writeReport.ts) back into the annotation document of a run:
 * tracks with their ids, labels, colours, texts and keyframes, geometry as written (DICOM stores
 * coordinates as 32-bit floats, so a coordinate comes back within 0.0001 px), and the case record.
 * Measurement values are not read: they are derived from the geometry, as in the app.
 *
 * The report must be about the run it is loaded onto: the same study, and images of that run;
 * otherwise it is refused with a reason. Groups that are not ours (another application's TID 1500
 * content in the same report) are skipped and listed in `problems`.
 */
import dcmjs from 'dcmjs';
import {
  DEFAULT_TRACK_COLORS,
  TRACK_KIND_NAMES,
  emptyCaseRecord,
  geometryProblem,
  injectateProblem,
  isApproach,
  isTrackKind,
  isValidFrame,
  leadTipProblem,
  normalizeVertebralLevel,
  vascularFlagProblem,
  type AnnotationDocument,
  type CaseRecord,
  type Geometry,
  type Injectate,
  type Keyframe,
  type LeadTip,
  type VascularFlag,
  type Point,
  type RunRef,
  type Track,
  type TrackKind,
} from '../../annotations/model';
import {
  CODES,
  PRIVATE_SCHEME,
  SIDE_CODES,
  contrastPatternFromCode,
  procedureFromCode,
  sameCode,
  vascularUptakeFromCode,
  type Code,
} from './codes';

const { DicomMessage, DicomMetaDictionary } = dcmjs.data;

export class ReportImportError extends Error {
  constructor(readonly reason: string) {
    super(`The report could not be read: ${reason}`);
    this.name = 'ReportImportError';
  }
}

export interface ImportedReport {
  document: AnnotationDocument;
  /** Tracking UID per track id, as the report gave them. */
  trackingUids: Record<string, string>;
  /** What was skipped or repaired, phrased for people. */
  problems: string[];
}

/** What a report refers to, without loading it onto a run (to find a run's reports). */
export interface ReportReferences {
  sopInstanceUID: string;
  studyInstanceUID: string;
  seriesInstanceUIDs: string[];
  sopInstanceUIDs: string[];
  isMeasurementReport: boolean;
  contentDateTime: string;
}

type Node = Record<string, unknown>;

function parse(bytes: Uint8Array): Node {
  let dataset: Node;
  try {
    const copy = bytes.slice().buffer;
    dataset = DicomMetaDictionary.naturalizeDataset(DicomMessage.readFile(copy).dict) as Node;
  } catch (error) {
    throw new ReportImportError(`it is not a readable DICOM file (${(error as Error).message})`);
  }
  if (str(dataset.SpecificCharacterSet).includes('ISO_IR 192')) for (const item of list(dataset.ContentSequence)) repairUtf8(item);
  return dataset;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * dcmjs 0.52 applies Specific Character Set only at the top level: text inside sequence items is
 * decoded as Latin-1, so UTF-8 "—" arrives as "â\u0080\u0094". Such a string is its UTF-8 bytes
 * one per character; decode them again (a string that is not valid UTF-8 that way was right).
 */
function repairUtf8(node: Node): void {
  for (const [key, value] of Object.entries(node)) {
    if (typeof value === 'string') node[key] = redecode(value);
    else if (Array.isArray(value))
      value.forEach((v, i) => (typeof v === 'string' ? (value[i] = redecode(v)) : v && typeof v === 'object' && repairUtf8(v as Node)));
    else if (value && typeof value === 'object' && !(value instanceof ArrayBuffer)) repairUtf8(value as Node);
  }
}

function redecode(text: string): string {
  let ascii = true;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code > 0xff) return text;
    if (code > 0x7f) ascii = false;
  }
  if (ascii) return text;
  try {
    return strictUtf8.decode(Uint8Array.from(text, (c) => c.charCodeAt(0)));
  } catch {
    return text;
  }
}

const list = (value: unknown): Node[] =>
  Array.isArray(value) ? (value as Node[]) : value && typeof value === 'object' ? [value as Node] : [];
const str = (value: unknown): string => (Array.isArray(value) ? str(value[0]) : value === undefined || value === null ? '' : String(value));
const nums = (value: unknown): number[] =>
  Array.isArray(value) ? value.map(Number) : value === undefined || value === null ? [] : [Number(value)];

function conceptOf(item: Node): { value: string; scheme: string; meaning: string } | null {
  const code = list(item.ConceptNameCodeSequence)[0];
  return code ? { value: str(code.CodeValue), scheme: str(code.CodingSchemeDesignator), meaning: str(code.CodeMeaning) } : null;
}

function codeValueOf(item: Node): { value: string; scheme: string } | null {
  const code = list(item.ConceptCodeSequence)[0];
  return code ? { value: str(code.CodeValue), scheme: str(code.CodingSchemeDesignator) } : null;
}

const children = (item: Node): Node[] => list(item.ContentSequence);
const is = (item: Node, code: Code): boolean => sameCode(conceptOf(item), code);

function evidenceOf(dataset: Node): { series: string[]; sops: string[] } {
  const series: string[] = [];
  const sops: string[] = [];
  for (const key of ['CurrentRequestedProcedureEvidenceSequence', 'PertinentOtherEvidenceSequence']) {
    for (const study of list(dataset[key])) {
      for (const s of list(study.ReferencedSeriesSequence)) {
        series.push(str(s.SeriesInstanceUID));
        for (const sop of list(s.ReferencedSOPSequence)) sops.push(str(sop.ReferencedSOPInstanceUID));
      }
    }
  }
  return { series: [...new Set(series)], sops: [...new Set(sops)] };
}

export function readReportReferences(bytes: Uint8Array): ReportReferences {
  const dataset = parse(bytes);
  const evidence = evidenceOf(dataset);
  return {
    sopInstanceUID: str(dataset.SOPInstanceUID),
    studyInstanceUID: str(dataset.StudyInstanceUID),
    seriesInstanceUIDs: evidence.series,
    sopInstanceUIDs: evidence.sops,
    isMeasurementReport: is(dataset, CODES.imagingMeasurementReport),
    contentDateTime: `${str(dataset.ContentDate)}${str(dataset.ContentTime)}`,
  };
}

/** Float32 coordinates as the decimals they stand for: 100.30000305 → 100.3 (error below 0.0001 px). */
function coordinate(value: number): number {
  return Number(value.toPrecision(7));
}

function pointsOf(item: Node): Point[] {
  const data = nums(item.GraphicData).map(coordinate);
  const points: Point[] = [];
  for (let i = 0; i + 1 < data.length; i += 2) points.push({ x: data[i], y: data[i + 1] });
  return points;
}

export function readMeasurementReport(bytes: Uint8Array, run: RunRef): ImportedReport {
  const dataset = parse(bytes);
  if (!str(dataset.SOPClassUID).startsWith('1.2.840.10008.5.1.4.1.1.88.')) throw new ReportImportError('it is not a structured report');
  if (!is(dataset, CODES.imagingMeasurementReport)) throw new ReportImportError('it is not a measurement report (TID 1500)');
  if (str(dataset.StudyInstanceUID) !== run.studyInstanceUID) throw new ReportImportError('it belongs to another study');
  const problems: string[] = [];
  let foreignReferences = 0;

  /** The run frame an IMAGE reference points at, or null when it is not an image of this run. */
  const frameOf = (image: Node | undefined): number | null => {
    const ref = image ? list(image.ReferencedSOPSequence)[0] : undefined;
    if (!ref) return null;
    const sop = str(ref.ReferencedSOPInstanceUID);
    const frameNumbers = nums(ref.ReferencedFrameNumber);
    const index = run.sopInstanceUIDs.indexOf(sop);
    if (index < 0) {
      foreignReferences++;
      return null;
    }
    const frame = run.sopInstanceUIDs.length === 1 ? (frameNumbers[0] ?? 1) : index + 1;
    return isValidFrame(frame, run.frameCount) ? frame : null;
  };
  const frameOfScoord = (item: Node): number | null => frameOf(children(item).find((c) => str(c.ValueType) === 'IMAGE'));

  const rootItems = children(dataset);
  const tracks: Track[] = [];
  const trackingUids: Record<string, string> = {};
  const measurements = rootItems.find((i) => is(i, CODES.imagingMeasurements));
  for (const group of measurements ? children(measurements).filter((i) => is(i, CODES.measurementGroup)) : []) {
    const track = readGroup(group, tracks, frameOfScoord, frameOf, problems);
    if (!track) continue;
    tracks.push(track.track);
    if (track.trackingUid) trackingUids[track.track.id] = track.trackingUid;
  }
  if (foreignReferences > 0 && tracks.every((t) => t.keyframes.length === 0)) {
    throw new ReportImportError('it refers to images that are not part of this run');
  }
  if (foreignReferences > 0) problems.push(`${foreignReferences} references to images outside this run were skipped`);

  const caseRecord = readCaseRecord(rootItems, frameOf, problems);
  const marks = readRunMarks(rootItems, frameOf, run.frameCount, problems);
  return {
    document: {
      runRef: run,
      tracks,
      caseRecord: { ...caseRecord, injectates: marks.injectates },
      // The calibration line's points are not in the report (only its object and length): not restored.
      calibration: null,
      vascularFlags: marks.vascularFlags,
      leadTips: marks.leadTips,
    },
    trackingUids,
    problems,
  };
}

function readGroup(
  group: Node,
  earlier: readonly Track[],
  frameOfScoord: (item: Node) => number | null,
  frameOf: (image: Node | undefined) => number | null,
  problems: string[],
): { track: Track; trackingUid: string } | null {
  const items = children(group);
  const find = (code: Code) => items.find((i) => is(i, code));
  const kindCode = find(CODES.finding) ? codeValueOf(find(CODES.finding)!) : null;
  const label = str(find(CODES.trackingIdentifier)?.TextValue);
  if (!kindCode || kindCode.scheme !== PRIVATE_SCHEME || !isTrackKind(kindCode.value)) {
    problems.push(`measurement group "${label || 'unnamed'}" is not a FluoroLens track; skipped`);
    return null;
  }
  const kind: TrackKind = kindCode.value;
  const id = str(find(CODES.trackId)?.TextValue) || uniqueId(kind, earlier);
  const color = str(find(CODES.color)?.TextValue) || undefined;
  const text = str(find(CODES.annotationText)?.TextValue);
  const trackingUid = str(find(CODES.trackingUid)?.UID);

  // Every SCOORD / IMAGE below the group, however deep (a tip may hang under its distance NUM).
  const byFrame = new Map<number, Record<string, unknown>>();
  const geometryAt = (frame: number) => byFrame.get(frame) ?? byFrame.set(frame, {}).get(frame)!;
  const walk = (nodes: Node[]) => {
    for (const node of nodes) {
      const type = str(node.ValueType);
      if (type === 'SCOORD') {
        const frame = frameOfScoord(node);
        if (frame !== null) placeScoord(kind, node, geometryAt(frame));
      } else if (type === 'IMAGE' && is(node, CODES.captionKeyframe)) {
        const frame = frameOf(node);
        if (frame !== null) geometryAt(frame);
      }
      if (type !== 'SCOORD') walk(children(node));
    }
  };
  walk(items);

  const keyframes: Keyframe[] = [];
  for (const [frame, geometry] of [...byFrame.entries()].sort((a, b) => a[0] - b[0])) {
    const problem = geometryProblem(kind, geometry);
    if (problem) problems.push(`${label || TRACK_KIND_NAMES[kind]}, frame ${frame}: ${problem}; keyframe skipped`);
    else keyframes.push({ frame, geometry: geometry as unknown as Geometry });
  }
  const base = { id, kind, label: label || TRACK_KIND_NAMES[kind], color: color ?? DEFAULT_TRACK_COLORS[kind], keyframes };
  let track: Track;
  if (kind === 'arrow') track = { ...base, kind, text } as Track;
  else if (kind === 'caption')
    track = { ...base, kind, text, range: captionRange(str(find(CODES.captionFrames)?.TextValue), keyframes) } as Track;
  else track = base as Track;
  return { track, trackingUid };
}

function placeScoord(kind: TrackKind, node: Node, geometry: Record<string, unknown>): void {
  const points = pointsOf(node);
  const type = str(node.GraphicType);
  if (kind === 'needleTip' && is(node, CODES.needleTipPoint) && points[0]) geometry.tip = points[0];
  else if (kind === 'needleTip' && is(node, CODES.needleHubPoint) && points[0]) geometry.hub = points[0];
  else if (kind === 'target' && is(node, CODES.targetCentre) && points[0]) geometry.center = points[0];
  else if (kind === 'target' && is(node, CODES.targetRegion) && type === 'CIRCLE' && points.length >= 2) {
    geometry.center ??= points[0];
    geometry.radiusPx = coordinate(Math.hypot(points[1].x - points[0].x, points[1].y - points[0].y));
  } else if (kind === 'contrastSpread' && is(node, CODES.contrastOutline) && points.length >= 3) {
    const last = points[points.length - 1];
    const closed = last.x === points[0].x && last.y === points[0].y;
    geometry.contour = closed ? points.slice(0, -1) : points;
  } else if (kind === 'arrow' && is(node, CODES.arrowLine) && points.length >= 2) {
    geometry.from = points[0];
    geometry.to = points[points.length - 1];
  } else if (kind === 'caption' && is(node, CODES.captionPosition) && points[0]) geometry.position = points[0];
}

function uniqueId(kind: TrackKind, earlier: readonly Track[]): string {
  let n = 1;
  while (earlier.some((t) => t.id === `${kind}-${n}`)) n++;
  return `${kind}-${n}`;
}

function captionRange(text: string, keyframes: readonly Keyframe[]): { from: number; to: number } {
  const match = /^(\d+)-(\d+)$/.exec(text.trim());
  if (match) return { from: Number(match[1]), to: Number(match[2]) };
  const frames = keyframes.map((k) => k.frame);
  return frames.length ? { from: Math.min(...frames), to: Math.max(...frames) } : { from: 1, to: 1 };
}

/** Vascular uptake flags, lead tips and the injectate log, as writeReport's runMarkItems wrote them. */
function readRunMarks(
  rootItems: Node[],
  frameOf: (image: Node | undefined) => number | null,
  frameCount: number,
  problems: string[],
): { vascularFlags: VascularFlag[]; leadTips: LeadTip[]; injectates: Injectate[] } {
  const evaluations = rootItems.find((i) => is(i, CODES.qualitativeEvaluations));
  const vascularFlags: VascularFlag[] = [];
  const leadTips: LeadTip[] = [];
  const injectates: Injectate[] = [];
  const textOf = (item: Node, code: Code): string => str(children(item).find((c) => is(c, code))?.TextValue);
  const imageOf = (item: Node) => children(item).find((c) => str(c.ValueType) === 'IMAGE');
  for (const item of evaluations ? children(evaluations) : []) {
    if (is(item, CODES.vascularUptake)) {
      const value = codeValueOf(item);
      const uptake = value ? vascularUptakeFromCode({ ...value, meaning: '' }) : null;
      const range = /^(\d+)-(\d+)$/.exec(textOf(item, CODES.flaggedFrames).trim());
      const flag = {
        id: `vascular-${vascularFlags.length + 1}`,
        from: Number(range?.[1]),
        to: Number(range?.[2]),
        uptake,
        note: textOf(item, CODES.comment),
      };
      const problem = vascularFlagProblem(flag, frameCount);
      if (problem || !uptake) problems.push(`a vascular uptake flag was skipped: ${problem ?? 'unknown uptake code'}`);
      else vascularFlags.push({ ...flag, uptake });
    } else if (is(item, CODES.leadTip)) {
      const lead = {
        id: `leadTip-${leadTips.length + 1}`,
        label: textOf(item, CODES.leadLabel) || `Lead ${leadTips.length + 1}`,
        frame: frameOf(imageOf(item)),
        level: normalizeVertebralLevel(str(item.TextValue)) ?? str(item.TextValue),
        position: null,
      };
      const problem = leadTipProblem(lead, frameCount);
      if (problem) problems.push(`a lead tip was skipped: ${problem}`);
      else leadTips.push(lead as LeadTip);
    } else if (is(item, CODES.injectate)) {
      const volume = children(item).find((c) => is(c, CODES.injectateVolume));
      const measured = volume ? list(volume.MeasuredValueSequence)[0] : undefined;
      const entry: Injectate = {
        agent: str(item.TextValue),
        volumeMl: measured ? Number(str(measured.NumericValue)) : null,
        frame: imageOf(item) ? frameOf(imageOf(item)) : null,
        time: textOf(item, CODES.injectateTime) || null,
        note: textOf(item, CODES.comment),
      };
      const problem = injectateProblem(entry, frameCount);
      if (problem) problems.push(`an injectate entry was skipped: ${problem}`);
      else injectates.push(entry);
    }
  }
  return { vascularFlags, leadTips, injectates };
}

function readCaseRecord(rootItems: Node[], frameOf: (image: Node | undefined) => number | null, problems: string[]): CaseRecord {
  const record: { -readonly [K in keyof CaseRecord]: CaseRecord[K] } = { ...emptyCaseRecord(), levels: [], contrastPatterns: [] };
  const procedure = rootItems.find((i) => is(i, CODES.procedureReported));
  const procedureCode = procedure ? codeValueOf(procedure) : null;
  if (procedureCode?.scheme === PRIVATE_SCHEME) record.procedure = procedureFromCode(procedureCode.value);
  const evaluations = rootItems.find((i) => is(i, CODES.qualitativeEvaluations));
  const levels: string[] = [];
  const patterns: CaseRecord['contrastPatterns'][number][] = [];
  for (const item of evaluations ? children(evaluations) : []) {
    const value = codeValueOf(item);
    if (is(item, CODES.laterality) && value) {
      const side = (Object.keys(SIDE_CODES) as Array<keyof typeof SIDE_CODES>).find((s) => sameCode(value, SIDE_CODES[s]));
      if (side) record.side = side;
      else problems.push('laterality with an unknown code was skipped');
    } else if (is(item, CODES.approach) && value && isApproach(value.value)) record.approach = value.value;
    else if (is(item, CODES.vertebralLevel)) levels.push(str(item.TextValue));
    else if (is(item, CODES.contrastPattern) && value) {
      const pattern = contrastPatternFromCode(value.value);
      if (pattern) patterns.push(pattern);
    } else if (is(item, CODES.contrastFirstSeen)) record.contrastFirstSeenFrame = frameOf(item);
    else if (is(item, CODES.placementConfirmed) && value)
      record.placementConfirmedBeforeMedication = sameCode(value, CODES.yes) ? true : sameCode(value, CODES.no) ? false : null;
    else if (is(item, CODES.comment)) record.notes = str(item.TextValue);
  }
  record.levels = levels;
  record.contrastPatterns = patterns;
  return record;
}
