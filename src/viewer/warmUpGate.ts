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
 *
 * Once started, each step of them waits until the user has given no input for QUIET_MS (a press,
 * a key, the wheel, a drag): a step holds the page's thread or both cores for up to ~130 ms (the
 * hidden viewport's first 16-bit frame waits for the GPU process), which a drag or a held key
 * would feel. A file chosen while they wait opens as it would have without them.
 */
const QUIET_MS = 500;
let held: Promise<unknown> = Promise.resolve();
let lastInputAt = Number.NEGATIVE_INFINITY;
let gate: Promise<void> | null = null;

/** Holds the warm-ups until `until` settles; called before anything asks warmUpsMayStart. */
export function holdWarmUpsUntil(until: Promise<unknown>): void {
  held = until;
}

/** Resolves when the warm-ups may start (at once unless held), marking `fluorolens:warm-ups-start` then. */
export function warmUpsMayStart(): Promise<void> {
  if (!gate) watchInput();
  gate ??= held
    .then(
      () => performance.mark('fluorolens:warm-ups-start'),
      () => performance.mark('fluorolens:warm-ups-start'),
    )
    .then(() => undefined);
  return gate;
}

/** Resolves when a warm-up step may run: the warm-ups have started and the user has been quiet for QUIET_MS. */
export async function warmUpStep(): Promise<void> {
  await warmUpsMayStart();
  for (;;) {
    const wait = lastInputAt + QUIET_MS - performance.now();
    if (wait <= 0) return;
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
}

function watchInput(): void {
  if (typeof window === 'undefined') return;
  const note = () => (lastInputAt = performance.now());
  const options = { capture: true, passive: true };
  for (const type of ['pointerdown', 'keydown', 'wheel']) window.addEventListener(type, note, options);
  // Moving the mouse over the image is not work to make way for; dragging it (window/level, a contour) is.
  window.addEventListener('pointermove', (event) => event.buttons !== 0 && note(), options);
}
