/**
 * A private Orthanc for one test file: a free port on 127.0.0.1, state in a fresh temp folder,
 * the given files uploaded, optionally with HTTP Basic authentication on (for 401 tests). Used
 * by the unit tests now and by browser tests later (they point the app's proxy at dicomWebUrl).
 *
 *   const pacs = await startTestOrthanc({ files: ['sample-dicom/l3-mbb-ftv.dcm'] });
 *   …
 *   await pacs.stop(); // Orthanc stopped, temp folder removed
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  basicAuthorization,
  freePort,
  orthancMissing,
  startOrthanc,
  uploadToOrthanc,
  type OrthancAuth,
  type RunningOrthanc,
} from '../../scripts/pacs/orthanc.mjs';

export type { OrthancAuth } from '../../scripts/pacs/orthanc.mjs';

export interface TestOrthanc {
  /** http://127.0.0.1:<port> (Orthanc's REST API). */
  readonly url: string;
  /** http://127.0.0.1:<port>/dicom-web (the DICOMweb root). */
  readonly dicomWebUrl: string;
  readonly port: number;
  /** The Authorization header value when authentication is on, else undefined. */
  readonly authorization: string | undefined;
  readonly process: RunningOrthanc['process'];
  /** Uploads Part 10 files (paths or bytes) through Orthanc's REST API. */
  upload(files: Array<string | Uint8Array>): Promise<void>;
  /** Stops Orthanc (SIGTERM, then SIGKILL after 10 s) and removes its temp folder. Safe to call twice. */
  stop(): Promise<void>;
}

export interface TestOrthancOptions {
  files?: Array<string | Uint8Array>;
  /** Switch Orthanc's HTTP Basic authentication on with this one user. */
  auth?: OrthancAuth;
}

/** Why Orthanc cannot run on this machine, or null. Tests fail (not skip) with this message. */
export const orthancUnavailable: string | null = orthancMissing();

const running = new Set<TestOrthanc>();
// A test run that dies without its afterAll must not leave an Orthanc behind.
process.once('exit', () => {
  for (const pacs of running) pacs.process.kill('SIGKILL');
});

export async function startTestOrthanc(options: TestOrthancOptions = {}): Promise<TestOrthanc> {
  if (orthancUnavailable) throw new Error(orthancUnavailable);
  const dir = mkdtempSync(join(tmpdir(), 'fluorolens-orthanc-'));
  let orthanc: RunningOrthanc | undefined;
  // Another process may take the free port between our probe and Orthanc's bind: try again.
  for (let attempt = 1; !orthanc; attempt++) {
    const port = await freePort();
    try {
      orthanc = await startOrthanc({ dir, port, auth: options.auth ?? null });
    } catch (error) {
      if (attempt >= 3) {
        rmSync(dir, { recursive: true, force: true });
        throw error;
      }
    }
  }
  const started = orthanc;
  const auth = options.auth ?? null;
  let stopped = false;
  const pacs: TestOrthanc = {
    url: started.url,
    dicomWebUrl: started.dicomWebUrl,
    port: Number(new URL(started.url).port),
    authorization: auth ? basicAuthorization(auth) : undefined,
    process: started.process,
    async upload(files) {
      await uploadToOrthanc(started.url, files, auth);
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await started.stop();
      running.delete(pacs);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  running.add(pacs);
  try {
    if (options.files?.length) await pacs.upload(options.files);
  } catch (error) {
    await pacs.stop();
    throw error;
  }
  return pacs;
}
