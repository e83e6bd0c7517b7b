/**
 * A run opened from a real Orthanc over DICOMweb is the run opened from the local file: the same
 * RunInfo (deep-equal, every field), the same identity (so autosaved work follows it), and frame
 * for frame the same bytes in the same transfer syntax (WADO-RS with transfer-syntax=* against
 * frameIndex readFrameBytes on the local file). Sample runs, and the corpus files when present.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { bufferSource } from '../../src/dicom/byteSource';
import { DicomWebClient, openRemoteSeries, retrieveRunFrames, type FramePart, type RemoteRun } from '../../src/io/dicomweb';
import { openFiles } from '../../src/io/openFiles';
import type { OpenedRun } from '../../src/dicom/run';
import { corpusFile } from '../support/corpus';
import { startTestOrthanc, type TestOrthanc } from '../support/orthanc';
import { withOverlayPlane } from '../support/overlayPlaneFile';
import { withVoiLuts } from '../support/voiLutFile';

// Real Orthanc and external tools: allow for a loaded 2-core machine (the suite runs files in parallel).
vi.setConfig({ testTimeout: 30_000, hookTimeout: 120_000 });

const sampleDir = fileURLToPath(new URL('../../sample-dicom', import.meta.url));
const CORPUS = [
  'xa_siemens_96f_jpeg-baseline_ecg-curve.dcm', // the real XA cine: JPEG baseline, 96 frames, curves, private groups
  'rf_siemens_1f_464x512_8bit.dcm', // Modality LUT Sequence
  'xa1_wg04_1024_10bit_rle.dcm',
  'xa1_wg04_1024_10bit_jpeg-ls-lossless.dcm',
  'cr_mono1_modality-lut-seq_jpeg-lossless.dcm',
];

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) =>
      entry.isDirectory() ? filesUnder(join(dir, entry.name)) : entry.name.endsWith('.dcm') ? [join(dir, entry.name)] : [],
    )
    .sort();
}

/** Byte equality without vitest's element-by-element diffing (frames are up to 2 MB). */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.from(a.buffer, a.byteOffset, a.length).equals(Buffer.from(b.buffer, b.byteOffset, b.length));
}

/**
 * The big-endian samples (l4-lat-be8, l3-mbb-be16) are left out: Orthanc 1.10's DICOMweb plugin
 * answers HTTP 500 for WADO-RS frames of an Explicit VR Big Endian instance (a retired syntax).
 * They exist to test local reading (reference-render, dicom-samples). The study's Radiation Dose SR
 * is not a run, so it is left out too. The corpus is required: corpusFile throws, naming the folder,
 * when a file is missing.
 */
const NOT_OVER_DICOMWEB = ['l4-lat-be8.dcm', 'l3-mbb-be16.dcm', 'tfesi-dose-report.dcm'];
const samples = filesUnder(sampleDir).filter((f) => !NOT_OVER_DICOMWEB.some((name) => f.endsWith(`/${name}`)));
const sampleRuns = new Set(samples.map((f) => f.replace(/\/IM\d+\.dcm$/, '/'))).size;
/** Folders of the copies made for this file, removed after it. */
const scratchDirs: string[] = [];
function scratchDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  scratchDirs.push(dir);
  return dir;
}

/**
 * A sample run whose window is replaced by a VOI LUT (new UIDs, so Orthanc keeps it beside the
 * sample): its LUT Data comes as bulk data, fetched like the Modality LUT's.
 */
