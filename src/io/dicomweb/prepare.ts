/**
 * Series made ready to open before the user asks: what opening a series waits for (its metadata,
 * turned into RunInfo, and frame 1 of each run) fetched while the series list is on screen or the
 * pointer rests on a series' Open button, as a PACS viewer does. Open then starts from what is
 * here instead of two round trips to the PACS (and, for Orthanc, two reads of the instance).
 *
 * Bounded: at most `limit` series at a time (the oldest is cancelled and dropped when another is
 * prepared), each held at most `maxAgeMs` (then cancelled and dropped: the PACS may have changed,
 * and what is held is one frame and one series' metadata, not to be kept for nothing). A prepared
 * series is taken once (its frame 1 goes to the decoder, which may transfer its bytes away).
 */
import type { DicomWebClient } from './client';
import { openRemoteSeries, type OpenSeriesOptions, type RemoteRun, type SkippedInstance } from './metadata';
import type { SeriesRef } from './wado';

export type OpenedSeries = { runs: RemoteRun[]; skipped: SkippedInstance[] };

interface Preparation {
  client: DicomWebClient;
  controller: AbortController;
  result: Promise<OpenedSeries>;
  timer: ReturnType<typeof setTimeout>;
}

export interface TakenPreparation {
  result: Promise<OpenedSeries>;
  /** Stops what is still in flight (the open that took it was cancelled). */
  cancel(): void;
}

export class SeriesPreparations {
  readonly #entries = new Map<string, Preparation>();

  constructor(
    private readonly limit = 3,
    private readonly maxAgeMs = 120_000,
  ) {}

  /** Series UIDs prepared or being prepared, oldest first. */
  get seriesInstanceUIDs(): string[] {
    return [...this.#entries.keys()];
  }

  /** Starts preparing the series (nothing when it is already prepared or being prepared with this client). */
  prepare(client: DicomWebClient, ref: SeriesRef, options: Pick<OpenSeriesOptions, 'firstInstance'> = {}): void {
    const held = this.#entries.get(ref.seriesInstanceUID);
    if (held?.client === client) return;
    if (held) this.#drop(ref.seriesInstanceUID);
    while (this.#entries.size >= this.limit) this.#drop(this.#entries.keys().next().value as string);
    const controller = new AbortController();
    const result = openRemoteSeries(client, ref, { ...options, signal: controller.signal });
    // Nobody may take it: a failure here is not the user's (opening tries again and tells).
    result.catch(() => undefined);
    const timer = setTimeout(() => this.#drop(ref.seriesInstanceUID), this.maxAgeMs);
    this.#entries.set(ref.seriesInstanceUID, { client, controller, result, timer });
  }

  /** The preparation of this series with this client, handed over (no longer held here), or null. */
  take(client: DicomWebClient, ref: SeriesRef): TakenPreparation | null {
    const held = this.#entries.get(ref.seriesInstanceUID);
    if (!held) return null;
    this.#entries.delete(ref.seriesInstanceUID);
    clearTimeout(held.timer);
    if (held.client !== client || held.controller.signal.aborted) {
      held.controller.abort();
      return null;
    }
    return { result: held.result, cancel: () => held.controller.abort() };
  }

  /** Cancels and forgets every preparation (another study, another server). */
  clear(): void {
    for (const key of [...this.#entries.keys()]) this.#drop(key);
  }

  #drop(seriesInstanceUID: string): void {
    const held = this.#entries.get(seriesInstanceUID);
    if (!held) return;
    this.#entries.delete(seriesInstanceUID);
    clearTimeout(held.timer);
    held.controller.abort();
  }
}
