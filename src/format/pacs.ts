/**
 * Wording of the PACS panel: counts that agree with what they count (the study list counts
 * studies; a study's series are counted by what they hold).
 */
import { countText } from './text';

/** The study list's heading: "1 study", "3 studies", "No study". */
export function studyCountText(count: number): string {
  return count === 0 ? 'No study' : countText(count, 'study', 'studies');
}

/**
 * A study's series, counted by what they hold: "3 series in this study: 2 image series, 1 radiation
 * dose report". `nonImage` is what a series without images holds (null for one that opens as a run).
 */
export function seriesCountText(series: ReadonlyArray<{ nonImage: string | null }>): string {
  if (series.length === 0) return 'No series in this study';
  const images = series.filter((s) => s.nonImage === null).length;
  const others = new Map<string, number>();
  for (const s of series) if (s.nonImage !== null) others.set(s.nonImage, (others.get(s.nonImage) ?? 0) + 1);
  const parts = [
    ...(images ? [countText(images, 'image series', 'image series')] : []),
    ...[...others].map(([kind, count]) =>
      kind === 'No images'
        ? countText(count, 'series without images', 'series without images')
        : countText(count, kind.toLowerCase(), `${kind.toLowerCase()}s`),
    ),
  ];
  return `${countText(series.length, 'series', 'series')} in this study: ${parts.join(', ')}`;
}
