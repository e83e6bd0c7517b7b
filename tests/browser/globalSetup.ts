import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { preview, type PreviewServer } from 'vite';

let server: PreviewServer | undefined;

declare module 'vitest' {
  export interface ProvidedContext {
    baseURL: string;
  }
}

/**
 * The tests drive documents through hooks that only a test build has (src/app/testHooks.ts):
 * say so at once, rather than in every test that uses them.
 */
function checkTestBuild(outDir: string): void {
  const assets = join(outDir, 'assets');
  const scripts = readdirSync(assets).filter((name) => name.endsWith('.js'));
  if (!scripts.some((name) => readFileSync(join(assets, name), 'utf8').includes('drawKeyframe'))) {
    throw new Error(
      `${outDir} is a production build without the test hooks: build it with \`npm run build:test\` (or run \`npm run test:browser\`)`,
    );
  }
}

/**
 * Serves the test build on a free local port: dist/ (built by `npm run test:browser` or
 * `npm run build:test`), or the folder named by FLUOROLENS_DIST, so several builds can be tested
 * side by side.
 */
export async function setup(project: TestProject) {
  const outDir = process.env.FLUOROLENS_DIST ?? 'dist';
  checkTestBuild(outDir);
  server = await preview({ build: { outDir }, preview: { port: 0, host: '127.0.0.1', strictPort: false }, logLevel: 'warn' });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('vite preview did not report its address');
  project.provide('baseURL', url.replace(/\/$/, ''));
}

export async function teardown() {
  // Vite's close() destroys open sockets first; httpServer.close() alone waits for every
  // connection still in use (it hung the PACS suite's afterAll in CI).
  await server?.close();
}
