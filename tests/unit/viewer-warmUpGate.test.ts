// @vitest-environment jsdom
/**
 * The warm-ups' gate (src/viewer/warmUpGate.ts): nothing starts while the page's own first look is
 * held, and then each step waits until the user has given no input for half a second; moving the
 * mouse without a button pressed is not input to make way for.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

type Gate = typeof import('../../src/viewer/warmUpGate');

describe('warm-up steps', () => {
  let gate: Gate;
  beforeEach(async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    // performance.now follows the fake clock; marks are only recorded.
    vi.spyOn(performance, 'now').mockImplementation(() => Date.now());
    vi.resetModules();
    gate = await import('../../src/viewer/warmUpGate');
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  /** Resolves the promise's flag as the fake clock runs. */
  function watch(promise: Promise<void>): { done: boolean } {
    const state = { done: false };
    void promise.then(() => (state.done = true));
    return state;
  }

  it('wait for the hold, then for half a second without a press, a key, the wheel or a drag', async () => {
    let release: () => void = () => undefined;
    gate.holdWarmUpsUntil(new Promise<void>((resolve) => (release = resolve)));
    const first = watch(gate.warmUpStep());
    await vi.advanceTimersByTimeAsync(2000);
    expect(first.done, 'held').toBe(false);
    release();
    await vi.advanceTimersByTimeAsync(0);
    expect(first.done, 'released, nobody busy').toBe(true);

    const inputs = [
      new MouseEvent('pointerdown'),
      new KeyboardEvent('keydown', { key: 'ArrowRight' }),
      new WheelEvent('wheel'),
      new MouseEvent('pointermove', { buttons: 1 }),
    ];
    for (const input of inputs) {
      window.dispatchEvent(input);
      const step = watch(gate.warmUpStep());
      await vi.advanceTimersByTimeAsync(300);
      // Another input of the same kind keeps it waiting.
      window.dispatchEvent(input);
      await vi.advanceTimersByTimeAsync(400);
      expect(step.done, `${input.type}: 400 ms after the last`).toBe(false);
      await vi.advanceTimersByTimeAsync(150);
      expect(step.done, `${input.type}: 550 ms after the last`).toBe(true);
    }

    window.dispatchEvent(new MouseEvent('pointermove', { buttons: 0 }));
    const hover = watch(gate.warmUpStep());
    await vi.advanceTimersByTimeAsync(0);
    expect(hover.done, 'a mouse moved without a button').toBe(true);
  });

  it('start at once when nothing holds them', async () => {
    const step = watch(gate.warmUpStep());
    await vi.advanceTimersByTimeAsync(0);
    expect(step.done).toBe(true);
  });
});
