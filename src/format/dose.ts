/**
 * Wording for the Dose and time panel: every value with its unit and where it came from ("image
 * header" or "Radiation Dose SR"), so header and report numbers are never confused.
 */
import { formatDuration, type CaseDose, type RunDose, type Sourced } from '../imaging/dose';

export interface DoseRow {
  readonly name: string;
  /** "12.3 mGy", or "not given". */
  readonly value: string;
  /** "image header", "Radiation Dose SR", or null when there is no value. */
  readonly source: string | null;
}

const significant = (value: number, digits = 3): string => String(Number(value.toPrecision(digits)));

function row(name: string, value: Sourced | null, format: (v: number) => string): DoseRow {
  return value ? { name, value: format(value.value), source: value.source } : { name, value: 'not given', source: null };
}

/** Dose–area product in Gy·cm², with mGy·cm² for the small values single runs have. */
export function dapText(gyCm2: number): string {
  return gyCm2 < 0.1 ? `${significant(gyCm2 * 1000)} mGy·cm²` : `${significant(gyCm2)} Gy·cm²`;
}

export function runDoseRows(dose: RunDose): DoseRow[] {
  return [
    { name: 'Frames', value: String(dose.frames), source: 'image header' },
    row('Fluoroscopy time', dose.fluoroscopyTimeS, formatDuration),
    row('Dose–area product', dose.dapGyCm2, dapText),
    row('Air kerma', dose.airKermaMgy, (v) => `${significant(v)} mGy`),
    row('kVp', dose.kvp, (v) => `${significant(v)} kV`),
    row('Tube current', dose.tubeCurrentMa, (v) => `${significant(v)} mA`),
  ];
}

const rangeText = (range: readonly [number, number] | null, unit: string): string =>
  range === null
    ? 'not given'
    : range[0] === range[1]
      ? `${significant(range[0])} ${unit}`
      : `${significant(range[0])}–${significant(range[1])} ${unit}`;

export function caseDoseRows(dose: CaseDose): DoseRow[] {
  return [
    { name: 'Runs', value: String(dose.runs), source: null },
    {
      name: 'Frames',
      value:
        dose.acquiredFramesTotal === null ? String(dose.frames) : `${dose.frames} in the open runs, ${dose.acquiredFramesTotal} acquired`,
      source: dose.acquiredFramesTotal === null ? 'image header' : 'image header, Radiation Dose SR',
    },
    row('Fluoroscopy time', dose.fluoroscopyTimeS, formatDuration),
    row('Dose–area product', dose.dapGyCm2, dapText),
    row('Air kerma', dose.airKermaMgy, (v) => `${significant(v)} mGy`),
    { name: 'kVp', value: rangeText(dose.kvpRange, 'kV'), source: dose.kvpRange ? 'image header or Radiation Dose SR' : null },
    {
      name: 'Tube current',
      value: rangeText(dose.tubeCurrentMaRange, 'mA'),
      source: dose.tubeCurrentMaRange ? 'image header or Radiation Dose SR' : null,
    },
  ];
}