const voiLutCopy = (() => {
  const file = withVoiLuts(join(sampleDir, 'l4-tfesi-ap-512.dcm'), scratchDir('fluorolens-voi-lut-web-'), 'voi-lut-copy.dcm', [
    { entries: 256, first: 0, bits: 8, curve: Math.sqrt, explanation: 'GAMMA 0.5' },
  ]);
  execFileSync('dcmodify', ['-nb', '-gst', '-gse', '-gin', file], { stdio: ['ignore', 'ignore', 'pipe'] });
  return file;
})();
/** The 10-bit corpus XA with an overlay plane (new UIDs): its Overlay Data comes as bulk data too. */
const overlayCopy = (() => {
  const file = join(scratchDir('fluorolens-overlay-web-'), 'overlay-copy.dcm');
  const plane = { rows: 300, columns: 400, origin: { row: 101, column: 201 }, description: 'MEASURED AREA' };
  writeFileSync(file, withOverlayPlane(readFileSync(corpusFile('xa1_wg04_1024_10bit_uncompressed.dcm')), plane));
  execFileSync('dcmodify', ['-nb', '-gst', '-gse', '-gin', file], { stdio: ['ignore', 'ignore', 'pipe'] });
  return file;
})();
/** The corpus RF frame shown inverted by its Presentation LUT Shape (new UIDs). */
const inverseCopy = (() => {
  const file = join(scratchDir('fluorolens-inverse-web-'), 'inverse-copy.dcm');
  copyFileSync(corpusFile('rf_siemens_1f_464x512_8bit.dcm'), file);
  execFileSync('dcmodify', ['-nb', '-gst', '-gse', '-gin', '-i', '(2050,0020)=INVERSE', file], { stdio: ['ignore', 'ignore', 'pipe'] });
  return file;
})();
const files = [...samples, ...CORPUS.map(corpusFile), voiLutCopy, overlayCopy, inverseCopy];

let pacs: TestOrthanc;
let client: DicomWebClient;
let local: OpenedRun[];
const remote = new Map<string, RemoteRun>();

beforeAll(async () => {
  pacs = await startTestOrthanc({ files });
  client = new DicomWebClient({ baseUrl: pacs.dicomWebUrl });
  const opened = await openFiles(files.map((path) => ({ source: bufferSource(path, new Uint8Array(readFileSync(path))), path })));
  expect(opened.problems).toEqual([]);
  local = opened.runs;
  for (const run of local) {
    const { runs, skipped } = await openRemoteSeries(client, {
      studyInstanceUID: run.info.study.instanceUID,
      seriesInstanceUID: run.info.series.instanceUID,
    });
    expect(skipped).toEqual([]);
    for (const r of runs) remote.set(r.identity, r);
  }
}, 120_000);

afterAll(() => {
  pacs?.stop();
  for (const dir of scratchDirs) rmSync(dir, { recursive: true, force: true });
});

