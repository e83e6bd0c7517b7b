// `npm run pacs`: a local PACS for development. Orthanc with its DICOMweb plugin on 127.0.0.1
// (port 8042 unless FLUOROLENS_PACS_PORT says otherwise), no DICOM port, state in .pacs/ (or
// FLUOROLENS_PACS_DIR). The sample runs are uploaded the first time. Ctrl+C stops Orthanc.
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_PORT, startOrthanc, uploadToOrthanc } from './pacs/orthanc.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const dir = process.env.FLUOROLENS_PACS_DIR ?? join(root, '.pacs');
const port = Number(process.env.FLUOROLENS_PACS_PORT ?? DEFAULT_PORT);
const samplesDir = join(root, 'sample-dicom');
const marker = join(dir, 'samples-uploaded.json');

function dicomFiles(folder) {
  return readdirSync(folder)
    .sort()
    .flatMap((name) => {
      const path = join(folder, name);
      if (statSync(path).isDirectory()) return dicomFiles(path);
      return name.endsWith('.dcm') ? [path] : [];
    });
}

/** Resolves when nothing listens on the port; an Orthanc already there would answer our checks. */
function ensurePortFree() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (error) => reject(error));
    probe.listen(port, () => probe.close(resolve));
  });
}

let orthanc = null;

async function main() {
  if (!Number.isInteger(port) || port <= 0 || port > 65535)
    throw new Error(`FLUOROLENS_PACS_PORT "${process.env.FLUOROLENS_PACS_PORT}" is not a port`);
  try {
    await ensurePortFree();
  } catch (error) {
    throw new Error(
      `port ${port} is in use (${error.code ?? error.message}); is a PACS already running? ` +
        'Choose another with FLUOROLENS_PACS_PORT=<port>, and point the app at it with ' +
        `FLUOROLENS_DICOMWEB_PROXY=http://127.0.0.1:<port>/dicom-web npm run dev`,
    );
  }
  orthanc = await startOrthanc({ dir, port });
  let stopping = false;
  const stop = async (signal) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping Orthanc…`);
    await orthanc.stop();
    console.log('Orthanc stopped.');
    process.exit(0);
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGHUP', () => stop('SIGHUP'));
  orthanc.exited.then(({ code, signal }) => {
    if (stopping) return;
    console.error(`Orthanc exited unexpectedly (${code ?? signal}); see ${orthanc.logPath}`);
    process.exit(1);
  });

  if (!existsSync(marker)) {
    const files = existsSync(samplesDir) ? dicomFiles(samplesDir) : [];
    console.log(`Uploading ${files.length} sample files from ${relative(root, samplesDir)}/ (first start)…`);
    await uploadToOrthanc(orthanc.url, files);
    writeFileSync(marker, `${JSON.stringify({ uploaded: files.map((f) => relative(root, f)), at: new Date().toISOString() }, null, 2)}\n`);
  }

  console.log(`PACS ready: Orthanc ${orthanc.url}/app/explorer.html (pid ${orthanc.process.pid})`);
  console.log(`DICOMweb:   ${orthanc.dicomWebUrl}/`);
  if (port === DEFAULT_PORT) console.log('npm run dev / vite preview reach it at /dicom-web (same-origin proxy).');
  else console.log(`Start the app with FLUOROLENS_DICOMWEB_PROXY=${orthanc.dicomWebUrl} so its /dicom-web proxy points here.`);
  console.log(`Storage:    ${relative(root, dir) || dir}/   (Ctrl+C stops Orthanc)`);
}

main().catch(async (error) => {
  console.error(`npm run pacs: ${error.message}`);
  await orthanc?.stop();
  process.exit(1);
});
