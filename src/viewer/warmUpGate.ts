/**
 * When the warm-ups may start: the codecs in the decode workers (codecWarmup.ts) and the hidden
 * viewport's renders and openings (renderWarmup.ts). They are there so that a file the user
 * chooses later opens at once, and they take both cores for about half a second. When the page
 * opens runs by itself as it starts (the bundled samples, a PACS link), those runs are what the
 * user is waiting for: app/bootstrap.tsx holds the warm-ups until the first of them is on screen.
 * Measured here (`npm run bench` first look: navigation to the first sample's frame 1 on screen,
 * fresh profiles, median of 5): 1.88 s with the warm-ups beside it, 1.51 s after it. Most of what
 * is left is the page's scripts (0.8 s) and the GPU process drawing the page's first frame with
 * software GL (0.3 s), which Cornerstone's WebGL setup then waits for.
 */
let held: Promise<unknown> = Promise.resolve();
let gate: Promise<void> | null = null;

/** Holds the warm-ups until `until` settles; called before anything asks warmUpsMayStart. */
export function holdWarmUpsUntil(until: Promise<unknown>): void {
  held = until;
}

/** Resolves when the warm-ups may start (at once unless held), marking `fluorolens:warm-ups-start` then. */
export function warmUpsMayStart(): Promise<void> {
  gate ??= held
    .then(
      () => performance.mark('fluorolens:warm-ups-start'),
      () => performance.mark('fluorolens:warm-ups-start'),
    )
    .then(() => undefined);
  return gate;
}
