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
export function prepareCases(options: { root: string; benchDir: string; corpusDir: string; large?: boolean; only?: string | null }): {
  cases: Array<HeaderFacts & { case: string; paths: string[]; file: string; files: number; sizeBytes: number; interaction?: boolean }>;
  notes: string[];
};
