/**
 * How the compound actions of Table E.1-1 resolve for the IODs FluoroLens exports: X-Ray
 * Angiographic Image and X-Ray Radiofluoroscopic Image (PS3.3 A.14, A.16), and the image IODs that
 * share their common modules (Secondary Capture, CR). PS3.15 E.1.1: the first action applies
 * unless a later one is needed to keep the IOD conformant: Type 3 → X, Type 2 → Z, Type 1 → D,
 * and for X/Z/U* a Type 1 sequence of references keeps its items with their instance UIDs
 * replaced (U).
 *
 * Only the compound rows whose attribute is not a date or time are listed: every date/time row
 * with a compound action is modified instead under the Retain Longitudinal Temporal Information
 * with Modified Dates Option. tests/unit/export-deid-profile.test.ts fails when a compound row of
 * a newer edition of the table is neither covered by that option nor decided here.
 *
 * The choice applies wherever the attribute occurs, top level or nested.
 */

export type ResolvedAction = 'X' | 'Z' | 'D' | 'U';

export interface CompoundChoice {
  readonly choice: ResolvedAction;
  /** Where the attribute sits in our IODs and its Type there: the reason for the choice. */
  readonly why: string;
  /**
   * Referenced Image Sequence in the X-Ray Image module is Type 1C: required when Image Type value 3
   * is BIPLANE A or BIPLANE B (it names the other plane's image). Then it is kept with UIDs replaced.
   */
  readonly biplane?: ResolvedAction;
}

const NOT_IN_IOD = 'not in the XA/RF IODs, so nothing requires it';

export const COMPOUND_CHOICES: Readonly<Record<string, CompoundChoice>> = {
  // X/Z
  '00400555': { choice: 'X', why: `Acquisition Context Sequence: Acquisition Context module is ${NOT_IN_IOD}` },
  '22000005': { choice: 'X', why: `Barcode Value: ${NOT_IN_IOD}` },
  '22000002': { choice: 'X', why: `Label Text: ${NOT_IN_IOD}` },
  '00102203': { choice: 'X', why: "Patient's Sex Neutered: Patient module, Type 2C, required only for non-human patients" },
  '00081110': { choice: 'X', why: 'Referenced Study Sequence: General Study module, Type 3' },
  '00321060': { choice: 'X', why: 'Requested Procedure Description: Request Attributes Sequence items, Type 3' },
  '300E0008': { choice: 'X', why: `Reviewer Name: Approval module is ${NOT_IN_IOD}` },
  '30080105': { choice: 'X', why: `Source Serial Number: RT attribute, ${NOT_IN_IOD}` },
  '300A00B2': { choice: 'X', why: `Treatment Machine Name: RT attribute, ${NOT_IN_IOD}` },
  // X/D
  '00181400': { choice: 'X', why: 'Acquisition Device Processing Description: X-Ray Image / DX modules, Type 3' },
  '0018700A': { choice: 'X', why: 'Detector ID: DX Detector module (User), Type 3' },
  '00081072': { choice: 'X', why: 'Operator Identification Sequence: General Series module, Type 3' },
  '00181030': { choice: 'X', why: 'Protocol Name: General Series module, Type 3' },
  '30100056': { choice: 'X', why: `RT Treatment Approach Label: ${NOT_IN_IOD}` },
  '30100077': { choice: 'X', why: `Treatment Site: ${NOT_IN_IOD}` },
  // X/Z/D
  '00181000': { choice: 'X', why: 'Device Serial Number: General Equipment module, Type 3' },
  '00080082': { choice: 'X', why: 'Institution Code Sequence: General Equipment module, Type 3' },
  '00080080': { choice: 'X', why: 'Institution Name: General Equipment module, Type 3' },
  '00081070': { choice: 'X', why: "Operators' Name: General Series module, Type 3" },
  '00081111': { choice: 'X', why: 'Referenced Performed Procedure Step Sequence: General Series module, Type 3' },
  '00081010': { choice: 'X', why: 'Station Name: General Equipment module, Type 3' },
  // Z/D
  '00700084': { choice: 'Z', why: `Content Creator's Name: ${NOT_IN_IOD}; Z is the weakest action allowed` },
  '00180010': { choice: 'Z', why: 'Contrast/Bolus Agent: Contrast/Bolus module, Type 2' },
  '00100020': { choice: 'Z', why: 'Patient ID: Patient module, Type 2 (the top-level value becomes the case pseudonym)' },
  // X/Z/U*
  '00081140': {
    choice: 'X',
    biplane: 'U',
    why: 'Referenced Image Sequence: General Reference module, Type 3; X-Ray Image module, Type 1C for BIPLANE A/B images',
  },
  '00082112': { choice: 'X', why: 'Source Image Sequence: General Reference module, Type 3' },
};

export interface CompoundContext {
  /** Image Type (0008,0008) value 3 is BIPLANE A or BIPLANE B. */
  readonly biplane: boolean;
}

/** The resolved action for a compound row, or undefined when this table has no decision for it. */
export function resolveCompound(tag: string, context: CompoundContext): ResolvedAction | undefined {
  const entry = COMPOUND_CHOICES[tag];
  if (!entry) return undefined;
  return context.biplane && entry.biplane ? entry.biplane : entry.choice;
}
