/** Pure parts of the DICOMweb client: request plans, query encoding, thumbnail choice, STOW answers. */
import { describe, expect, it } from 'vitest';
import { DicomWebClient, dateRange, parseStowResponse, planFrameRequests, thumbnailFrame, type SeriesSummary } from '../../src/io/dicomweb';

const instance = (sop: string, frameCount: number) => ({ studyInstanceUID: 's', seriesInstanceUID: 'se', sopInstanceUID: sop, frameCount });

describe('planFrameRequests', () => {
  it('asks for frame 1 alone, then consecutive batches', () => {
    expect(planFrameRequests([instance('a', 20)], 8).map((r) => r.frames)).toEqual([
      [1],
      [2, 3, 4, 5, 6, 7, 8, 9],
      [10, 11, 12, 13, 14, 15, 16, 17],
      [18, 19, 20],
    ]);
  });

  it('numbers run frames across instances and never mixes instances in one request', () => {
    const plan = planFrameRequests([instance('a', 1), instance('b', 1), instance('c', 3)], 8);
    expect(plan).toEqual([
      { instance: 0, frames: [1], firstRunFrame: 1 },
      { instance: 1, frames: [1], firstRunFrame: 2 },
      { instance: 2, frames: [1, 2, 3], firstRunFrame: 3 },
    ]);
  });

  it('leaves out frames already in hand', () => {
    expect(planFrameRequests([instance('a', 6)], 2, new Set([1, 4])).map((r) => [r.firstRunFrame, r.frames])).toEqual([
      [2, [2, 3]],
      [5, [5, 6]],
    ]);
  });
});

describe('DicomWebClient.url', () => {
  it('keeps commas and wildcards, encodes spaces as %20, repeats list parameters', () => {
    const c = new DicomWebClient({ baseUrl: '/dicom-web/' });
    expect(
      c.url('/studies', {
        ModalitiesInStudy: 'XA,RF',
        PatientName: 'o brien*',
        includefield: ['00081030', '00080061'],
        limit: 5,
        x: undefined,
      }),
    ).toBe('/dicom-web/studies?ModalitiesInStudy=XA,RF&PatientName=o%20brien*&includefield=00081030&includefield=00080061&limit=5');
  });

  it('rebases URLs the server gave onto our base (through the proxy)', () => {
    const c = new DicomWebClient({ baseUrl: '/dicom-web' });
    expect(c.rebase('http://127.0.0.1:8042/dicom-web/studies/1/series/2/instances/3/bulk/00283006')).toBe(
      '/dicom-web/studies/1/series/2/instances/3/bulk/00283006',
    );
  });

  it('names the server without credentials or study paths', () => {
    expect(new DicomWebClient({ baseUrl: 'https://user:pw@pacs.example.org/dicom-web' }).serverLabel).toBe(
      'the PACS at https://pacs.example.org/dicom-web',
    );
    expect(new DicomWebClient({ baseUrl: '/dicom-web' }).serverLabel).toBe('the PACS at /dicom-web');
  });
});

describe('dateRange', () => {
  it('accepts open ends and both date spellings', () => {
    expect(dateRange('2024-03-01', '2024-03-31')).toBe('20240301-20240331');
    expect(dateRange('20240301', undefined)).toBe('20240301-');
    expect(dateRange('', '2024-03-31')).toBe('-20240331');
    expect(dateRange('2024-03-01', '2024-03-01')).toBe('20240301');
    expect(dateRange(undefined, '')).toBeUndefined();
    expect(() => dateRange('March', undefined)).toThrow(/"March" is not a date/);
  });
});

describe('thumbnailFrame', () => {
  const series = (instances: SeriesSummary['instances']): SeriesSummary => ({
    studyInstanceUID: 's',
    seriesInstanceUID: 'se',
    modality: 'XA',
    seriesNumber: 1,
    description: '',
    instanceCount: instances.length,
    frameCount: null,
    instances,
  });
  const inst = (sop: string, numberOfFrames: number | null, rows: number | null = 512) => ({
    studyInstanceUID: 's',
    seriesInstanceUID: 'se',
    sopInstanceUID: sop,
    sopClassUID: '',
    instanceNumber: null,
    numberOfFrames,
    rows,
    columns: rows,
  });
  it('takes the middle frame of a cine, the middle image of spot images, nothing of a report', () => {
    expect(thumbnailFrame(series([inst('a', 61)]))).toMatchObject({ sopInstanceUID: 'a', frameNumber: 31 });
    expect(thumbnailFrame(series([inst('a', null), inst('b', null), inst('c', null)]))).toMatchObject({
      sopInstanceUID: 'b',
      frameNumber: 1,
    });
    expect(thumbnailFrame(series([inst('sr', null, null)]))).toBeNull();
  });
});

describe('parseStowResponse', () => {
  it('reads stored and failed instances with reasons for people', () => {
    const answer = {
      '00081199': {
        vr: 'SQ',
        Value: [
          {
            '00081150': { vr: 'UI', Value: ['1.2'] },
            '00081155': { vr: 'UI', Value: ['1.2.3'] },
            '00081190': { vr: 'UR', Value: ['http://x/studies/1'] },
          },
        ],
      },
      '00081198': {
        vr: 'SQ',
        Value: [
          {
            '00081150': { vr: 'UI', Value: ['1.2'] },
            '00081155': { vr: 'UI', Value: ['1.2.4'] },
            '00081197': { vr: 'US', Value: [0xa700] },
          },
        ],
      },
    };
    expect(parseStowResponse(answer)).toEqual({
      stored: [{ sopClassUID: '1.2', sopInstanceUID: '1.2.3', retrieveUrl: 'http://x/studies/1' }],
      failed: [{ sopClassUID: '1.2', sopInstanceUID: '1.2.4', failureReason: 0xa700, reason: 'the PACS is out of resources (0xA700)' }],
    });
  });
});
