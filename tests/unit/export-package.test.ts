/**
 * The teaching package as a whole: written, opened again (zip or unpacked folder) with the same
 * tracks, keyframes, case record and quiz; case.html escaped and offline; every refusal happens
 * before a byte is written and names the field, never the identifying value.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { emptyCaseRecord, type AnnotationDocument } from '../../src/annotations/model';
import { DeidentificationError } from '../../src/export/deid';
import {
  MANIFEST_PATH,
  caseHtmlParts,
  escapeHtml,
  readTeachingPackage,
  unzipPackage,
  writeTeachingPackage,
  type PackageFile,
  type TeachingCaseInput,
  type TeachingPackageResult,
} from '../../src/export/package';
import { fileSource } from './exportSupport';
import { SAMPLE_DIR, readTruths } from '../support/samples';

const truth = readTruths().find((t) => t.run === 'l3-mbb-ftv')!;
const l3 = join(SAMPLE_DIR, 'l3-mbb-ftv.dcm');
const l4Truth = readTruths().find((t) => t.run === 'l4-tfesi-ap-512')!;
const l4 = join(SAMPLE_DIR, 'l4-tfesi-ap-512.dcm');

function documentFromTruth(t: typeof truth): AnnotationDocument {
  const tip = (frame: number) => t.needleTip.find((p) => p.frame === frame)!;
  return {
    runRef: {
      studyInstanceUID: t.studyInstanceUID,
      seriesInstanceUID: t.seriesInstanceUID,
      sopInstanceUIDs: t.sopInstanceUIDs,
      frameCount: t.frames,
    },
    tracks: [
      {
        id: 'needleTip-1',
        kind: 'needleTip',
        label: 'Needle tip',
        color: '#ffd400',
        keyframes: [1, 8, t.needleAtTargetFrame].map((frame) => ({
          frame,
          geometry: { tip: { x: tip(frame).x, y: tip(frame).y }, hub: { x: t.needleHub.x, y: t.needleHub.y } },
        })),
      },
      {
        id: 'target-1',
        kind: 'target',
        label: 'SAP–TP junction',
        color: '#00e676',
        keyframes: [{ frame: 1, geometry: { center: { x: t.target.x, y: t.target.y }, radiusPx: 6 } }],
      },
      {
        id: 'caption-1',
        kind: 'caption',
        label: 'Caption',
        color: '#ffffff',
        text: 'Contrast stays <small> & confined',
        range: { from: t.contrastOnsetFrame, to: t.frames },
        keyframes: [],
      },
    ],
    caseRecord: {
      ...emptyCaseRecord(),
      procedure: 'medialBranchBlock',
      levels: ['L3'],
      side: 'right',
      approach: 'oblique',
      contrastPatterns: ['softTissue'],
      contrastFirstSeenFrame: t.contrastOnsetFrame,
      placementConfirmedBeforeMedication: true,
      notes: 'Scotty dog view; "eye" of the dog',
    },
    calibration: null,
    vascularFlags: [],
    leadTips: [],
  };
}

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4]);

function caseInput(overrides: Partial<TeachingCaseInput> = {}): TeachingCaseInput {
  return {
    title: 'Right L3 medial branch block <script>alert("x")</script>',
    learningPoints: ['Target the junction of the SAP & transverse process', 'Small, confined volume'],
    runs: [
      {
        label: 'Oblique',
        files: [fileSource(l3)],
        document: documentFromTruth(truth),
        video: { format: 'webm', bytes: new TextEncoder().encode('\x1aE\xdf\xa3 fake webm') },
        keyFrames: [{ frame: truth.needleAtTargetFrame, png: PNG, caption: 'Tip at the target' }],
      },
      { label: 'AP', files: [fileSource(l4)], document: documentFromTruth(l4Truth) },
    ],
    quiz: {
      questions: [
        { runIndex: 0, trackId: 'needleTip-1' },
        { runIndex: 1, trackId: 'target-1', frames: [1] },
      ],
      contrastPatternRuns: [0],
    },
    secret: new Uint8Array(32).fill(5),
    appVersion: 'test',
    ...overrides,
  };
}

async function write(input: TeachingCaseInput): Promise<{ result: TeachingPackageResult; zip: Buffer; sinkCalls: number }> {
  const chunks: Uint8Array[] = [];
  const result = await writeTeachingPackage(input, (chunk) => {
    chunks.push(chunk.slice());
  });
  return { result, zip: Buffer.concat(chunks), sinkCalls: chunks.length };
}

/** Runs a refused export and returns the message; fails if anything reached the sink. */
async function refusal(input: TeachingCaseInput): Promise<string> {
  let written = 0;
  try {
    await writeTeachingPackage(input, () => {
      written++;
    });
  } catch (error) {
    expect(error).toBeInstanceOf(DeidentificationError);
    expect(written).toBe(0);
    return (error as Error).message;
  }
  throw new Error('the export was not refused');
}

