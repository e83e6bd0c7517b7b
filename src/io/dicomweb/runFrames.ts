/**
 * Fetching all frames of a run from a DICOMweb server: frame 1 alone first (the first paint must
 * not wait behind anything), then the rest in multi-frame requests (`…/frames/2,3,4,…`, at most
 * `batchSize` frames each) with at most `concurrency` requests in flight. Each frame is handed on
 * the moment its part arrives. A batch that fails is reported and the others go on; a failure that
 * no later request can escape (unreachable, credentials, cancelled) stops the rest, which are
 * reported failed with the same error. Cancel through `signal` (e.g. when the user switches runs).
 */
import type { DicomWebClient } from './client';
import { DicomWebError } from './errors';
import { describeFrames, retrieveFrames, type FramePart, type InstanceRef } from './wado';

/** One instance of a run and how many frames it holds; a run's frames are its instances' frames in order. */
export interface RunInstance extends InstanceRef {
  frameCount: number;
}

export interface FrameRequest {
  /** Index into the run's instances. */
  instance: number;
  /** Frame numbers within that instance, ascending. */
  frames: number[];
  /** The run's 1-based frame number of frames[0]. */
  firstRunFrame: number;
}

export interface RunFramesOptions {
  signal?: AbortSignal;
  /** Frames per request after frame 1; default 8. */
  batchSize?: number;
  /** Requests in flight after frame 1; default 3 (browsers allow 6 per host; leave room for the UI). */
  concurrency?: number;
  /** Skip these run frames (e.g. frame 1, already fetched with the metadata). */
  skip?: ReadonlySet<number>;
}

export interface RunFrameFailure {
  /** Run frame numbers that did not arrive. */
  runFrames: number[];
  error: DicomWebError;
}

/** The requests for a run: run frame 1 alone, then batches of consecutive frames within each instance. */
export function planFrameRequests(instances: readonly RunInstance[], batchSize = 8, skip: ReadonlySet<number> = new Set()): FrameRequest[] {
  const requests: FrameRequest[] = [];
  let runFrame = 1;
  instances.forEach((instance, index) => {
    let batch: FrameRequest | null = null;
    for (let frame = 1; frame <= instance.frameCount; frame++, runFrame++) {
      if (skip.has(runFrame)) {
        batch = null;
        continue;
      }
      const alone = runFrame === 1;
      if (!batch || alone || batch.frames.length >= batchSize || batch.firstRunFrame === 1) {
        batch = { instance: index, frames: [], firstRunFrame: runFrame };
        requests.push(batch);
      }
      batch.frames.push(frame);
    }
  });
  return requests;
}

const DEFAULT_CONCURRENCY = 3;
const MIN_PREFETCH_BATCH = 8;
const MAX_PREFETCH_BATCH = 128;

/**
 * Frames per request when a whole run is fetched: the frames after frame 1 split evenly over the
 * requests allowed in flight (8 to 128 a request). A PACS such as Orthanc reads and parses the
 * whole instance for every frame request, so on a large instance the number of requests, not their
 * size, sets the time (measured: ≈ the same time for 1 frame as for 8 of a 120 MB instance); an
 * even split keeps each request slot busy to the end.
 */
export function prefetchBatchSize(frameCount: number, concurrency = DEFAULT_CONCURRENCY): number {
  const even = Math.ceil(Math.max(0, frameCount - 1) / Math.max(1, concurrency));
  return Math.min(MAX_PREFETCH_BATCH, Math.max(MIN_PREFETCH_BATCH, even));
}

const FATAL: ReadonlySet<DicomWebError['kind']> = new Set([
  'unreachable',
  'credentials-needed',
  'credentials-refused',
  'forbidden',
  'cancelled',
]);

/**
 * Fetches every frame of the run. onFrame gets the run's 1-based frame number. Resolves with the
 * failures (empty when every frame came); rejects only when cancelled.
 */
export async function retrieveRunFrames(
  client: DicomWebClient,
  instances: readonly RunInstance[],
  onFrame: (runFrame: number, part: FramePart) => void,
  options: RunFramesOptions = {},
): Promise<RunFrameFailure[]> {
  const requests = planFrameRequests(instances, options.batchSize ?? 8, options.skip);
  const failures: RunFrameFailure[] = [];
  let fatal: DicomWebError | null = null;
  const run = async (request: FrameRequest) => {
    const runFrameOf = (frame: number) => request.firstRunFrame + (frame - request.frames[0]);
    const arrived = new Set<number>();
    if (fatal) {
      failures.push({ runFrames: request.frames.map(runFrameOf), error: fatal });
      return;
    }
    try {
      await retrieveFrames(
        client,
        instances[request.instance],
        request.frames,
        (part) => {
          arrived.add(part.frameNumber);
          onFrame(runFrameOf(part.frameNumber), part);
        },
        { signal: options.signal, operation: describeFrames(request.frames.map(runFrameOf)) },
      );
    } catch (error) {
      const failure =
        error instanceof DicomWebError
          ? error
          : new DicomWebError('malformed', describeFrames(request.frames.map(runFrameOf)), String(error));
      if (FATAL.has(failure.kind)) fatal ??= failure;
      failures.push({ runFrames: request.frames.filter((f) => !arrived.has(f)).map(runFrameOf), error: failure });
    }
  };
  const [first, ...rest] = requests;
  if (first && first.firstRunFrame === 1) await run(first);
  else if (first) rest.unshift(first);
  let next = 0;
  const worker = async () => {
    while (next < rest.length) await run(rest[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? DEFAULT_CONCURRENCY, rest.length) }, worker));
  const stoppedBy = fatal as DicomWebError | null;
  if (stoppedBy?.kind === 'cancelled') throw stoppedBy;
  return failures.sort((a, b) => a.runFrames[0] - b.runFrames[0]);
}
