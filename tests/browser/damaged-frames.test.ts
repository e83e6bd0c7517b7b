/**
 * Compressed runs with damaged pixel data (bit flips, overwritten blocks, spliced blocks) never
 * crash or hang the page: no page error, no unhandled rejection, every frame ends decoded or
 * failed. A failed frame shows a placeholder (never another frame's pixels), its reason is a
 * sentence, and the message keeps clear of the overlay. Undamaged frames decode as in the clean copy.
 *
 * The copies are made in a temp folder from a sample run with DCMTK (dcmcrle, dcmcjpeg, dcmcjpls)
 * and GDCM (gdcmconv --j2k), then damaged with a seeded generator: the same bytes on every run.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as DicomParserTypes from 'dicom-parser';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_DIR, SCREENSHOT_DIR, launchApp, type App } from './driver';

const dicomParser = createRequire(import.meta.url)('dicom-parser') as typeof DicomParserTypes;

const SOURCE = join(SAMPLE_DIR, 'l3-mbb-ftv.dcm'); // 30 frames of 256², 8-bit, native
const SEED = 0x8f1d;

const SYNTAXES = [
  { name: 'RLE', make: (src: string, out: string) => execFileSync('dcmcrle', [src, out]) },
  { name: 'JPEG baseline', make: (src: string, out: string) => execFileSync('dcmcjpeg', ['+eb', src, out]) },
  { name: 'JPEG lossless', make: (src: string, out: string) => execFileSync('dcmcjpeg', ['+e1', src, out]) },
  { name: 'JPEG-LS', make: (src: string, out: string) => execFileSync('dcmcjpls', [src, out]) },
  { name: 'JPEG 2000', make: (src: string, out: string) => execFileSync('gdcmconv', ['--j2k', src, out]) },
] as const;

type DamageKind = 'bit flips' | 'overwritten block' | 'spliced block' | 'spliced over an item header';
const DAMAGE_KINDS: DamageKind[] = ['bit flips', 'overwritten block', 'spliced block', 'spliced over an item header'];

/** mulberry32: small, seeded, the same sequence everywhere. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Fragment {
  /** File offset of the item header. */
  header: number;
  /** File offset and length of the payload. */
  position: number;
  length: number;
}

function fragmentsOf(bytes: Uint8Array): Fragment[] {
  const dataSet = dicomParser.parseDicom(bytes);
  const fragments = dataSet.elements.x7fe00010.fragments ?? [];
  return fragments.map((f) => ({ header: f.position - 8, position: f.position, length: f.length }));
}

interface DamagedCopy {
  syntax: string;
  kind: DamageKind;
  path: string;
  /** Frames whose bytes were changed (1-based). */
  damaged: number[];
  /** Whether an item header was hit, so frames after it may not be found without an offset table. */
  structural: boolean;
}

function damage(clean: Uint8Array, kind: DamageKind, random: () => number): { bytes: Uint8Array; damaged: number[]; structural: boolean } {
  const bytes = clean.slice();
  const fragments = fragmentsOf(clean); // one per frame for every syntax made here
  const pick = (from: number, to: number) => from + Math.floor(random() * (to - from + 1));
  const frame = pick(2, fragments.length);
  const target = fragments[frame - 1];
  const inside = (length: number) => target.position + pick(16, Math.max(16, target.length - length - 1));
  if (kind === 'bit flips') {
    for (let i = 0; i < 24; i++) bytes[inside(1)] ^= 1 << pick(0, 7);
    return { bytes, damaged: [frame], structural: false };
  }
  if (kind === 'overwritten block') {
    // Frame 1 too: the first frame on screen must fail as plainly as any other.
    const first = fragments[0];
    for (const [at, length] of [
      [first.position + 16, Math.min(256, first.length - 32)],
      [inside(256), Math.min(256, target.length - 32)],
    ]) {
      for (let i = 0; i < length; i++) bytes[at + i] = pick(0, 255);
    }
    return { bytes, damaged: [1, frame], structural: false };
  }
  if (kind === 'spliced block') {
    const donor = fragments[(frame + 6) % fragments.length];
    const length = Math.min(512, donor.length - 32, target.length - 32);
    bytes.set(clean.subarray(donor.position + 16, donor.position + 16 + length), inside(length));
    return { bytes, damaged: [frame], structural: false };
  }
  // 64 bytes from the middle of another frame written over this frame's item header.
  const donor = fragments[(frame + 3) % fragments.length];
  bytes.set(clean.subarray(donor.position + 100, donor.position + 164), target.header - 24);
  return { bytes, damaged: [frame - 1, frame], structural: true };
}

interface Displayed {
  failed: number[];
  hashes: Array<string | null>;
}

/** Opens one file and waits until every frame is decoded or failed: a hang fails here. */
async function openAndDecode(app: App, path: string): Promise<{ key: string; frames: number; failed: number[] }> {
  const before = new Set((await app.runs()).map((r) => r.key));
  await app.openFiles([path]);
  await expect.poll(async () => (await app.runs()).some((r) => !before.has(r.key)), { timeout: 20_000 }).toBe(true);
  const run = (await app.runs()).find((r) => !before.has(r.key))!;
  await app.waitForMark('fluorolens:run-decoded', run.key, 30_000);
  const failed = (await app.runs()).find((r) => r.key === run.key)!.failed.sort((a, b) => a - b);
  return { key: run.key, frames: run.frames, failed };
}

