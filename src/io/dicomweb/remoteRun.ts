/**
 * A DICOMweb series as an OpenedRun, exactly like a local file's: the same RunInfo, the same
 * identity (so autosaved work follows the run), and frames whose FrameSource fetches WADO-RS
 * frames instead of reading a span of a file. The viewer does not know the difference.
 *
 * Fetching: frame 1 came with the metadata (openRemoteSeries). The first read of any other frame
 * starts retrieveRunFrames for every frame not yet here (batched, bounded concurrency), and reads
 * wait for their frame's part; a frame that is not part of a running batch (the prefetch was
 * cancelled, or the decoded frame aged out of the cache and is asked again) is fetched alone.
 * Bytes are handed to the decoder once and then dropped, so encoded frames are not held twice.
 * `cancel()` (the user switched runs) aborts whatever is in flight; the next read starts again.
 */
import { newRunKey, type FrameRef, type FrameSource, type OpenedRun } from '../../dicom/run';
import type { DicomWebClient } from './client';
import { DicomWebError } from './errors';
import type { RemoteRun } from './metadata';
import { planFrameRequests, prefetchBatchSize, retrieveRunFrames, type RunFrameFailure, type RunInstance } from './runFrames';
import { retrieveFrames } from './wado';

export interface RemoteFramesOptions {
  /** Fetch every frame in batches on the first read (runs that are decoded whole); else one frame per read. */
  prefetch: boolean;
  /** Frames per prefetch request; by default the run split evenly over the requests in flight (prefetchBatchSize). */
  batchSize?: number;
  concurrency?: number;
  /** Frames that did not arrive in a prefetch (not called when cancelled). */
  onFailures?(failures: RunFrameFailure[]): void;
}

interface Waiter {
  resolve(bytes: Uint8Array): void;
  reject(error: unknown): void;
}

/** The decoder may take the bytes it is given (transferred to its worker): each reader gets its own. */
function handToEach(waiters: readonly Waiter[], bytes: Uint8Array): void {
  waiters.forEach((waiter, i) => waiter.resolve(i === 0 ? bytes : bytes.slice()));
}

export class RemoteRunFrames {
  readonly frameCount: number;
  #arrived = new Map<number, Uint8Array>();
  #waiting = new Map<number, Waiter[]>();
  /** Frames a running prefetch will deliver. */
  #planned = new Set<number>();
  /** Frames handed to the decoder at least once (not prefetched again). */
  #taken = new Set<number>();
  #controller: AbortController | null = null;
  #prefetching = false;
  /** Bumped by every prefetch and cancel: callbacks of an older prefetch change nothing. */
  #epoch = 0;
  #singlesInFlight = 0;
  #requests = 0;
  readonly #batchSize: number;

  constructor(
    private readonly client: DicomWebClient,
    private readonly instances: readonly RunInstance[],
    firstFrame: Uint8Array | null,
    private readonly options: RemoteFramesOptions,
  ) {
    this.frameCount = instances.reduce((sum, i) => sum + i.frameCount, 0);
    this.#batchSize = options.batchSize ?? prefetchBatchSize(Math.max(...instances.map((i) => i.frameCount), 1), options.concurrency);
    if (firstFrame) this.#arrived.set(1, firstFrame);
  }

  /** WADO-RS requests started so far (frame requests, batched or single). */
  get requestCount(): number {
    return this.#requests;
  }

  /** Whether any request for this run's frames is in flight. */
  get active(): boolean {
    return this.#prefetching || this.#singlesInFlight > 0;
  }

  source(runFrame: number, name: string): FrameSource {
    return { name, read: () => this.read(runFrame) };
  }

