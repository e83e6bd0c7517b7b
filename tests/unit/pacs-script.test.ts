/**
 * `npm run pacs` (scripts/pacs.mjs) against the real Orthanc: it starts on the chosen port,
 * uploads the sample runs the first time only, answers DICOMweb, and stops cleanly (Orthanc gone,
 * port closed) on SIGINT and SIGTERM.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/pacs/orthanc.mjs';
import { orthancUnavailable } from '../support/orthanc';

const dir = mkdtempSync(join(tmpdir(), 'fluorolens-pacs-script-'));
/** Every .dcm under sample-dicom/ (the script uploads them all). */
const sampleFileCount = readdirSync('sample-dicom', { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.dcm')).length;
const started: ChildProcess[] = [];
const outputs: Array<() => string> = [];
// Also after a failed test: SIGKILL of the script would leave its Orthanc running (and holding
// the storage folder), so ask the script to stop first, then make sure no Orthanc it started lives.
afterAll(async () => {
  for (const child of started) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  for (const output of outputs) {
    for (const [, pid] of output().matchAll(/\(pid (\d+)\)/g)) {
      try {
        // Only our Orthanc (its configuration lives in this test's folder), never a reused pid.
        if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(dir)) process.kill(Number(pid), 'SIGKILL');
      } catch {
        // Already gone: the script stopped it.
      }
    }
  }
  rmSync(dir, { recursive: true, force: true });
}, 30_000);

/**
 * The script's whole ready message, up to its last line ("Storage: …"): its lines can come in
 * separate chunks, and a test that read on after "PACS ready" alone missed the proxy line once.
 */
const READY = /PACS ready: .*\(pid (\d+)\)[\s\S]*\nStorage: /;

interface Launch {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function launch(port: number): Launch {
  const child = spawn(process.execPath, ['scripts/pacs.mjs'], {
    env: { ...process.env, FLUOROLENS_PACS_DIR: dir, FLUOROLENS_PACS_PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push(child);
  let text = '';
  child.stdout!.on('data', (chunk) => (text += chunk));
  child.stderr!.on('data', (chunk) => (text += chunk));
  outputs.push(() => text);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => text, exited };
}

async function waitFor(launchState: Launch, pattern: RegExp, timeoutMs = 90_000): Promise<RegExpMatchArray> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = launchState.output().match(pattern);
    if (match) return match;
    if (launchState.child.exitCode !== null) throw new Error(`pacs script exited early:\n${launchState.output()}`);
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern}:\n${launchState.output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function studyPatientIds(port: number): Promise<string[]> {
  const response = await fetch(`http://127.0.0.1:${port}/dicom-web/studies`, { headers: { Accept: 'application/dicom+json' } });
  const studies = (await response.json()) as Array<Record<string, { Value?: string[] }>>;
  return studies.map((s) => s['00100020']?.Value?.[0] ?? '');
}

async function stopWith(launchState: Launch, signal: NodeJS.Signals, orthancPid: number, port: number): Promise<void> {
  launchState.child.kill(signal);
  expect(await launchState.exited).toBe(0);
  expect(launchState.output()).toContain('Orthanc stopped.');
  expect(isAlive(orthancPid), 'Orthanc outlived the script').toBe(false);
  await expect(fetch(`http://127.0.0.1:${port}/system`)).rejects.toThrow();
}

describe('npm run pacs', () => {
  beforeAll(() => {
    // Fail, not skip: CI installs orthanc and orthanc-dicomweb.
    if (orthancUnavailable) throw new Error(orthancUnavailable);
  });

  it('uploads the samples on first start, answers DICOMweb, and stops Orthanc on SIGINT', async () => {
    const port = await freePort();
    const first = launch(port);
    const [, pid] = await waitFor(first, READY);
    expect(first.output()).toMatch(new RegExp(`Uploading ${sampleFileCount} sample files`));
    expect(first.output()).toContain(`FLUOROLENS_DICOMWEB_PROXY=http://127.0.0.1:${port}/dicom-web`);
    expect((await studyPatientIds(port)).sort()).toEqual(['FL-SAMPLE-001', 'FL-SAMPLE-001']);
    await stopWith(first, 'SIGINT', Number(pid), port);
  }, 120_000);

  it('keeps its storage and does not upload again; stops on SIGTERM', async () => {
    const port = await freePort();
    const second = launch(port);
    const [, pid] = await waitFor(second, READY);
    expect(second.output()).not.toMatch(/Uploading/);
    expect(await studyPatientIds(port)).toHaveLength(2);
    await stopWith(second, 'SIGTERM', Number(pid), port);
  }, 120_000);

  it('refuses a port that is in use, saying how to choose another', async () => {
    const blocker = createServer();
    const port = await new Promise<number>((resolve) => blocker.listen(0, () => resolve((blocker.address() as { port: number }).port)));
    try {
      const busy = launch(port);
      expect(await busy.exited).toBe(1);
      expect(busy.output()).toMatch(new RegExp(`port ${port} is in use.*FLUOROLENS_PACS_PORT`));
    } finally {
      blocker.close();
    }
  });
});