let written: Awaited<ReturnType<typeof write>>;
beforeAll(async () => {
  written = await write(caseInput());
}, 60_000);

describe('round trip', () => {
  it('opens the runs again with the same tracks, keyframes and case record, and the quiz', () => {
    const read = readTeachingPackage(unzipPackage(written.zip));
    if (!read.ok) throw new Error(read.error);
    expect(read.title).toBe('Right L3 medial branch block <script>alert("x")</script>');
    expect(read.learningPoints).toEqual(caseInput().learningPoints);
    expect(read.warnings).toEqual([]);
    expect(read.runs.map((r) => [r.id, r.label, r.frameCount, r.dicomFiles.map((f) => f.path)])).toEqual([
      ['run-1', 'Oblique', 30, ['dicom/run-1/IM0001.dcm']],
      ['run-2', 'AP', 60, ['dicom/run-2/IM0001.dcm']],
    ]);
    const original = caseInput().runs.map((r) => r.document!);
    read.runs.forEach((run, i) => {
      expect(run.annotations!.tracks).toEqual(original[i].tracks);
      expect(run.annotations!.caseRecord).toEqual(original[i].caseRecord);
      expect(run.annotations!.runRef.sopInstanceUIDs).toEqual(written.result.manifest.runs[i].sopInstanceUIDs);
      expect(run.annotations!.runRef.seriesInstanceUID).not.toBe(original[i].runRef.seriesInstanceUID);
    });
    expect(read.runs[0].video?.format).toBe('webm');
    expect(read.runs[0].keyFrames.map((k) => [k.frame, k.caption, k.file.bytes])).toEqual([
      [truth.needleAtTargetFrame, 'Tip at the target', PNG],
    ]);
    expect(read.quiz).toEqual({
      version: 1,
      questions: [
        { run: 'run-1', trackId: 'needleTip-1', frames: [1, 8, truth.needleAtTargetFrame] },
        { run: 'run-2', trackId: 'target-1', frames: [1] },
      ],
      contrastPatternRuns: ['run-1'],
    });
  });

  it('opens an unpacked folder the same way, wherever the folder sits', () => {
    const entries = unzipPackage(written.zip);
    const folder: PackageFile[] = entries.map((e) => ({ path: `Downloads\\teaching case/${e.path}`, bytes: e.bytes }));
    folder.push({
      path: 'Downloads\\teaching case/extra/notes/manifest.json',
      bytes: new TextEncoder().encode('{"type":"something-else"}'),
    });
    const fromFolder = readTeachingPackage(folder);
    const fromZip = readTeachingPackage(entries);
    if (!fromFolder.ok || !fromZip.ok) throw new Error('not read');
    expect(fromFolder.runs.map((r) => r.annotations)).toEqual(fromZip.runs.map((r) => r.annotations));
    expect(fromFolder.runs[0].dicomFiles[0].bytes).toBe(fromZip.runs[0].dicomFiles[0].bytes);
  });

  it('gives the same UIDs and dates for the same case secret, and others for another secret', async () => {
    const again = await write(caseInput());
    const other = await write(caseInput({ secret: new Uint8Array(32).fill(6) }));
    expect(again.result.manifest.runs[0].sopInstanceUIDs).toEqual(written.result.manifest.runs[0].sopInstanceUIDs);
    expect(other.result.manifest.runs[0].sopInstanceUIDs).not.toEqual(written.result.manifest.runs[0].sopInstanceUIDs);
    expect(again.zip.equals(written.zip)).toBe(false); // savedAt follows the clock
    const study = (r: TeachingPackageResult) => r.manifest.runs.map((run) => run.studyInstanceUID);
    expect(study(written.result)[0]).not.toBe(study(written.result)[1]); // two studies in, two out
  }, 60_000);
});