async function frameHashes(page: Page, key: string, frames: number, skip: number[]): Promise<Displayed['hashes']> {
  return page.evaluate(
    async ({ key, frames, skip }) => {
      const out: Array<string | null> = [];
      for (let f = 1; f <= frames; f++) out.push(skip.includes(f) ? null : (await window.__fluorolens!.decodedFrame(key, f)).hash);
      return out;
    },
    { key, frames, skip },
  );
}

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

const overlaps = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/**
 * On a failed frame: the placeholder hides the image (the pane's pixels, outside the message and
 * the overlay text, are all the placeholder's colour), and the message does not touch the overlay.
 */
async function checkPlaceholder(page: Page, frame: number, screenshot?: string): Promise<string> {
  const pane = page.getByRole('region', { name: 'Viewer 1' });
  const message = pane.getByRole('status', { name: 'Frame failure' });
  await expect.poll(() => message.textContent()).toMatch(new RegExp(`^Frame ${frame} could not be decoded: `));
  const text = (await message.textContent())!;
  const placeholder = pane.getByTestId('frame-placeholder');
  const area = (await placeholder.boundingBox())!;
  const viewportBox = (await pane.getByTestId('viewport').boundingBox())!;
  expect(area, 'the placeholder covers the whole viewport').toEqual(viewportBox);
  const messageBox = (await message.boundingBox())!;
  const corners = await pane.locator('.overlay-corner').evaluateAll((elements) =>
    elements
      .filter((e) => e.textContent)
      .map((e) => {
        const r = e.getBoundingClientRect();
        return { x: r.x, y: r.y, width: r.width, height: r.height };
      }),
  );
  expect(corners.length, 'the overlay is shown').toBeGreaterThan(0);
  for (const corner of corners)
    expect(overlaps(messageBox, corner), `message ${JSON.stringify(messageBox)} over overlay ${JSON.stringify(corner)}`).toBe(false);
  const png = await page.screenshot({ clip: area, ...(screenshot ? { path: screenshot } : {}) });
  const share = await page.evaluate(
    async ({ bytes, exclude, origin }) => {
      const bitmap = await createImageBitmap(new Blob([new Uint8Array(bytes)], { type: 'image/png' }));
      const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
      const context = canvas.getContext('2d')!;
      context.drawImage(bitmap, 0, 0);
      const data = context.getImageData(0, 0, bitmap.width, bitmap.height).data;
      const excluded = (x: number, y: number) =>
        exclude.some(
          (b) =>
            x + origin.x >= b.x - 2 && x + origin.x <= b.x + b.width + 2 && y + origin.y >= b.y - 2 && y + origin.y <= b.y + b.height + 2,
        );
      // The placeholder's colour is the most common one; everything else must be text we excluded.
      const counts = new Map<number, number>();
      let considered = 0;
      for (let y = 0; y < bitmap.height; y++) {
        for (let x = 0; x < bitmap.width; x++) {
          if (excluded(x, y)) continue;
          const at = (y * bitmap.width + x) * 4;
          const key = (data[at] << 16) | (data[at + 1] << 8) | data[at + 2];
          counts.set(key, (counts.get(key) ?? 0) + 1);
          considered++;
        }
      }
      return Math.max(...counts.values()) / considered;
    },
    { bytes: Array.from(png), exclude: [messageBox, ...corners], origin: { x: area.x, y: area.y } },
  );
  expect(share, 'pane pixels that are the placeholder, not an image').toBeGreaterThan(0.995);
  return text;
}

