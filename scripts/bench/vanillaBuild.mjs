/**
 * Builds the bench's reference page (scripts/bench/vanilla: Cornerstone3D alone, as its "local"
 * example opens a file) and the floor page (floor.ts: frame 1 read, decoded and painted, nothing
 * else) into `<outDir>/vanilla/`, served beside the app by the same preview server.
 */
import { join, resolve } from 'node:path';
import { build } from 'vite';

export async function buildVanilla(outDir) {
  await build({
    configFile: false,
    root: resolve('scripts/bench/vanilla'),
    base: '/vanilla/',
    // Its codecs import Node modules Vite stubs out: warnings about that are expected and not ours.
    logLevel: 'error',
    worker: { format: 'es' },
    build: {
      outDir: join(resolve(outDir), 'vanilla'),
      emptyOutDir: true,
      target: 'es2022',
      chunkSizeWarningLimit: 8000,
      // The vanilla page, and the floor page (floor.ts) beside it.
      rollupOptions: { input: { index: resolve('scripts/bench/vanilla/index.html'), floor: resolve('scripts/bench/vanilla/floor.html') } },
    },
  });
}
