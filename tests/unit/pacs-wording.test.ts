/**
 * Wording of the PACS panel (src/format/pacs.ts) and what a series without images is called
 * (io/dicomweb/thumbnail.ts nonImageSeriesKind): the study list counts studies, a study's series
 * are counted by what they hold, a dose report is named as one and not offered as a run.
 */
import { describe, expect, it } from 'vitest';
import { seriesCountText, studyCountText } from '../../src/format/pacs';
import { countText } from '../../src/format/text';
import { nonImageSeriesKind, prefetchBatchSize, type InstanceSummary, type SeriesSummary } from '../../src/io/dicomweb';

const DOSE_SR = '1.2.840.10008.5.1.4.1.1.88.67';
const COMPREHENSIVE_SR = '1.2.840.10008.5.1.4.1.1.88.33';
const XA = '1.2.840.10008.5.1.4.1.1.12.1';

function instance(sopClassUID: string, image: boolean, n = 1): InstanceSummary {
  return {
    studyInstanceUID: '1.2',
    seriesInstanceUID: `1.2.${n}`,
    sopInstanceUID: `1.2.${n}.1`,
    sopClassUID,
    instanceNumber: 1,
    numberOfFrames: image ? 60 : null,
    rows: image ? 512 : null,
    columns: image ? 512 : null,
  };
}

function series(instances: InstanceSummary[]): SeriesSummary {
  return {
    studyInstanceUID: '1.2',
    seriesInstanceUID: '1.2.9',
    modality: 'SR',
    seriesNumber: 999,
    description: '',
    instanceCount: instances.length,
    frameCount: 0,
    instances,
  };
}

describe('PACS wording', () => {
  it('counts with the noun that agrees', () => {
    expect(countText(1, 'study', 'studies')).toBe('1 study');
    expect(countText(3, 'study', 'studies')).toBe('3 studies');
    expect(countText(2, 'frame')).toBe('2 frames');
    expect(countText(0, 'frame')).toBe('no frame');
  });

  it('the study list heading counts studies', () => {
    expect(studyCountText(3)).toBe('3 studies');
    expect(studyCountText(1)).toBe('1 study');
    expect(studyCountText(0)).toBe('No study');
  });

  it('a study’s series are counted by what they hold', () => {
    expect(seriesCountText([{ nonImage: null }, { nonImage: null }, { nonImage: 'Radiation dose report' }])).toBe(
      '3 series in this study: 2 image series, 1 radiation dose report',
    );
    expect(seriesCountText([{ nonImage: null }])).toBe('1 series in this study: 1 image series');
    expect(seriesCountText([{ nonImage: 'No images' }, { nonImage: 'No images' }])).toBe('2 series in this study: 2 series without images');
    expect(seriesCountText([])).toBe('No series in this study');
  });

  it('names a series without images by what it holds; a series with images is a run', () => {
    expect(nonImageSeriesKind(series([instance(DOSE_SR, false)]))).toBe('Radiation dose report');
    expect(nonImageSeriesKind(series([instance(COMPREHENSIVE_SR, false)]))).toBe('Comprehensive Structured Report');
    expect(nonImageSeriesKind(series([]))).toBe('No images');
    expect(nonImageSeriesKind(series([instance(XA, true)]))).toBeNull();
  });
});

describe('prefetch batches', () => {
  it('split the frames after frame 1 evenly over the requests in flight, 8 to 128 frames each', () => {
    expect(prefetchBatchSize(120, 3)).toBe(40);
    expect(prefetchBatchSize(96, 3)).toBe(32);
    expect(prefetchBatchSize(12, 3)).toBe(8);
    expect(prefetchBatchSize(1000, 3)).toBe(128);
    expect(prefetchBatchSize(30)).toBe(10);
  });
});
