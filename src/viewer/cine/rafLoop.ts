/**
 * Drives a clock from requestAnimationFrame. The rAF functions are parameters so the clock stays
 * testable in Node and so a caller can pass a throttled or fake scheduler.
 */
export type RequestFrame = (callback: (timestampMs: number) => void) => number;
export type CancelFrame = (handle: number) => void;

export interface Tickable {
  tick(nowMs: number): unknown;
}

/** Calls clock.tick with every rAF timestamp until the returned stop function is called. */
export function startRafLoop(clock: Tickable, requestFrame: RequestFrame, cancelFrame: CancelFrame): () => void {
  let running = true;
  let handle = 0;
  const onFrame = (timestampMs: number): void => {
    if (!running) return;
    clock.tick(timestampMs);
    // Re-check: tick's callbacks may have stopped the loop.
    if (running) handle = requestFrame(onFrame);
  };
  handle = requestFrame(onFrame);
  return () => {
    running = false;
    cancelFrame(handle);
  };
}