describe('reading forgives what it can and refuses what it cannot', () => {
  const entries = (): PackageFile[] => unzipPackage(written.zip);
  const withManifest = (change: (manifest: Record<string, unknown>) => void): PackageFile[] =>
    entries().map((e) => {
      if (e.path !== MANIFEST_PATH) return e;
      const manifest = JSON.parse(new TextDecoder().decode(e.bytes));
      change(manifest);
      return { path: e.path, bytes: new TextEncoder().encode(JSON.stringify(manifest)) };
    });

  it('refuses files without a manifest, a newer package, and a package missing its DICOM', () => {
    expect(readTeachingPackage(entries().filter((e) => e.path !== MANIFEST_PATH))).toEqual({
      ok: false,
      error: 'not a FluoroLens teaching package: no manifest.json of type "fluorolens-teaching-case"',
    });
    expect(readTeachingPackage(withManifest((m) => (m.version = 2)))).toMatchObject({
      ok: false,
      error: expect.stringMatching(/newer FluoroLens/),
    });
    expect(readTeachingPackage(entries().filter((e) => e.path !== 'dicom/run-2/IM0001.dcm'))).toEqual({
      ok: false,
      error: 'run 2 of manifest.json: dicom/run-2/IM0001.dcm is missing from the package',
    });
  });

  it('opens a run without its annotations when they are missing or belong elsewhere, and says so', () => {
    const read = readTeachingPackage(entries().filter((e) => e.path !== 'annotations/run-1.json'));
    if (!read.ok) throw new Error(read.error);
    expect(read.runs[0].annotations).toBeNull();
    expect(read.warnings).toContain('run-1: annotations/run-1.json is missing; the run opens without annotations');
    const swapped = readTeachingPackage(
      withManifest((m) => ((m.runs as { annotations: string }[])[0].annotations = 'annotations/run-2.json')),
    );
    if (!swapped.ok) throw new Error(swapped.error);
    expect(swapped.runs[0].annotations).toBeNull();
    expect(swapped.warnings.join('\n')).toMatch(/run-1: annotations\/run-2.json: these annotations are for series .* not the open run/);
  });

  it('drops quiz questions on tracks the package does not have, and a quiz from a newer version', () => {
    const unknown = readTeachingPackage(
      withManifest((m) => (m.quiz as { questions: unknown[] }).questions.push({ run: 'run-1', trackId: 'nope', frames: [1] })),
    );
    if (!unknown.ok) throw new Error(unknown.error);
    expect(unknown.quiz?.questions).toHaveLength(2);
    expect(unknown.warnings).toEqual(['a quiz question names a run or track that is not in the package; left out']);
    const newer = readTeachingPackage(withManifest((m) => ((m.quiz as { version: number }).version = 9)));
    if (!newer.ok) throw new Error(newer.error);
    expect(newer.quiz).toBeNull();
  });
});

describe('refusals before anything is written', () => {
  it('refuses typed text holding the patient’s name or ID, naming the field but not the value', async () => {
    const doc = documentFromTruth(truth);
    const message = await refusal(
      caseInput({
        learningPoints: ['Mr Synthetic tolerated it well'],
        runs: [
          {
            label: 'Oblique',
            files: [fileSource(l3)],
            document: { ...doc, caseRecord: { ...doc.caseRecord, notes: 'MRN FL-SAMPLE-001' } },
          },
        ],
        quiz: null,
      }),
    );
    expect(message).toBe(
      "Not exported: learning point 1 contains identifying text from Patient's Name (0010,0010); run 1: case record notes contains identifying text from Patient ID (0010,0020).",
    );
    expect(message).not.toMatch(/synthetic|FL-SAMPLE/i);
  });

  it('refuses a video or key frame whose bytes carry identifying text (file metadata)', async () => {
    const message = await refusal(
      caseInput({
        runs: [
          {
            label: 'Oblique',
            files: [fileSource(l3)],
            document: null,
            video: { format: 'mp4', bytes: new TextEncoder().encode('....moov....udta©nam FLUOROLENS^SYNTHETIC') },
          },
        ],
        quiz: null,
      }),
    );
    expect(message).toBe('Not exported: identifying text found inside the video of run 1 (file metadata?).');
  });

  it('refuses annotations made on other images, key frames outside the run, and quiz questions that cannot be asked', async () => {
    const swapped = caseInput({ runs: [{ label: 'Oblique', files: [fileSource(l3)], document: documentFromTruth(l4Truth) }], quiz: null });
    expect(await refusal(swapped)).toBe('run 1 ("Oblique"): the annotations belong to other images than the run\'s files');
    const outside = caseInput({
      runs: [{ label: '', files: [fileSource(l3)], document: null, keyFrames: [{ frame: 31, png: PNG }] }],
      quiz: null,
    });
    expect(await refusal(outside)).toBe('run 1: key frame 31 is outside the run (frames 1–30)');
    expect(await refusal(caseInput({ quiz: { questions: [{ runIndex: 0, trackId: 'caption-1' }] } }))).toBe(
      'quiz: track "caption-1" is a caption track; only needle tip and target tracks can be questions',
    );
    expect(await refusal(caseInput({ quiz: { questions: [{ runIndex: 3, trackId: 'needleTip-1' }] } }))).toBe(
      'quiz: a question refers to run 4, which is not in the case',
    );
  });
});

