// Types for summary.mjs (the bench is plain Node ESM; the unit tests are TypeScript).
export const TARGETS: Record<string, string | number>;
export const MB: number;
export const MEMORY_TARGET_MIN_RAW_BYTES: number;
export const MEMORY_RATIO: number;
export const FIRST_FRAME_RAW_MS: number;
export const FIRST_FRAME_JPEG_MS: number;
export const VANILLA_RATIO: number;
export const ALL_DECODED_RAW_1024_120_MS: number;
export const CODEC_TIME_RATIO: number;
export const CLICK_TO_MARK_MS: number;
export const PACS_FIRST_FRAME_RATIO: number;
export const PACS_ALL_DECODED_RATIO: number;
export const TRANSFER_SYNTAX_NAMES: Record<string, string>;
export function transferSyntaxName(uid: string): string;

export interface PixelGeometry {
  rows: number;
  columns: number;
  frames: number;
  bitsAllocated: number;
  samplesPerPixel?: number;
}
export function rawPixelBytes(geometry: PixelGeometry): number;
export function median(values: number[]): number | null;
export function round(value: number | null | undefined, digits?: number): number | null;
export function expectedFps(runFps: number, speed: number): number;

export interface StatsReading {
  shown: number;
  dropped: number;
  atMs: number;
}
export interface CineFigures {
  speed: number;
  expectedFps: number | null;
  shownFps: number | null;
  shown: number;
  dropped: number;
  seconds: number | null;
}
export function cineFigures(start: StatsReading, end: StatsReading, runFps: number, speed: number): CineFigures | null;

export interface BenchCase extends PixelGeometry {
  case?: string;
  transferSyntax: string;
  runFps: number | null;
  interaction?: unknown;
  clickToMark?: { medianMs?: number | null; p95Ms?: number | null };
  firstFrameMs?: number | null;
  vanillaFirstFrameMs?: number | null;
  /** Frame 1 read, decoded by the same codecs and painted on a 2D canvas, nothing else (scripts/bench/vanilla/floor.ts). */
  floorFirstFrameMs?: number | null;
  /** The floor page's frame 1 read and decoded, before its paint. */
  floorDecodedMs?: number | null;
  /** The floor page's every frame read and decoded (none drawn); runs decoded whole only. */
  floorAllDecodedMs?: number | null;
  allDecodedMs?: number | null;
  codecMsOn2Workers?: number | null;
  /** The floor page's summed decode times of the same frames, halved. */
  floorCodecMsOn2Workers?: number | null;
  cine?: {
    at1x?: Partial<CineFigures & { renderedFps: number | null; presentedFps: number | null }> | null;
    at4x?: Partial<CineFigures & { renderedFps: number | null; presentedFps: number | null }> | null;
  };
  memory?: { ratio?: number | null };
  meets?: Record<string, boolean | null>;
  belowFloor?: Partial<Record<string, boolean | null>>;
}
export interface CaseTargets {
  firstFrameMs: number | null;
  vsVanilla: number | null;
  allDecodedMs: number | null;
  droppedAt1x: number;
  fpsAt4x: number | null;
  memoryRatio: number | null;
  interactionMedianMs: number | null;
  clickToMarkMs: number | null;
}
export function firstFrameTargetMs(c: BenchCase): number | null;
export function codecMsOn2Workers(c: BenchCase): number | null;
export function allDecodedTargetMs(c: BenchCase): number | null;
export function targetsFor(c: BenchCase): CaseTargets;
export function meets(
  c: BenchCase,
  targets?: CaseTargets,
): Record<'firstFrame' | 'vsVanilla' | 'allDecoded' | 'noDropsAt1x' | 'fpsAt4x' | 'memory' | 'interaction' | 'clickToMark', boolean | null>;
export function belowFloor(c: BenchCase, targets?: CaseTargets): Record<'firstFrame' | 'vsVanilla' | 'allDecoded', boolean | null>;
export function judge<C extends BenchCase>(
  c: C,
): C & { targets: CaseTargets; meets: ReturnType<typeof meets>; belowFloor: ReturnType<typeof belowFloor> };
export function misses(cases: BenchCase[]): string[];

export interface Point {
  x: number;
  y: number;
}
export function interactionDocument(options: {
  run: { study: string; series: string; sop: string };
  frames: number;
  columns: number;
  rows: number;
  tracks?: number;
  keyframesPerTrack?: number;
  handle: Point;
}): Record<string, unknown>;
export function pairLatencies(moves: number[], renders: number[]): number[];
export function screenFigures(
  log: Array<{ atMs: number; index: number }>,
  frameCount: number,
  runFps: number,
  speed: number,
): (CineFigures & { longestGapMs: number | null }) | null;
export function presentedFigures(
  traceEvents: Array<{ name: string; ph: string; ts: number }>,
): { presentedFps: number | null; swaps: number } | null;
export function renderedFigures(renders: number[]): { renderedFps: number | null };
export function framesLost(
  cine: { dropped: number; shownFps?: number | null; renderedFps?: number | null; seconds?: number | null } | null | undefined,
): number | null;
export function seenFps(
  cine: { shownFps: number | null; renderedFps?: number | null; presentedFps?: number | null } | null | undefined,
): number | null;

export interface PacsOpen {
  firstFrameMs: number;
  allDecodedMs: number | null;
  load: number;
  memory?: { ratio: number | null; runMB: number | null } | null;
}
export interface PacsSide {
  firstFrameMs: number | null;
  allDecodedMs: number | null;
  memoryRatio: number | null;
  runMB: number | null;
  loadAvg1m: number | null;
  opens: number;
}
export function pacsComparison(
  local: PacsOpen[],
  remote: PacsOpen[],
): {
  local: PacsSide;
  remote: PacsSide;
  ratios: { firstFrame: number | null; allDecoded: number | null; memory: number | null };
  targets: { firstFrameRatio: number; allDecodedRatio: number; memoryRatio: number };
  meets: { firstFrame: boolean | null; allDecoded: boolean | null; memory: boolean | null };
};
