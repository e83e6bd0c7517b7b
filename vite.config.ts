/// <reference types="vitest/config" />
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { sampleRuns } from './scripts/vite-plugin-sample-runs.ts';
import { dicomWebProxy } from './scripts/vite-dicomweb-proxy.ts';
import { decodeWorkerTransfer } from './scripts/vite-plugin-decode-worker-transfer.ts';
import { jpeg12LevelShift } from './scripts/vite-plugin-jpeg12-level-shift.ts';
import { opaqueSingleSampleWebGL } from './scripts/vite-plugin-webgl-context.ts';
import { openJpegMessages } from './scripts/vite-plugin-openjpeg-messages.ts';

// Codec entry points must be pre-bundled, or the dev server's decode worker hangs on first use.
const codecEntryPoints = [
  '@cornerstonejs/codec-charls/decodewasmjs',
  '@cornerstonejs/codec-openjpeg/decodewasmjs',
  '@cornerstonejs/codec-openjph/wasmjs',
  '@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs',
  '@cornerstonejs/codec-libjxl/decodewasmjs',
];

export default defineConfig({
  resolve: {
    // The loader's JPEG Lossless decoder, in the page and the decode worker: see src/viewer/jpegLosslessDecoder.ts.
    alias: [
      {
        find: /^@cornerstonejs\/jpeg-lossless-decoder-js$/,
        replacement: fileURLToPath(new URL('./src/viewer/jpegLosslessDecoder.ts', import.meta.url)),
      },
    ],
  },
  plugins: [react(), sampleRuns(), decodeWorkerTransfer(), jpeg12LevelShift(), openJpegMessages(), opaqueSingleSampleWebGL()],
  // /dicom-web → FLUOROLENS_DICOMWEB_PROXY or the Orthanc of `npm run pacs` (DESIGN.md, PACS).
  server: { proxy: dicomWebProxy() },
  preview: { proxy: dicomWebProxy() },
  // The decode worker is bundled on its own: it needs the transfer rewrite, the JPEG decoder's fix and OpenJPEG's adapter too.
  worker: { format: 'es', plugins: () => [decodeWorkerTransfer(), jpeg12LevelShift(), openJpegMessages()] },
  optimizeDeps: {
    // The published JPEG Lossless decoder is imported by jpegLosslessDecoder.ts (the loader is not
    // pre-bundled): found only at the first JPEG Lossless warm-up, it made the dev page reload once.
    include: ['dicom-parser', '@cornerstonejs/jpeg-lossless-decoder-js/release/lossless.js', ...codecEntryPoints],
    exclude: ['@cornerstonejs/dicom-image-loader'],
    // vtk.js comes pre-bundled inside @cornerstonejs/core on the dev server: its rewrite is applied there.
    rolldownOptions: { plugins: [opaqueSingleSampleWebGL()] },
  },
  build: { target: 'es2022', chunkSizeWarningLimit: 8000 },
  test: {
    include: ['tests/unit/**/*.test.ts', 'src/**/*.test.ts'],
    environment: 'node',
    // Several unit tests run DCMTK, dicom3tools or Orthanc; on a loaded 2-core machine a 5 s default is too tight.
    testTimeout: 30_000,
    server: { deps: { inline: ['@cornerstonejs/dicom-image-loader'] } },
    reporters: ['default', ['json', { outputFile: 'test-results/unit.json' }]],
  },
});
