/* global fetch */
// Starting and stopping Debian's Orthanc (with its DICOMweb plugin) for `npm run pacs` and for the
// tests. The configuration kept in the repository (orthanc.json beside this file) is the base;
// each launch writes an effective copy with absolute storage paths, its port and, for tests that
// need a 401, HTTP authentication switched on.
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ORTHANC_BINARY = process.env.ORTHANC_PATH ?? '/usr/sbin/Orthanc';
export const BASE_CONFIG_PATH = fileURLToPath(new URL('./orthanc.json', import.meta.url));
export const DEFAULT_PORT = 8042;
const READY_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 10_000;

/** Why Orthanc cannot run here (binary or DICOMweb plugin missing), or null when it can. */
export function orthancMissing() {
  const base = JSON.parse(readFileSync(BASE_CONFIG_PATH, 'utf8'));
  if (!existsSync(ORTHANC_BINARY)) return `Orthanc is not installed (${ORTHANC_BINARY}); apt-get install orthanc orthanc-dicomweb`;
  const plugin = base.Plugins.find((p) => !existsSync(p));
  if (plugin) return `the Orthanc DICOMweb plugin is not installed (${plugin}); apt-get install orthanc-dicomweb`;
  return null;
}

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

/**
 * Writes `<dir>/orthanc.effective.json` from the repository's configuration and returns its path.
 * `auth` ({ user, password }) switches Orthanc's HTTP Basic authentication on.
 */
export function writeEffectiveConfig({ dir, port = DEFAULT_PORT, auth = null }) {
  const config = JSON.parse(readFileSync(BASE_CONFIG_PATH, 'utf8'));
  const storage = resolve(dir, 'storage');
  mkdirSync(storage, { recursive: true });
  config.StorageDirectory = storage;
  config.IndexDirectory = storage;
  config.HttpPort = port;
  if (auth) {
    config.AuthenticationEnabled = true;
    config.RegisteredUsers = { [auth.user]: auth.password };
  }
  const path = join(dir, 'orthanc.effective.json');
  writeFileSync(path, `${JSON.stringify(config, null, 2)}\n`);
  return path;
}

/** The Authorization header value for HTTP Basic authentication. */
export function basicAuthorization(auth) {
  return `Basic ${Buffer.from(`${auth.user}:${auth.password}`).toString('base64')}`;
}

/**
 * Starts Orthanc on 127.0.0.1:`port` with its state in `dir` and waits until it answers. Output
 * goes to `<dir>/orthanc.log`. Resolves to { process, url, dicomWebUrl, stop }.
 */
export async function startOrthanc({ dir, port = DEFAULT_PORT, auth = null }) {
  const missing = orthancMissing();
  if (missing) throw new Error(missing);
  mkdirSync(dir, { recursive: true });
  const configPath = writeEffectiveConfig({ dir, port, auth });
  const logPath = join(dir, 'orthanc.log');
  const log = createWriteStream(logPath, { flags: 'a' });
  const child = spawn(ORTHANC_BINARY, [configPath], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  // Both streams feed one log, so neither may end it; stop() ends it once both are closed, which
  // 'close' (unlike 'exit') waits for.
  child.stdout.pipe(log, { end: false });
  child.stderr.pipe(log, { end: false });
  const exited = new Promise((resolveExit) => child.once('close', (code, signal) => resolveExit({ code, signal })));
  const url = `http://127.0.0.1:${port}`;
  const headers = auth ? { Authorization: basicAuthorization(auth) } : {};
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let ready = false;
  let early = null;
  exited.then((outcome) => (early = outcome));
  while (!ready && !early && Date.now() < deadline) {
    try {
      const response = await fetch(`${url}/system`, { headers });
      ready = response.ok;
      await response.arrayBuffer();
    } catch {
      // Not listening yet.
    }
    if (!ready) await new Promise((r) => setTimeout(r, 50));
  }
  if (!ready) {
    if (!early) child.kill('SIGKILL');
    await exited;
    await new Promise((r) => log.end(r));
    const tail = readFileSync(logPath, 'utf8').split('\n').slice(-15).join('\n');
    throw new Error(
      `Orthanc did not start on port ${port}${early ? ` (it exited with ${early.code ?? early.signal})` : ' within 20 s'}. Log:\n${tail}`,
    );
  }
  const stop = async () => {
    let timer;
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    }
    await exited;
    clearTimeout(timer);
    await new Promise((r) => log.end(r));
  };
  return { process: child, url, dicomWebUrl: `${url}/dicom-web`, logPath, exited, stop };
}

/** Uploads Part 10 files (paths or bytes) through Orthanc's REST API; returns Orthanc's answers. */
export async function uploadToOrthanc(url, files, auth = null) {
  const answers = [];
  for (const file of files) {
    const body = typeof file === 'string' ? readFileSync(file) : file;
    const headers = { 'Content-Type': 'application/dicom', ...(auth ? { Authorization: basicAuthorization(auth) } : {}) };
    const response = await fetch(`${url}/instances`, { method: 'POST', headers, body });
    const text = await response.text();
    if (!response.ok) throw new Error(`Orthanc refused ${typeof file === 'string' ? file : 'an upload'}: ${response.status} ${text}`);
    answers.push(JSON.parse(text));
  }
  return answers;
}
