/**
 * Builds the bench's reference page (scripts/bench/vanilla: Cornerstone3D alone, as its "local"
 * example opens a file) and the floor page (floor.ts: frame 1 read, decoded and painted, nothing
 * else; then every frame decoded) into `<outDir>/vanilla/`, served beside the app by the same preview server.
 */
import { join, resolve } from 'node:path';
import { build } from 'vite';

/**
 * Two builds into one folder: the vanilla page with the dicom-image-loader as published, and the
 * floor page with its decode worker handing decoded pixels back by transfer, as FluoroLens's does
 * (floor.vite.config.ts; a floor that copied them back would not be one).
 */
export async function buildVanilla(outDir) {
  const pages = [
    { name: 'index', configFile: false },
    { name: 'floor', configFile: resolve('scripts/bench/vanilla/floor.vite.config.ts') },
  ];
  for (const [i, page] of pages.entries())
    await build({
      configFile: page.configFile,
      root: resolve('scripts/bench/vanilla'),
      base: '/vanilla/',
      // Its codecs import Node modules Vite stubs out: warnings about that are expected and not ours.
      logLevel: 'error',
      ...(page.configFile ? {} : { worker: { format: 'es' } }),
      build: {
        outDir: join(resolve(outDir), 'vanilla'),
        emptyOutDir: i === 0,
        target: 'es2022',
        chunkSizeWarningLimit: 8000,
        rollupOptions: { input: { [page.name]: resolve(`scripts/bench/vanilla/${page.name}.html`) } },
      },
    });
}
