import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';

const OPENJPEG_FACTORY = '@cornerstonejs/codec-openjpeg/decodewasmjs';
const ADAPTER = fileURLToPath(new URL('../src/viewer/openJpegCodec.ts', import.meta.url));

/**
 * Gives every importer of OpenJPEG's module factory (the dicom-image-loader's JPEG 2000 decoder)
 * src/viewer/openJpegCodec.ts instead, which drops OpenJPEG's [INFO] lines and makes its [ERROR]s
 * fail the frame. The adapter itself gets the published factory. A plugin and not a
 * `resolve.alias`, because the alias would send the adapter's own import back to itself.
 */
export function openJpegMessages(): Plugin {
  return {
    name: 'fluorolens-openjpeg-messages',
    enforce: 'pre',
    resolveId(source, importer) {
      if (source !== OPENJPEG_FACTORY || !importer) return null;
      return importer.split('?')[0] === ADAPTER ? null : ADAPTER;
    },
  };
}
