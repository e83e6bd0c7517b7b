import type { ProxyOptions } from 'vite';

/**
 * The app reaches DICOMweb servers through a same-origin proxy (Orthanc and most PACS send no
 * CORS headers): /dicom-web/… → FLUOROLENS_DICOMWEB_PROXY (a base URL such as
 * https://pacs.example.org/orthanc/dicom-web), by default the Orthanc of `npm run pacs`. With no
 * server behind it, Vite's proxy answers 502 and the app reports the PACS as unreachable.
 */
export const DEFAULT_DICOMWEB_PROXY = 'http://127.0.0.1:8042/dicom-web';

export function dicomWebProxy(base = process.env.FLUOROLENS_DICOMWEB_PROXY || DEFAULT_DICOMWEB_PROXY): Record<string, ProxyOptions> {
  let target: URL;
  try {
    target = new URL(base);
  } catch {
    throw new Error(`FLUOROLENS_DICOMWEB_PROXY "${base}" is not a URL (expected e.g. http://127.0.0.1:8042/dicom-web)`);
  }
  const prefix = target.pathname.replace(/\/+$/, '');
  return {
    '^/dicom-web(/|\\?|$)': {
      target: target.origin,
      changeOrigin: true,
      rewrite: (path) => prefix + path.slice('/dicom-web'.length),
    },
  };
}
