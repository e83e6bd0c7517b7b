import { createReadStream, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import type { Plugin } from 'vite';

/**
 * Serves `sample-dicom/` at /sample-dicom/ (with HTTP Range, so the viewer reads only the
 * header and the frames it needs), copies it into the build, and exposes the list of files as
 * `virtual:sample-runs`, so `npm run dev` opens on the bundled runs.
 */
const VIRTUAL_ID = 'virtual:sample-runs';
const RESOLVED_ID = '\0' + VIRTUAL_ID;
const URL_PREFIX = '/sample-dicom/';

interface SampleFile {
  path: string;
  size: number;
}

function listDicomFiles(root: string): SampleFile[] {
  const files: SampleFile[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.toLowerCase().endsWith('.dcm'))
        files.push({ path: relative(root, full).split(sep).join('/'), size: statSync(full).size });
    }
  };
  try {
    walk(root);
  } catch {
    // No samples yet (before `npm run samples`): the viewer opens empty.
  }
  return files;
}

function parseRange(header: string | undefined, size: number): [number, number] | null {
  const match = header && /^bytes=(\d*)-(\d*)$/.exec(header);
  if (!match) return null;
  const start = match[1] === '' ? Math.max(0, size - Number(match[2])) : Number(match[1]);
  const end = match[1] !== '' && match[2] !== '' ? Math.min(Number(match[2]), size - 1) : size - 1;
  return start <= end ? [start, end] : null;
}

export function sampleRuns(root = resolve('sample-dicom')): Plugin {
  return {
    name: 'fluorolens-sample-runs',
    resolveId(id) {
      return id === VIRTUAL_ID ? RESOLVED_ID : undefined;
    },
    load(id) {
      if (id !== RESOLVED_ID) return undefined;
      const files = listDicomFiles(root).map((f) => ({ url: URL_PREFIX + f.path, path: f.path, size: f.size }));
      return `export default ${JSON.stringify(files)};`;
    },
    configureServer(server) {
      server.middlewares.use(URL_PREFIX, (req, res, next) => {
        const relativePath = decodeURIComponent((req.url ?? '').split('?')[0]).replace(/^\/+/, '');
        const full = resolve(root, relativePath);
        if (!full.startsWith(root + sep)) return next();
        let size: number;
        try {
          size = statSync(full).size;
        } catch {
          return next();
        }
        res.setHeader('Accept-Ranges', 'bytes');
        res.setHeader('Content-Type', 'application/dicom');
        const range = parseRange(req.headers.range, size);
        if (range) {
          res.statusCode = 206;
          res.setHeader('Content-Range', `bytes ${range[0]}-${range[1]}/${size}`);
          res.setHeader('Content-Length', String(range[1] - range[0] + 1));
          createReadStream(full, { start: range[0], end: range[1] }).pipe(res);
        } else {
          res.setHeader('Content-Length', String(size));
          createReadStream(full).pipe(res);
        }
      });
    },
    generateBundle() {
      for (const file of listDicomFiles(root)) {
        this.emitFile({ type: 'asset', fileName: 'sample-dicom/' + file.path, source: readFileSync(join(root, file.path)) });
      }
    },
  };
}
