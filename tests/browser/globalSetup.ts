import type { TestProject } from 'vitest/node';
import { preview, type PreviewServer } from 'vite';

let server: PreviewServer | undefined;

declare module 'vitest' {
  export interface ProvidedContext {
    baseURL: string;
  }
}

/**
 * Serves the production build on a free local port: dist/ (built by `npm run test:browser`), or
 * the folder named by FLUOROLENS_DIST, so several builds can be tested side by side.
 */
export async function setup(project: TestProject) {
  const outDir = process.env.FLUOROLENS_DIST ?? 'dist';
  server = await preview({ build: { outDir }, preview: { port: 0, host: '127.0.0.1', strictPort: false }, logLevel: 'warn' });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('vite preview did not report its address');
  project.provide('baseURL', url.replace(/\/$/, ''));
}

export async function teardown() {
  await new Promise<void>((resolve) => server?.httpServer.close(() => resolve()) ?? resolve());
}
