// Types for cases.mjs (used by the unit tests).
export interface HeaderFacts {
  rows: number;
  columns: number;
  frames: number;
  bitsAllocated: number;
  samplesPerPixel: number;
  transferSyntax: string;
  runFps: number | null;
  uids: { study: string; series: string; sop: string };
}
export function headerFacts(path: string): HeaderFacts;
export const MATRIX: Array<{ label: string; tool?: string; args?: string[]; sizes: number[]; lengths: number[] }>;
export function prepareCases(options: {
  root: string;
  benchDir: string;
  corpusDir: string;
  only?: string | null;
  lengths?: number[] | null;
  syntaxes?: string[] | null;
  samples?: boolean;
}): {
  cases: Array<
    HeaderFacts & {
      case: string;
      paths: string[];
      file: string;
      files: number;
      sizeBytes: number;
      interaction?: boolean;
      cine?: boolean;
      matrix?: boolean;
    }
  >;
  notes: string[];
};
