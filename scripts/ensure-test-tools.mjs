// The tests need Debian's Chromium (browser tests), DCMTK (dcmdump checks of the samples,
// dcmmkdir for the DICOMDIR test, dsrdump for the SR reports), dicom3tools (dciodvfy on the SR
// reports) and Orthanc with its DICOMweb plugin (the DICOMweb tests start their own Orthanc). Install what is missing when we run as root (CI and the
// team's machines); elsewhere stop with the one command that does.
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const onPath = (cmd) => {
  try {
    execSync(`command -v ${cmd}`, { stdio: 'ignore', shell: '/bin/sh' });
    return true;
  } catch {
    return false;
  }
};

const missing = [];
if (!existsSync(chromium)) missing.push('chromium');
if (!onPath('dcmdump') || !onPath('dcmmkdir') || !onPath('dsrdump')) missing.push('dcmtk');
if (!onPath('dciodvfy')) missing.push('dicom3tools');
if (!existsSync(process.env.ORTHANC_PATH ?? '/usr/sbin/Orthanc')) missing.push('orthanc');
if (!existsSync('/usr/share/orthanc/plugins/libOrthancDicomWeb.so')) missing.push('orthanc-dicomweb');

if (missing.length > 0) {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot) {
    console.error(
      `Missing test tools: ${missing.join(', ')}. Install them with:\n  sudo apt-get update && sudo apt-get install -y ${missing.join(' ')}`,
    );
    process.exit(1);
  }
  console.log(`Installing ${missing.join(', ')} (Debian packages)…`);
  execSync(`apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${missing.join(' ')}`, { stdio: 'inherit' });
}
