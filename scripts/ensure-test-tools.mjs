// The tests need Debian's Chromium (browser tests), DCMTK (dcmdump/dcmdrle checks of the samples,
// dcmconv for `npm run samples`, dcm2pnm/dcmj2pnm/dcml2pnm as the reference renderer, dcmcrle/
// dcmcjpeg/dcmcjpls for damaged copies, dcmmkdir for DICOMDIRs, dsrdump for the SR reports),
// dicom3tools (dciodvfy), GDCM (gdcmconv, for JPEG 2000 copies) and Orthanc with its DICOMweb
// plugin (the DICOMweb tests start their own Orthanc). None of them is optional: a missing tool
// fails tests, it does not skip them. Install what is missing when we run as root (CI and the
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

/** Debian package → the commands the tests run from it. */
const PACKAGES = {
  dcmtk: [
    'dcmdump',
    'dcmdrle',
    'dcmconv',
    'dcmmkdir',
    'dsrdump',
    'dcm2pnm',
    'dcmj2pnm',
    'dcml2pnm',
    'dcmcrle',
    'dcmcjpeg',
    'dcmcjpls',
    'dcmdjpeg',
    'dcmodify',
  ],
  dicom3tools: ['dciodvfy'],
  'libgdcm-tools': ['gdcmconv'],
};

const missing = [];
if (!existsSync(chromium)) missing.push('chromium');
for (const [debianPackage, commands] of Object.entries(PACKAGES)) {
  if (!commands.every(onPath)) missing.push(debianPackage);
}
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
