/**
 * case.html: the teaching case as one page that opens offline in any browser. Styles are inline,
 * key frames (and the video, up to INLINE_VIDEO_LIMIT) are data: URLs, and a Content Security
 * Policy forbids the page from loading anything over the network. Every piece of text is escaped.
 */
import {
  APPROACH_NAMES,
  CONTRAST_PATTERN_NAMES,
  PROCEDURE_NAMES,
  SIDE_NAMES,
  vascularFlagText,
  type CaseRecord,
  type LeadTip,
  type VascularFlag,
} from '../../annotations/model';
import { VIDEO_MIME, type VideoFormat } from './manifest';

/** Larger videos are linked (relative path in the unpacked folder) instead of inlined. */
export const INLINE_VIDEO_LIMIT = 48 * 1024 * 1024;

export interface CaseHtmlRun {
  readonly label: string;
  readonly frameCount: number;
  readonly caseRecord: CaseRecord | null;
  /** Frame ranges flagged as vascular uptake and stimulator lead tips (absent: none). */
  readonly vascularFlags?: readonly VascularFlag[];
  readonly leadTips?: readonly LeadTip[];
  readonly video: { readonly format: VideoFormat; readonly bytes: Uint8Array; readonly path: string } | null;
  readonly keyFrames: readonly { readonly frame: number; readonly caption: string; readonly png: Uint8Array }[];
}

export interface CaseHtmlInput {
  readonly title: string;
  readonly learningPoints: readonly string[];
  readonly runs: readonly CaseHtmlRun[];
  readonly appVersion: string;
  readonly hasQuiz: boolean;
}

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ESCAPES[ch]);
}

/** Base64 through btoa (browsers and Node), a chunk at a time so no argument list or string gets huge. */
export function base64(bytes: Uint8Array): string {
  const parts: string[] = [];
  const STEP = 3 * 8192; // a multiple of 3: the chunks' encodings join without padding in between
  for (let start = 0; start < bytes.length; start += STEP) {
    parts.push(btoa(String.fromCharCode(...bytes.subarray(start, Math.min(bytes.length, start + STEP)))));
  }
  return parts.join('');
}

const STYLE = `
:root { color-scheme: light dark; --fg: #1b1f24; --bg: #fbfbfc; --muted: #5b6470; --rule: #d7dbe0; }
@media (prefers-color-scheme: dark) { :root { --fg: #e8eaed; --bg: #15181c; --muted: #a3acb7; --rule: #2e343b; } }
body { margin: 0 auto; max-width: 64rem; padding: 1.5rem; font: 16px/1.5 system-ui, sans-serif; color: var(--fg); background: var(--bg); }
h1 { font-size: 1.8rem; margin: 0 0 .25rem; } h2 { font-size: 1.3rem; margin: 2rem 0 .5rem; border-bottom: 1px solid var(--rule); }
.note { color: var(--muted); font-size: .9rem; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; } dt { color: var(--muted); } dd { margin: 0; white-space: pre-wrap; }
/* At the run's own size a 256² video was a thumbnail: each video is shown up to 40rem wide. */
video, .run-media img { display: block; width: min(100%, 40rem); height: auto; background: #000; margin: .75rem 0; }
.frames { display: grid; grid-template-columns: repeat(auto-fill, minmax(14rem, 1fr)); gap: 1rem; }
figure { margin: 0; } figure img { width: 100%; background: #000; } figcaption { font-size: .9rem; color: var(--muted); }
`;

const CSP = "default-src 'none'; img-src data:; media-src data: 'self'; style-src 'unsafe-inline'";

