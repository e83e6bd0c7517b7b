import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { parseAst } from 'vite';
import { describe, expect, it, vi } from 'vitest';
import {
  DECODE_WORKER_MODULE,
  withDecodedPixelsTransferred,
  withLeanPostProcessing,
} from '../../scripts/vite-plugin-decode-worker-transfer';

const require = createRequire(import.meta.url);
const workerPath = join(dirname(require.resolve('@cornerstonejs/dicom-image-loader/package.json')), 'dist/esm/decodeImageFrameWorker.js');

describe('decode worker transfers its decoded pixels (vite plugin)', () => {
  const original = readFileSync(workerPath, 'utf8');

  it('finds the installed worker module by its path', () => {
    expect(DECODE_WORKER_MODULE.test(workerPath)).toBe(true);
    expect(DECODE_WORKER_MODULE.test(workerPath.replace('decodeImageFrameWorker', 'decodeImageFrame'))).toBe(false);
  });

  it('rewrites the installed worker into valid code that returns the frame with its pixel buffer transferred', () => {
    // The package as installed does not transfer (else this plugin has no reason to exist).
    expect(original).not.toMatch(/\btransfer\(/);
    const rewritten = withDecodedPixelsTransferred(original);
    expect(() => parseAst(rewritten)).not.toThrow();
    expect(rewritten).toContain("import { expose, transfer } from 'comlink';");
    expect(rewritten).toMatch(
      /decodeTask\([^)]*\)\s*\{\s*return decodeImageFrame\([^)]*\)\.then\(\(frame\) => handBack\(frame, pixelData, options\)\);/,
    );
    expect(rewritten).toContain('return transfers.length > 0 ? transfer(frame, transfers) : frame;');
  });

  it('fails the build with its own name when the package code changed', () => {
    expect(() => withDecodedPixelsTransferred(original.replace("import { expose } from 'comlink';", ''))).toThrow(
      /vite-plugin-decode-worker-transfer\.ts: @cornerstonejs\/dicom-image-loader changed its decode worker/,
    );
  });
});