describe('damaged frames of compressed runs', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'fluorolens-damaged-'));
  const copies: DamagedCopy[] = [];
  const cleanCopies = new Map<string, string>();
  let app: App;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    const random = prng(SEED);
    for (const syntax of SYNTAXES) {
      const clean = join(scratch, `${syntax.name.replace(/\W+/g, '-')}.dcm`);
      syntax.make(SOURCE, clean);
      cleanCopies.set(syntax.name, clean);
      const bytes = new Uint8Array(readFileSync(clean));
      for (const kind of DAMAGE_KINDS) {
        const damaged = damage(bytes, kind, random);
        const path = join(scratch, `${syntax.name.replace(/\W+/g, '-')}-${kind.replace(/\W+/g, '-')}.dcm`);
        writeFileSync(path, damaged.bytes);
        copies.push({ syntax: syntax.name, kind, path, damaged: damaged.damaged, structural: damaged.structural });
      }
    }
    app = await launchApp({ samples: false });
    app.page.on('pageerror', (error) => pageErrors.push(String(error)));
    // Unhandled rejections of any value (a codec may reject with a bare number).
    await app.page.addInitScript(() => {
      const record = (what: string) => ((window as unknown as { __pageProblems: string[] }).__pageProblems ??= []).push(what);
      window.addEventListener('unhandledrejection', (event) => record(`unhandled rejection: ${String(event.reason)}`));
      window.addEventListener('error', (event) => record(`error: ${event.message}`));
    });
    await app.page.reload();
  });
  afterAll(async () => app?.close());

  async function pageProblems(): Promise<string[]> {
    const inPage = await app.page.evaluate(() => (window as unknown as { __pageProblems?: string[] }).__pageProblems ?? []);
    return [...pageErrors, ...inPage];
  }

  it.each(SYNTAXES.map((s) => [s.name] as const))(
    '%s: every damaged copy opens, decodes or fails frame by frame, and tells it plainly',
    async (syntax) => {
      const { page } = app;
      const clean = await openAndDecode(app, cleanCopies.get(syntax)!);
      expect(clean.failed, 'the clean copy decodes whole').toEqual([]);
      const cleanHashes = await frameHashes(page, clean.key, clean.frames, []);
      let placeholdersSeen = 0;
      for (const copy of copies.filter((c) => c.syntax === syntax)) {
        const label = `${syntax}, ${copy.kind} in frame(s) ${copy.damaged.join(', ')}`;
        const run = await openAndDecode(app, copy.path);
        expect(await pageProblems(), `${label}: page errors or unhandled rejections`).toEqual([]);
        // Frames that were not touched decode exactly as in the clean copy; with an item header hit and
        // no offset table, the frames after it cannot be located, and only those may fail as well.
        const firstDamaged = Math.min(...copy.damaged);
        const mayFail = (f: number) => copy.damaged.includes(f) || (copy.structural && f > firstDamaged);
        expect(
          run.failed.filter((f) => !mayFail(f)),
          `${label}: undamaged frames that failed`,
        ).toEqual([]);
        const hashes = await frameHashes(page, run.key, run.frames, [...run.failed, ...copy.damaged]);
        hashes.forEach((hash, i) => {
          if (hash !== null && !mayFail(i + 1)) expect(hash, `${label}: frame ${i + 1}`).toBe(cleanHashes[i]);
        });
        if (copy.structural) expect(run.failed.length, `${label}: a broken item header is found`).toBeGreaterThan(0);
        console.log(`${label}: failed frames [${run.failed.join(', ')}]`);
        for (const frame of run.failed.slice(0, 2)) {
          await page.getByRole('slider', { name: 'Frame' }).fill(String(frame));
          const shot = placeholdersSeen === 0 ? join(SCREENSHOT_DIR, `damaged-${syntax.replace(/\W+/g, '-')}.png`) : undefined;
          if (shot) mkdirSync(SCREENSHOT_DIR, { recursive: true });
          const text = await checkPlaceholder(page, frame, shot);
          placeholdersSeen++;
          expect(text, 'the reason is a sentence').toMatch(/: [a-z].*[a-z)]\.$/);
          expect(text, 'no bare codec number').not.toMatch(/:\s*-?\d+\.?$/);
          expect(text).not.toMatch(/Invalid JPEG-LS stream|DicomInputError|undefined/);
        }
        // Back on a good frame: the placeholder goes and the image is there again.
        const good = Array.from({ length: run.frames }, (_, i) => i + 1).find((f) => !run.failed.includes(f));
        if (good !== undefined && run.failed.length > 0) {
          await page.getByRole('slider', { name: 'Frame' }).fill(String(good));
          await expect.poll(() => page.getByTestId('frame-placeholder').count()).toBe(0);
        }
      }
      expect(await pageProblems()).toEqual([]);
    },
  );

  it('JPEG 2000: a frame whose codestream is cut short fails, instead of showing the part OpenJPEG got with the rest black', async () => {
    const { page } = app;
    const clean = new Uint8Array(readFileSync(cleanCopies.get('JPEG 2000')!));
    const fragments = fragmentsOf(clean);
    const last = fragments[fragments.length - 1];
    // The last frame keeps its first 40 % (an even length, as items need), then the sequence ends: no other frame moves.
    const kept = Math.floor((last.length * 0.4) / 2) * 2;
    const cut = new Uint8Array(last.position + kept + 8);
    cut.set(clean.subarray(0, last.position + kept));
    new DataView(cut.buffer).setUint32(last.header + 4, kept, true);
    cut.set([0xfe, 0xff, 0xdd, 0xe0, 0, 0, 0, 0], last.position + kept);
    const path = join(scratch, 'JPEG-2000-last-frame-cut.dcm');
    writeFileSync(path, cut);

    const run = await openAndDecode(app, path);
    expect(run.failed).toEqual([fragments.length]);
    expect(await pageProblems()).toEqual([]);
    await page.getByRole('slider', { name: 'Frame' }).fill(String(fragments.length));
    const text = await checkPlaceholder(page, fragments.length, join(SCREENSHOT_DIR, 'damaged-JPEG-2000-cut.png'));
    expect(text).toBe(`Frame ${fragments.length} could not be decoded: the JPEG 2000 data of this frame is damaged.`);
  });
});