function caseRecordHtml(
  record: CaseRecord | null,
  frameCount: number,
  flags: readonly VascularFlag[] = [],
  leads: readonly LeadTip[] = [],
): string {
  if (!record) return '<p class="note">No case record.</p>';
  const rows: [string, string][] = [];
  const add = (name: string, value: string | null): void => {
    if (value) rows.push([name, value]);
  };
  add('Procedure', record.procedure ? PROCEDURE_NAMES[record.procedure] : null);
  add('Levels', record.levels.length > 0 ? record.levels.join(', ') : null);
  add('Side', record.side ? SIDE_NAMES[record.side] : null);
  add('Approach', record.approach ? APPROACH_NAMES[record.approach] : null);
  add(
    'Contrast pattern',
    record.contrastPatterns.length > 0 ? record.contrastPatterns.map((p) => CONTRAST_PATTERN_NAMES[p]).join(', ') : null,
  );
  add('Contrast first seen', record.contrastFirstSeenFrame === null ? null : `frame ${record.contrastFirstSeenFrame} of ${frameCount}`);
  add(
    'Placement confirmed before medication',
    record.placementConfirmedBeforeMedication === null ? null : record.placementConfirmedBeforeMedication ? 'Yes' : 'No',
  );
  add('Notes', record.notes.trim() || null);
  const sentence = (text: string) => text[0].toUpperCase() + text.slice(1);
  for (const flag of flags)
    add('Vascular uptake flag', sentence(vascularFlagText(flag)) + (flag.note.trim() ? ` (${flag.note.trim()})` : ''));
  for (const lead of leads) add('Lead tip', `${lead.label}: ${lead.level}, frame ${lead.frame}`);
  for (const entry of record.injectates) {
    const when = [entry.frame === null ? null : `frame ${entry.frame}`, entry.time].filter(Boolean).join(', ');
    add(
      'Injectate',
      [entry.agent, entry.volumeMl === null ? null : `${entry.volumeMl} mL`, when || null, entry.note.trim() || null]
        .filter(Boolean)
        .join(' · '),
    );
  }
  if (rows.length === 0) return '<p class="note">The case record is empty.</p>';
  return `<dl>${rows.map(([name, value]) => `<dt>${escapeHtml(name)}</dt><dd>${escapeHtml(value)}</dd>`).join('')}</dl>`;
}

function videoHtml(run: CaseHtmlRun): string {
  // Said plainly, so nobody looks for a video that was never made.
  if (!run.video) return '<p class="note">No annotated video in this package; see the key frames below.</p>';
  const { format, bytes, path } = run.video;
  const label = escapeHtml(`${run.label}: annotated video`);
  if (bytes.length > INLINE_VIDEO_LIMIT) {
    return `<p class="note">The video is too large to embed: open <code>${escapeHtml(path)}</code> from the unpacked folder.</p>`;
  }
  const src = `data:${VIDEO_MIME[format]};base64,${base64(bytes)}`;
  if (format === 'gif') return `<div class="run-media"><img src="${src}" alt="${label}"></div>`;
  return `<video controls loop muted playsinline aria-label="${label}" src="${src}"></video>`;
}

function keyFramesHtml(run: CaseHtmlRun): string {
  if (run.keyFrames.length === 0) return '';
  const figures = run.keyFrames.map((key) => {
    const caption = `Frame ${key.frame} of ${run.frameCount}${key.caption.trim() ? ` — ${key.caption.trim()}` : ''}`;
    return `<figure><img src="data:image/png;base64,${base64(key.png)}" alt="${escapeHtml(caption)}"><figcaption>${escapeHtml(caption)}</figcaption></figure>`;
  });
  return `<h3>Key frames</h3><div class="frames">${figures.join('')}</div>`;
}

/** The page, as parts to be written one after another (large data: URLs stay separate strings). */
export function caseHtmlParts(input: CaseHtmlInput): string[] {
  const parts: string[] = [];
  parts.push(
    '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${CSP}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(input.title)}</title><style>${STYLE}</style></head><body>`,
    `<header><h1>${escapeHtml(input.title)}</h1>`,
    `<p class="note">De-identified teaching case made with FluoroLens ${escapeHtml(input.appVersion)}. Names and identifiers are replaced and dates are shifted.`,
    input.hasQuiz ? ' The answers to the quiz are shown on this page; open the package in FluoroLens to take the quiz.' : '',
    '</p></header>',
  );
  const points = input.learningPoints.map((p) => p.trim()).filter((p) => p !== '');
  if (points.length > 0)
    parts.push(`<section><h2>Learning points</h2><ol>${points.map((p) => `<li>${escapeHtml(p)}</li>`).join('')}</ol></section>`);
  input.runs.forEach((run, index) => {
    const heading = `Run ${index + 1}${run.label.trim() ? `: ${run.label.trim()}` : ''}`;
    parts.push(
      `<section><h2>${escapeHtml(heading)}</h2><p class="note">${run.frameCount === 1 ? '1 frame' : `${run.frameCount} frames`}</p>`,
    );
    parts.push(caseRecordHtml(run.caseRecord, run.frameCount, run.vascularFlags, run.leadTips));
    parts.push(videoHtml(run));
    parts.push(keyFramesHtml(run));
    parts.push('</section>');
  });
  parts.push('<footer><p class="note">Open the .zip in FluoroLens to review the runs with their annotations.</p></footer></body></html>\n');
  return parts.filter((part) => part !== '');
}