describe('DICOMweb metadata → RunInfo against a real Orthanc', () => {
  it('finds every local run, and no other, by identity', () => {
    expect(local.length).toBe(sampleRuns + CORPUS.length + 3);
    expect([...remote.keys()].sort()).toEqual(local.map((r) => r.identity).sort());
  });

  // One name per run: a multi-frame file, or the folder of a single-frame series.
  const runNames = [...new Set(files.map((f) => f.replace(/^.*\/(sample-dicom|dicom-corpus)\//, '$1/').replace(/\/IM\d+\.dcm$/, '/')))];
  it.each(runNames)('%s: RunInfo from /metadata deep-equals RunInfo from the file', (name) => {
    const run = local.find((r) => r.fileNames.some((f) => f.includes(name.replace(/^[^/]+\//, '/'))))!;
    const fromPacs = remote.get(run.identity)!;
    expect(fromPacs.info).toEqual(run.info);
    expect(fromPacs.instances.map((i) => i.sopInstanceUID)).toEqual(run.info.sopInstanceUIDs);
  });

  it('reads a VOI LUT Sequence over DICOMweb, its LUT Data fetched', () => {
    const run = local.find((r) => r.fileNames.some((f) => f.endsWith('voi-lut-copy.dcm')))!;
    const luts = remote.get(run.identity)!.info.voi.luts!;
    expect(luts.map((lut) => [lut.explanation, lut.data.length, lut.data[4]])).toEqual([
      ['GAMMA 0.5', 256, Math.round(255 * Math.sqrt(4 / 255))],
    ]);
  });

  it('reads the Presentation LUT Shape over DICOMweb', () => {
    const run = local.find((r) => r.fileNames.some((f) => f.endsWith('inverse-copy.dcm')))!;
    expect(run.info.presentationLutShape).toBe('INVERSE');
    expect(remote.get(run.identity)!.info.presentationLutShape).toBe('INVERSE');
  });

  it('reads overlay planes over DICOMweb, their Overlay Data fetched', () => {
    const run = local.find((r) => r.fileNames.some((f) => f.endsWith('overlay-copy.dcm')))!;
    const [plane] = remote.get(run.identity)!.info.overlays!.perInstance[0];
    expect([plane.group, plane.rows, plane.columns, plane.description, plane.bits.length]).toEqual([
      0x6000,
      300,
      400,
      'MEASURED AREA',
      15000,
    ]);
    expect(plane.bits.some((byte) => byte !== 0)).toBe(true);
  });

  it('hands over frame 1 while opening, in the stored transfer syntax', async () => {
    for (const run of local) {
      const first = remote.get(run.identity)!.firstFrame!;
      const ref = run.frames[0];
      if (!ref.ok) throw new Error(ref.reason);
      expect(first.transferSyntaxUID).toBe(ref.transferSyntaxUID);
      expect(sameBytes(first.bytes, await ref.source.read()), run.identity).toBe(true);
    }
  });

  it('WADO-RS frames equal the local file’s frame bytes, frame for frame (frame 1 first, then batches)', async () => {
    for (const run of local) {
      const fromPacs = remote.get(run.identity)!;
      const got = new Map<number, FramePart>();
      const order: number[] = [];
      const failures = await retrieveRunFrames(
        client,
        fromPacs.instances,
        (frame, part) => {
          order.push(frame);
          got.set(frame, part);
        },
        { batchSize: 7, concurrency: 2 },
      );
      expect(failures).toEqual([]);
      expect(order[0]).toBe(1);
      expect(got.size).toBe(run.info.frameCount);
      for (let n = 1; n <= run.info.frameCount; n++) {
        const ref = run.frames[n - 1];
        if (!ref.ok) throw new Error(ref.reason);
        const part = got.get(n)!;
        expect(part.transferSyntaxUID, `${run.identity} frame ${n}`).toBe(ref.transferSyntaxUID);
        expect(sameBytes(part.bytes, await ref.source.read()), `${run.identity} frame ${n}`).toBe(true);
      }
    }
  }, 120_000);

  /** Orthanc's REST /modify writes a copy with new UIDs and the given values; we keep that copy as "the local file". */
  async function modifiedCopy(changes: Record<string, string>): Promise<Uint8Array> {
    const l3 = local.find((r) => r.fileNames.some((f) => f.endsWith('l3-mbb-ftv.dcm')))!;
    const [id] = (await (await fetch(`${pacs.url}/tools/lookup`, { method: 'POST', body: l3.info.sopInstanceUIDs[0] })).json()) as Array<{
      ID: string;
    }>;
    const response = await fetch(`${pacs.url}/instances/${id.ID}/modify`, {
      method: 'POST',
      body: JSON.stringify({ Replace: changes, Force: true }),
    });
    expect(response.ok).toBe(true);
    return new Uint8Array(await response.arrayBuffer());
  }

  it.each([
    ['Latin-1 (no Specific Character Set)', { PatientName: 'Müller^Jürgen', StudyDescription: 'Größe' }],
    ['UTF-8 (ISO_IR 192)', { PatientName: 'Müller^Jürgen', StudyDescription: 'Größe', SpecificCharacterSet: 'ISO_IR 192' }],
  ])('text outside ASCII reads the same from the file and from /metadata: %s', async (_label, changes) => {
    const bytes = await modifiedCopy(changes);
    const opened = await openFiles([{ source: bufferSource('modified.dcm', bytes), path: 'modified.dcm' }]);
    const [run] = opened.runs;
    await pacs.upload([bytes]);
    const { runs } = await openRemoteSeries(client, {
      studyInstanceUID: run.info.study.instanceUID,
      seriesInstanceUID: run.info.series.instanceUID,
    });
    // The copy keeps its series (new SOP Instance UID), so the series now holds more than one run.
    const fromPacs = runs.find((r) => r.identity === run.identity);
    expect(fromPacs?.info).toEqual(run.info);
    // dicom-parser reads one character per byte: Latin-1 reads right, UTF-8 as its bytes; the PACS copy matches either way.
    expect(run.info.patient.name).toBe('SpecificCharacterSet' in changes ? 'MÃ¼ller^JÃ¼rgen' : 'Müller^Jürgen');
  });
});