describe('decode worker post-processing is lean (vite plugin)', () => {
  const original = readFileSync(workerPath, 'utf8');
  const packageDir = dirname(require.resolve('@cornerstonejs/dicom-image-loader/package.json'));
  const rewritten = withLeanPostProcessing(withDecodedPixelsTransferred(original));

  /** A function of the rewritten worker, by name, made callable with the given module bindings. */
  function workerFunction(name: string, bindings: Record<string, unknown>, helpers: string[] = []) {
    const source = (fn: string) => {
      const match = new RegExp(`function ${fn}\\([^)]*\\) \\{[\\s\\S]*?\\n\\}`).exec(rewritten);
      if (!match) throw new Error(`${fn} not found in the rewritten worker`);
      return match[0];
    };
    const body = [...helpers, name].map(source).join('\n') + `\nreturn ${name};`;
    return new Function(...Object.keys(bindings), body)(...Object.values(bindings)) as (...args: unknown[]) => unknown;
  }

  it('rewrites the installed worker into valid code', () => {
    expect(() => parseAst(rewritten)).not.toThrow();
    expect(rewritten).toContain("import getMinMaxOfAnyArray from './shared/getMinMax.js';");
    expect(rewritten).toContain('handBack(frame, pixelData, options)');
  });

  describe('what a decode task sends back', () => {
    const transferred: unknown[][] = [];
    const handBack = workerFunction('handBack', {
      transfer: (value: unknown, transfers: unknown[]) => {
        transferred.push(transfers);
        return value;
      },
    }) as (frame: Record<string, unknown>, input: Uint8Array, options: Record<string, unknown>) => Record<string, unknown>;
    const send = (frame: Record<string, unknown>, input: Uint8Array, options: Record<string, unknown>) => {
      transferred.length = 0;
      const sent = handBack(frame, input, options);
      return { sent, transfers: transferred[0] ?? [] };
    };

    it('transfers decoded pixels that fill their buffer, and copies views into a larger one', () => {
      const pixels = new Uint16Array(16);
      expect(send({ pixelData: pixels }, new Uint8Array(8), {}).transfers).toEqual([pixels.buffer]);
      const view = new Uint16Array(new ArrayBuffer(64), 0, 16);
      expect(send({ pixelData: view }, new Uint8Array(8), {}).transfers).toEqual([]);
    });

    it('gives the input buffer back, transferred, only when asked', () => {
      const pixels = new Uint8Array(16);
      const input = new Uint8Array(new ArrayBuffer(64), 0, 10);
      const asked = send({ pixelData: pixels }, input, { returnInput: true });
      expect(asked.transfers).toEqual([pixels.buffer, input.buffer]);
      expect(asked.sent.returnedInput).toBe(input.buffer);
      const notAsked = send({ pixelData: pixels }, input, {});
      expect(notAsked.transfers).toEqual([pixels.buffer]);
      expect(notAsked.sent.returnedInput).toBeUndefined();
      // Decoded pixels that are a view into the input: the buffer is theirs now, and goes with them.
      const inPlace = send({ pixelData: new Uint8Array(input.buffer, 0, 8) }, input, { returnInput: true });
      expect(inPlace.transfers).toEqual([]);
      expect(inPlace.sent.returnedInput).toBeUndefined();
      // A failed decode has no frame to carry it.
      expect(send(undefined as never, input, { returnInput: true }).transfers).toEqual([]);
    });
  });

  it('finds the same pixel range as the package for every array type', async () => {
    const { default: packageMinMax } = (await import(join(packageDir, 'dist/esm/shared/getMinMax.js'))) as {
      default: (a: ArrayLike<number>) => { min: number; max: number };
    };
    const getMinMax = workerFunction('getMinMax', { getMinMaxOfAnyArray: packageMinMax }, [
      'minMaxOfUint8',
      'minMaxOfUint16',
      'minMaxOfInt16',
    ]);
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const arrays = [
      Uint8Array.from({ length: 4099 }, () => Math.floor(random() * 256)),
      Uint16Array.from({ length: 4099 }, () => Math.floor(random() * 65536)),
      Int16Array.from({ length: 4099 }, () => Math.floor(random() * 65536) - 32768),
      Int8Array.from({ length: 513 }, () => Math.floor(random() * 256) - 128),
      Float32Array.from({ length: 513 }, () => random() * 100 - 50),
      new Uint8Array([200]),
      new Uint16Array([3, 3, 3]),
      new Int16Array([-5, 7, -32768, 32767]),
      new Uint16Array(0),
    ];
    // The range at either end: the first and the last element hold the extremes.
    const edges = new Uint16Array(1000).fill(500);
    edges[0] = 1;
    edges[999] = 60000;
    arrays.push(edges);
    // 8-bit ranges found across the scan's 4096-value blocks: the extremes last, on either side of a
    // block's edge, one of them only, or both in the first block and another value after.
    for (const [length, zeroAt, fullAt] of [
      [10_000, 9_999, 4_096],
      [10_000, 4_096, 4_097],
      [10_000, 4_097, 9_998],
      [10_000, 5, -1],
      [10_000, 1, 2],
    ]) {
      const bytes = new Uint8Array(length).fill(100);
      bytes[zeroAt] = 0;
      if (fullAt >= 0) bytes[fullAt] = 255;
      bytes[length - 1] = Math.max(bytes[length - 1], 120);
      expect(getMinMax(bytes)).toEqual(packageMinMax(bytes));
    }
    for (const a of arrays) expect(getMinMax(a)).toEqual(packageMinMax(a));
  });

  it('stops an 8-bit scan once it has seen 0 and 255 (no value can widen the range after them)', () => {
    const minMaxOfUint8 = workerFunction('minMaxOfUint8', {}) as (pixels: Uint8Array) => { min: number; max: number };
    const pixels = new Uint8Array(1 << 20).fill(90);
    pixels[10] = 0;
    pixels[20] = 255;
    let reads = 0;
    // A proxy counts the values read (typed arrays' own indexing cannot be watched).
    const watched = new Proxy(pixels, {
      get(target, key) {
        if (typeof key === 'string' && /^\d+$/.test(key)) reads++;
        const value = Reflect.get(target, key);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    expect(minMaxOfUint8(watched)).toEqual({ min: 0, max: 255 });
    expect(reads).toBe(4098); // the first value twice (min and max), then the first block
    reads = 0;
    pixels[20] = 254;
    expect(minMaxOfUint8(watched)).toEqual({ min: 0, max: 254 });
    expect(reads).toBe(pixels.length + 1);
  });

  it("leaves an 8-bit frame's range to the page only when the task asks for it and nothing in the worker needs it", () => {
    const scan = vi.fn((pixels: ArrayLike<number>) => ({ min: Math.min(...Array.from(pixels)), max: Math.max(...Array.from(pixels)) }));
    const rangeForPostProcessing = workerFunction('rangeForPostProcessing', { getMinMax: scan }) as (
      frame: Record<string, unknown>,
      options: Record<string, unknown>,
    ) => { min: number; max: number };
    const lean = { preScale: { enabled: false } };
    const bytes = { pixelData: new Uint8Array([40, 90, 200]) };
    expect(rangeForPostProcessing(bytes, { ...lean, rangeOnPage: true })).toEqual({ min: 0, max: 255 });
    expect(bytes).toHaveProperty('rangeLeftToPage', true);
    expect(scan).not.toHaveBeenCalled();
    // Not asked for, 16-bit (the type depends on the range), rescaled, or into a target buffer: scanned.
    const cases: Array<[Record<string, unknown>, Record<string, unknown>, { min: number; max: number }]> = [
      [{ pixelData: new Uint8Array([40, 90, 200]) }, lean, { min: 40, max: 200 }],
      [{ pixelData: new Uint16Array([40, 900]) }, { ...lean, rangeOnPage: true }, { min: 40, max: 900 }],
      [{ pixelData: new Uint8Array([40, 90]) }, { preScale: { enabled: true }, rangeOnPage: true }, { min: 40, max: 90 }],
      [{ pixelData: new Uint8Array([40, 90]) }, { ...lean, rangeOnPage: true, targetBuffer: { type: 'Uint8Array' } }, { min: 40, max: 90 }],
    ];
    for (const [frame, options, range] of cases) {
      expect(rangeForPostProcessing(frame, options)).toEqual(range);
      expect(frame).not.toHaveProperty('rangeLeftToPage');
    }
    expect(scan).toHaveBeenCalledTimes(cases.length);
  });

  it('keeps a decoded array that owns its buffer and already has the type the range calls for; copies any other', async () => {
    const { default: getPixelDataTypeFromMinMax } = (await import(join(packageDir, 'dist/esm/shared/getPixelDataTypeFromMinMax.js'))) as {
      default: (min: number, max: number) => unknown;
    };
    const keepOrCopy = workerFunction('_getDefaultPixelDataArray', { getPixelDataTypeFromMinMax }) as (
      min: number,
      max: number,
      frame: { pixelData: ArrayBufferView & ArrayLike<number> },
    ) => ArrayBufferView & ArrayLike<number>;

    const owned = new Uint16Array([1, 300, 4000]);
    expect(keepOrCopy(1, 4000, { pixelData: owned })).toBe(owned);

    // A view into a larger buffer (as a codec's WASM memory is) is copied out.
    const memory = new ArrayBuffer(64);
    const view = new Uint16Array(memory, 8, 3);
    view.set([1, 300, 4000]);
    const copied = keepOrCopy(1, 4000, { pixelData: view });
    expect(copied).not.toBe(view);
    expect(copied.buffer).not.toBe(memory);
    expect(Array.from(copied)).toEqual([1, 300, 4000]);

    // 16-bit values that fit in 8 bits become a new Uint8Array, as the package does.
    const small = new Uint16Array([0, 17, 255]);
    const narrowed = keepOrCopy(0, 255, { pixelData: small });
    expect(narrowed).toBeInstanceOf(Uint8Array);
    expect(Array.from(narrowed)).toEqual([0, 17, 255]);

    // Shared memory is never handed on.
    const shared = new Uint8Array(new SharedArrayBuffer(3));
    shared.set([1, 2, 3]);
    const fromShared = keepOrCopy(1, 3, { pixelData: shared });
    expect(fromShared).not.toBe(shared);
    expect(fromShared.buffer).toBeInstanceOf(ArrayBuffer);
  });

  it('fails the build with its own name when the package code changed', () => {
    expect(() => withLeanPostProcessing(original.replace("import getMinMax from './shared/getMinMax.js';", ''))).toThrow(
      /vite-plugin-decode-worker-transfer\.ts: @cornerstonejs\/dicom-image-loader changed its decode worker/,
    );
  });
});
