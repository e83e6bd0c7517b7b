// Types for synth.mjs (used by the unit and browser tests).
export interface BenchUids {
  study: string;
  series: string;
  sop: string;
}
export const TS_EXPLICIT_LE: string;
export function benchUids(name: string): BenchUids;
export function writeSyntheticRun(
  path: string,
  spec: { name: string; rows: number; columns: number; frames: number; fps?: number; seed?: number },
): BenchUids;
export function writeSyntheticSeries(
  dir: string,
  spec: { name: string; rows: number; columns: number; frames: number; seed?: number },
): void;
