import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { parseAst } from 'vite';
import { describe, expect, it } from 'vitest';
import { DECODE_WORKER_MODULE, withDecodedPixelsTransferred } from '../../scripts/vite-plugin-decode-worker-transfer';

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
    expect(rewritten).toMatch(/decodeTask\([^)]*\)\s*\{\s*return decodeImageFrame\([^)]*\)\.then\(\(frame\) => \{/);
    expect(rewritten).toContain('transfer(frame, [buffer])');
  });

  it('fails the build with its own name when the package code changed', () => {
    expect(() => withDecodedPixelsTransferred(original.replace("import { expose } from 'comlink';", ''))).toThrow(
      /vite-plugin-decode-worker-transfer\.ts: @cornerstonejs\/dicom-image-loader changed its decode worker/,
    );
  });
});
