/**
 * Small text helpers for the overlay. Every value leaves here as a plain string that the UI renders
 * as text (never markup), so nothing is escaped: escaping would show "&lt;" to the user.
 */

/** One clean line: DICOM padding, NULs and line breaks become single spaces. Missing → ''. */
export function cleanText(value: string | null | undefined): string {
  if (typeof value !== 'string') return '';
  // eslint-disable-next-line no-control-regex -- control characters are exactly what we remove
  const withoutControls = value.replace(/[\u0000-\u001f\u007f]+/g, ' ');
  return withoutControls.replace(/\s+/g, ' ').trim();
}

/**
 * A number with at most `maxDecimals` decimals and no trailing zeros; null when not a finite number.
 * A small non-zero value that would round to 0 keeps two significant digits instead.
 */
export function formatNumber(value: number | null | undefined, maxDecimals: number): string | null {
  if (typeof value !== 'number' || !Number.isFinite(value)) return null;
  const rounded = Number(value.toFixed(maxDecimals));
  if (rounded === 0 && value !== 0) return String(Number(value.toPrecision(2)));
  return String(rounded === 0 ? 0 : rounded);
}

/** Drops missing and empty entries, so a corner never shows "undefined" or a blank line. */
export function presentLines(lines: ReadonlyArray<string | null | undefined>): string[] {
  return lines.filter((line): line is string => typeof line === 'string' && line.trim() !== '');
}

/** Joins the present parts of one line; null when none is present. */
export function joinPresent(parts: ReadonlyArray<string | null | undefined>, separator = ' · '): string | null {
  const present = presentLines(parts);
  return present.length > 0 ? present.join(separator) : null;
}

/** "1 study", "3 studies", "no study": a count with the noun that agrees with it. */
export function countText(count: number, singular: string, plural = `${singular}s`): string {
  if (count === 0) return `no ${singular}`;
  return `${count} ${count === 1 ? singular : plural}`;
}

/** What the viewer says while files are being read: for several, how many of them are read so far. */
export function openingText(filesRead: number, files: number): string {
  return files > 1 ? `Opening… ${filesRead} of ${files} files read` : 'Opening…';
}
