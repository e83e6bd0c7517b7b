/**
 * npm run samples — regenerates sample-dicom/: synthetic fluoroscopy runs with ground truth.
 *
 *   tsx scripts/make-samples.ts [--out DIR] [--only run1,run2] [--preview [DIR]]
 *
 * --out      output directory (default: sample-dicom/ at the repository root)
 * --only     comma-separated run names (default: all)
 * --preview  also write one PNG of a late frame of each run (default DIR: /tmp/samples-preview)
 */
import { fileURLToPath } from 'node:url';
import { generateSamples } from './samples/generate';

const args = process.argv.slice(2);
let outDir = fileURLToPath(new URL('../sample-dicom', import.meta.url));
let only: string[] | undefined;
let previewDir: string | undefined;
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === '--out') outDir = args[++i];
  else if (a === '--only') only = args[++i].split(',').filter(Boolean);
  else if (a === '--preview') previewDir = args[i + 1] && !args[i + 1].startsWith('--') ? args[++i] : '/tmp/samples-preview';
  else {
    console.error(`make-samples: unknown argument ${a}`);
    process.exit(2);
  }
}

const t0 = performance.now();
const results = generateSamples({ outDir, only, previewDir, log: (line) => console.log(line) });
const total = results.reduce((s, r) => s + r.bytes, 0);
console.log(
  `wrote ${results.length} run(s) to ${outDir}: ${(total / 1e6).toFixed(2)} MB in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
);
if (previewDir) console.log(`previews in ${previewDir}`);
