/**
 * The identifying values of a case, gathered from its source headers, so that text which is about
 * to leave (educator-approved descriptors, pseudonyms, titles, learning points, captions, notes,
 * and the finished headers themselves) can be checked against them. A safety net under the table:
 * the table says which attributes to clean, this catches the same values turning up elsewhere
 * (a name typed into a caption, a patient ID in a series description).
 *
 * Tokens: each part of every person name anywhere in the header (2+ letters, matched as a whole
 * word); the whole value of every other text attribute the table removes or replaces (IDs,
 * institution, addresses, stations; 3+ characters, whole words); every date the table lists (in
 * the usual written forms); every original instance UID. Descriptors the educator may approve
 * (Clean Descriptors) are not tokens themselves, or no description could ever be kept as it was.
 *
 * Matches are reported by where the token came from ("Patient's Name (0010,0010)"), never by the
 * value, so a message can be shown or logged without leaking it.
 */
import type { DcmDataset } from './dcmjsLib';
import { FREE_TEXT_VRS, forEachElement, formatTag, textValues } from './elements';
import { profileRowFor } from './profile';
import { isStandardUid } from './uids';

export interface IdentityToken {
  /** Lower case, inner white space collapsed. */
  readonly text: string;
  /** The attribute it came from, e.g. "Patient's Name (0010,0010)". */
  readonly source: string;
}

const normalize = (text: string): string => text.toLowerCase().replace(/\s+/g, ' ').trim();
const MIN_NAME_PART = 2;
const MIN_VALUE = 3;
/** Tokens searched for inside binary data (video, PNG): short ones would match by chance. */
const MIN_BINARY_TOKEN = 6;

function sourceName(tag: string): string {
  const row = profileRowFor(tag);
  // Pattern rows (curves, overlays, private) have no single name worth showing.
  return row && /^[0-9A-F]{8}$/.test(row.tag) ? `${row.name} ${formatTag(tag)}` : `attribute ${formatTag(tag)}`;
}

/** The written forms of a DA value a person might type. */
function dateForms(da: string): string[] {
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(da.trim());
  if (!m) return [];
  const [, y, mo, d] = m;
  return [
    `${y}${mo}${d}`,
    `${y}-${mo}-${d}`,
    `${y}.${mo}.${d}`,
    `${y}/${mo}/${d}`,
    `${d}.${mo}.${y}`,
    `${d}/${mo}/${y}`,
    `${mo}/${d}/${y}`,
  ];
}

export class IdentityIndex {
  private readonly tokens = new Map<string, IdentityToken & { pattern: RegExp }>();

  get size(): number {
    return this.tokens.size;
  }

  all(): IdentityToken[] {
    return [...this.tokens.values()].map(({ text, source }) => ({ text, source }));
  }

  add(text: string, source: string, minLength = MIN_VALUE): void {
    const normalized = normalize(text);
    if (normalized.length < minLength || /^[\d.\s-]{1,4}$/.test(normalized) || this.tokens.has(normalized)) return;
    this.tokens.set(normalized, { text: normalized, source, pattern: wordPattern(normalized) });
  }

  /** Gathers the tokens of one source header (see the file comment for which). */
  addDataset(dataset: DcmDataset): void {
    forEachElement(dataset, (tag, element) => {
      const row = profileRowFor(tag);
      const values = textValues(element);
      if (element.vr === 'PN') {
        for (const value of values) {
          this.add(value.replace(/[\^=]/g, ' '), sourceName(tag), MIN_VALUE);
          for (const part of value.split(/[\^=\s,]+/)) this.add(part, sourceName(tag), MIN_NAME_PART);
        }
        return;
      }
      if (!row || row.basic === 'K' || row.basic === 'C') return;
      if (element.vr === 'UI') {
        for (const value of values) if (!isStandardUid(value.trim())) this.add(value, sourceName(tag));
      } else if (element.vr === 'DA' || element.vr === 'DT') {
        for (const value of values) for (const form of dateForms(value.slice(0, 8))) this.add(form, sourceName(tag));
      } else if (FREE_TEXT_VRS.has(element.vr) && !row.cleanDescriptor) {
        for (const value of values) this.add(value, sourceName(tag));
      }
    });
  }

  /** Sources of the tokens found in a text, as whole words; empty when it is clean. */
  findInText(text: string): string[] {
    const found = new Set<string>();
    for (const token of this.tokens.values()) if (token.pattern.test(text)) found.add(token.source);
    return [...found];
  }

  /** The text with every token found in it replaced by "***", and where the tokens came from. */
  redact(text: string): { text: string; sources: string[] } {
    const found = new Set<string>();
    let out = text;
    // Longest first, so a full name goes before its parts.
    for (const token of [...this.tokens.values()].sort((a, b) => b.text.length - a.text.length)) {
      if (!token.pattern.test(out)) continue;
      found.add(token.source);
      out = out.replace(new RegExp(token.pattern.source, 'giu'), REDACTED);
    }
    return { text: out, sources: [...found] };
  }

  /** Sources of the tokens found in bytes (read as Latin-1), for tokens long enough not to match by chance. */
  findInBytes(bytes: Uint8Array): string[] {
    const found = new Set<string>();
    const long = [...this.tokens.values()].filter((token) => token.text.length >= MIN_BINARY_TOKEN);
    if (long.length === 0) return [];
    const CHUNK = 1 << 20;
    const overlap = Math.max(...long.map((token) => token.text.length));
    for (let start = 0; start < bytes.length; start += CHUNK) {
      const piece = latin1(bytes.subarray(start, Math.min(bytes.length, start + CHUNK + overlap))).toLowerCase();
      for (const token of long) if (piece.includes(token.text)) found.add(token.source);
    }
    return [...found];
  }
}

export const REDACTED = '***';

/** A case-insensitive pattern for a token as a whole word: not preceded or followed by a letter or digit where it starts or ends with one. */
function wordPattern(token: string): RegExp {
  const body = token
    .split(' ')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'))
    .join('\\s+');
  const before = /^[\p{L}\p{N}]/u.test(token) ? '(?<![\\p{L}\\p{N}])' : '';
  const after = /[\p{L}\p{N}]$/u.test(token) ? '(?![\\p{L}\\p{N}])' : '';
  return new RegExp(`${before}${body}${after}`, 'iu');
}

function latin1(bytes: Uint8Array): string {
  let text = '';
  const STEP = 8192;
  for (let i = 0; i < bytes.length; i += STEP) text += String.fromCharCode(...bytes.subarray(i, i + STEP));
  return text;
}