  async read(runFrame: number): Promise<Uint8Array> {
    const arrived = this.#arrived.get(runFrame);
    if (arrived) {
      this.#arrived.delete(runFrame);
      this.#taken.add(runFrame);
      return arrived;
    }
    if (this.options.prefetch && !this.#prefetching && !this.#taken.has(runFrame)) this.#startPrefetch();
    if (this.#planned.has(runFrame)) {
      return new Promise<Uint8Array>((resolve, reject) => {
        const list = this.#waiting.get(runFrame) ?? [];
        list.push({ resolve, reject });
        this.#waiting.set(runFrame, list);
      });
    }
    const bytes = await this.#fetchOne(runFrame);
    this.#taken.add(runFrame);
    return bytes;
  }

  /** Stops every request in flight; waiting reads reject as cancelled. The next read starts again. */
  cancel(): void {
    this.#controller?.abort();
    this.#controller = null;
    this.#epoch++;
    this.#prefetching = false;
    const cancelled = new DicomWebError('cancelled', 'Frames', 'cancelled');
    for (const f of [...this.#planned]) this.#fail(f, cancelled);
  }

  #signal(): AbortSignal {
    if (!this.#controller || this.#controller.signal.aborted) this.#controller = new AbortController();
    return this.#controller.signal;
  }

  #locate(runFrame: number): { instance: RunInstance; frame: number } {
    let first = 1;
    for (const instance of this.instances) {
      if (runFrame < first + instance.frameCount) return { instance, frame: runFrame - first + 1 };
      first += instance.frameCount;
    }
    throw new RangeError(`frame ${runFrame} is outside the run's ${this.frameCount} frames`);
  }

  async #fetchOne(runFrame: number): Promise<Uint8Array> {
    const { instance, frame } = this.#locate(runFrame);
    let bytes: Uint8Array | null = null;
    this.#requests++;
    this.#singlesInFlight++;
    try {
      await retrieveFrames(this.client, instance, [frame], (part) => (bytes = part.bytes), {
        signal: this.#signal(),
        operation: `Frame ${runFrame}`,
      });
    } finally {
      this.#singlesInFlight--;
    }
    if (!bytes) throw new DicomWebError('malformed', `Frame ${runFrame}`, 'the PACS sent no frame');
    return bytes;
  }

  #deliver(runFrame: number, bytes: Uint8Array): void {
    this.#planned.delete(runFrame);
    const waiters = this.#waiting.get(runFrame);
    if (waiters?.length) {
      this.#waiting.delete(runFrame);
      this.#taken.add(runFrame);
      handToEach(waiters, bytes);
    } else {
      this.#arrived.set(runFrame, bytes);
    }
  }

  #fail(runFrame: number, error: unknown): void {
    this.#planned.delete(runFrame);
    const waiters = this.#waiting.get(runFrame);
    this.#waiting.delete(runFrame);
    for (const waiter of waiters ?? []) waiter.reject(error);
  }

  #startPrefetch(): void {
    const skip = new Set<number>([...this.#arrived.keys(), ...this.#taken]);
    const wanted: number[] = [];
    for (let f = 1; f <= this.frameCount; f++) if (!skip.has(f)) wanted.push(f);
    if (wanted.length === 0) return;
    this.#prefetching = true;
    const epoch = ++this.#epoch;
    const current = () => epoch === this.#epoch;
    for (const f of wanted) this.#planned.add(f);
    const signal = this.#signal();
    void retrieveRunFrames(this.client, this.instances, (runFrame, part) => current() && this.#deliver(runFrame, part.bytes), {
      signal,
      skip,
      batchSize: this.#batchSize,
      concurrency: this.options.concurrency,
    })
      .then((failures) => {
        if (!current()) return;
        for (const failure of failures) for (const f of failure.runFrames) this.#fail(f, failure.error);
        if (failures.length) this.options.onFailures?.(failures);
      })
      .catch((error: unknown) => {
        if (!current()) return;
        for (const f of [...this.#planned]) this.#fail(f, error);
      })
      .finally(() => {
        if (!current()) return;
        this.#prefetching = false;
        // Anything still waiting (a server that sent fewer parts without saying so) is fetched alone.
        for (const f of [...this.#planned]) {
          this.#planned.delete(f);
          const waiters = this.#waiting.get(f) ?? [];
          this.#waiting.delete(f);
          if (waiters.length)
            void this.#fetchOne(f).then(
              (bytes) => handToEach(waiters, bytes),
              (error: unknown) => waiters.forEach((w) => w.reject(error)),
            );
        }
      });
    this.#requests += planFrameRequests(this.instances, this.#batchSize, skip).length;
  }
}

/** What names a remote run in lists and messages: "PACS series 3" (never a UID or a patient name). */
export function remoteRunName(run: RemoteRun): string {
  const number = run.info.series.number;
  return number === null ? 'PACS series' : `PACS series ${number}`;
}

/** A remote run as the session holds it, with the object that fetches its frames. */
export function openedRunFromRemote(
  client: DicomWebClient,
  remote: RemoteRun,
  options: RemoteFramesOptions,
): { run: OpenedRun; frames: RemoteRunFrames } {
  const frames = new RemoteRunFrames(client, remote.instances, remote.firstFrame?.bytes ?? null, options);
  const name = remoteRunName(remote);
  const transferSyntaxUID = remote.info.transferSyntaxUID;
  const refs: FrameRef[] = Array.from({ length: remote.info.frameCount }, (_, i) => ({
    ok: true,
    source: frames.source(i + 1, `${name}, frame ${i + 1}`),
    transferSyntaxUID,
  }));
  return {
    run: {
      key: newRunKey(remote.identity),
      identity: remote.identity,
      info: remote.info,
      frames: refs,
      fileNames: [name],
      problems: remote.problems,
    },
    frames,
  };
}