describe('case.html', () => {
  const html = (): string => new TextDecoder().decode(unzipPackage(written.zip).find((e) => e.path === 'case.html')!.bytes);

  it('escapes every text', () => {
    expect(escapeHtml(`<a href='x'>&"`)).toBe('&lt;a href=&#39;x&#39;&gt;&amp;&quot;');
    const page = html();
    expect(page).toContain('<title>Right L3 medial branch block &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</title>');
    expect(page).not.toContain('<script');
    expect(page).toContain('<li>Target the junction of the SAP &amp; transverse process</li>');
    expect(page).toContain('<dd>Scotty dog view; &quot;eye&quot; of the dog</dd>');
  });

  it('holds the case record, the learning points, the video and the key frames, and loads nothing from the network', () => {
    const page = html();
    expect(page).toContain('<dt>Procedure</dt><dd>Medial branch block</dd>');
    expect(page).toContain(`<dt>Contrast first seen</dt><dd>frame ${truth.contrastOnsetFrame} of 30</dd>`);
    expect(page).toMatch(
      /<video controls loop muted playsinline aria-label="Oblique: annotated video" src="data:video\/webm;base64,[A-Za-z0-9+/=]+"><\/video>/,
    );
    expect(page).toContain(`src="data:image/png;base64,${Buffer.from(PNG).toString('base64')}"`);
    expect(page).toContain(`Frame ${truth.needleAtTargetFrame} of 30 — Tip at the target`);
    expect(page).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none';`);
    const references = [...page.matchAll(/\b(?:src|href)="([^"]*)"/g)].map((m) => m[1]);
    expect(references.length).toBeGreaterThan(0);
    expect(references.filter((url) => !url.startsWith('data:'))).toEqual([]);
    expect(page).not.toMatch(/https?:\/\/|url\(/);
  });

  it('links a video too large to embed instead of inlining it', () => {
    const parts = caseHtmlParts({
      title: 't',
      learningPoints: [],
      appVersion: 'x',
      hasQuiz: false,
      runs: [
        {
          label: 'AP',
          frameCount: 2,
          caseRecord: null,
          keyFrames: [],
          video: { format: 'mp4', path: 'media/run-1.mp4', bytes: new Uint8Array(48 * 1024 * 1024 + 1) },
        },
      ],
    });
    expect(parts.join('')).toContain('open <code>media/run-1.mp4</code> from the unpacked folder');
  });

  it('says so when a run has no video, instead of leaving a gap', () => {
    const page = caseHtmlParts({
      title: 't',
      learningPoints: [],
      appVersion: 'x',
      hasQuiz: false,
      runs: [{ label: 'AP', frameCount: 2, caseRecord: null, keyFrames: [], video: null }],
    }).join('');
    expect(page).toContain('No annotated video in this package; see the key frames below.');
    expect(page).not.toContain('<video');
  });
});

describe('manifest', () => {
  it('names what is where, the pseudonyms and the method, and nothing identifying', () => {
    const manifest = written.result.manifest;
    expect(manifest).toMatchObject({ type: 'fluorolens-teaching-case', version: 1, createdBy: 'FluoroLens test' });
    expect(manifest.deidentification.patientName).toBe('TEACHING^CASE');
    expect(manifest.runs[0]).toMatchObject({
      video: { path: 'media/run-1.webm', format: 'webm' },
      keyFrames: [
        { frame: truth.needleAtTargetFrame, path: `media/run-1-frame-00${truth.needleAtTargetFrame}.png`, caption: 'Tip at the target' },
      ],
      pixelsCleaned: false,
    });
    const text = new TextDecoder().decode(unzipPackage(written.zip).find((e) => e.path === MANIFEST_PATH)!.bytes);
    for (const original of [truth.studyInstanceUID, truth.seriesInstanceUID, 'FLUOROLENS', 'FL-SAMPLE-001', '20240319'])
      expect(text).not.toContain(original);
    expect(readFileSync(l3).includes(Buffer.from('FL-SAMPLE-001'))).toBe(true);
  });
});
