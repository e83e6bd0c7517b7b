import type { Plugin } from 'vite';

/**
 * Makes the dicom-image-loader's JavaScript DCT decoder (codecs/jpeg.js, which it uses for 12-bit
 * JPEG Extended, Full Progression and Spectral Selection frames) give the samples the codestream
 * holds. After the inverse DCT a sample is in sixteenths, centred on zero; the decoder adds the
 * level shift and rounding as `2056 / bitConversion`, where bitConversion is 255 / (2^P − 1). That
 * is 2 × 1024 + 8 at 8 bits, as it should be, but 2056 × 4095 / 255 = 33,017.6 at 12 bits instead
 * of 2048 × 16 + 8 = 32,776: every sample came out 15 or 16 too high (the WG04 XA1 frame's darkest
 * pixel read 16 where DCMTK reads 1), and the clamps at 0 and 4095 sat as far off.
 *
 * The loop that ends each block is rewritten at build (and dev-serve) time with the shift
 * 2^(P−1) × 16 + 8 and the clamps worked out from it, which are the package's own numbers at
 * 8 bits. The WG04 frame then equals DCMTK's decoding on 84 % of its samples and is one lower on
 * the rest, where the two integer inverse DCTs round differently (on 8-bit frames 96 % are equal).
 * The page used to take 15 off every decoded sample on its main thread instead, to the same
 * result: 13 ms of that 1024² frame's first paint (profiled), where decoding right costs nothing.
 * When the package no longer has this loop the build fails with this file's name.
 */
export const JPEG_JS_MODULE = /@cornerstonejs[\\/]dicom-image-loader[\\/]dist[\\/]esm[\\/]codecs[\\/]jpeg\.js$/;

const BLOCK_OUTPUT = `    for (i = 0; i < 64; ++i) {
        var index = blockBufferOffset + i;
        var q = p[i];
        q =
            q <= -2056 / component.bitConversion
                ? 0
                : q >= 2024 / component.bitConversion
                    ? 255 / component.bitConversion
                    : (q + 2056 / component.bitConversion) >> 4;
        component.blockData[index] = q;
    }`;

const BLOCK_OUTPUT_SHIFTED_RIGHT = `    var largestSample = Math.round(255 / component.bitConversion);
    var levelShift = (largestSample + 1) * 8 + 8;
    var largestBeforeShift = largestSample * 16 - levelShift;
    for (i = 0; i < 64; ++i) {
        var index = blockBufferOffset + i;
        var q = p[i];
        q = q <= -levelShift ? 0 : q >= largestBeforeShift ? largestSample : (q + levelShift) >> 4;
        component.blockData[index] = q;
    }`;

/** jpeg.js with the level shift of every precision right; throws when the package's code is not what this expects. */
export function withTwelveBitLevelShiftRight(code: string): string {
  if (code.split(BLOCK_OUTPUT).length - 1 !== 1) {
    throw new Error(
      'scripts/vite-plugin-jpeg12-level-shift.ts: @cornerstonejs/dicom-image-loader changed its JPEG decoder ' +
        "(codecs/jpeg.js); check whether 12-bit frames now decode to the stored values (the WG04 XA1 lossy frame's " +
        'darkest pixel is 1), and update or remove this plugin',
    );
  }
  return code.replace(BLOCK_OUTPUT, () => BLOCK_OUTPUT_SHIFTED_RIGHT);
}

export function jpeg12LevelShift(): Plugin {
  return {
    name: 'fluorolens-jpeg12-level-shift',
    transform(code, id) {
      if (!JPEG_JS_MODULE.test(id.split('?')[0])) return null;
      return { code: withTwelveBitLevelShiftRight(code), map: null };
    },
  };
}
