/** Transfer syntaxes and SOP classes the DICOM layer needs to recognise by UID. */

export const TS = {
  implicitLittle: '1.2.840.10008.1.2',
  explicitLittle: '1.2.840.10008.1.2.1',
  deflatedExplicitLittle: '1.2.840.10008.1.2.1.99',
  explicitBig: '1.2.840.10008.1.2.2',
  jpegBaseline: '1.2.840.10008.1.2.4.50',
  jpegExtended: '1.2.840.10008.1.2.4.51',
  jpegLossless: '1.2.840.10008.1.2.4.57',
  jpegLosslessSV1: '1.2.840.10008.1.2.4.70',
  jpegLsLossless: '1.2.840.10008.1.2.4.80',
  jpegLsNearLossless: '1.2.840.10008.1.2.4.81',
  jpeg2000Lossless: '1.2.840.10008.1.2.4.90',
  jpeg2000: '1.2.840.10008.1.2.4.91',
  rle: '1.2.840.10008.1.2.5',
} as const;

/**
 * Transfer syntaxes whose pixel data went through lossy compression, with the Lossy Image
 * Compression Method (0028,2114) defined term each stands for (PS3.3 C.7.6.1.1.5.1).
 */
const LOSSY_TRANSFER_SYNTAXES = new Map<string, string>([
  [TS.jpegBaseline, 'ISO_10918_1'],
  [TS.jpegExtended, 'ISO_10918_1'],
  [TS.jpegLsNearLossless, 'ISO_14495_1'],
  [TS.jpeg2000, 'ISO_15444_1'],
  ['1.2.840.10008.1.2.4.92', 'ISO_15444_1'], // JPEG 2000 Part 2 multi-component (lossy allowed)
  ['1.2.840.10008.1.2.4.100', 'ISO_13818_2'], // MPEG2
  ['1.2.840.10008.1.2.4.101', 'ISO_13818_2'],
  ['1.2.840.10008.1.2.4.102', 'ISO_14496_10'], // MPEG-4 AVC/H.264
  ['1.2.840.10008.1.2.4.103', 'ISO_14496_10'],
  ['1.2.840.10008.1.2.4.104', 'ISO_14496_10'],
  ['1.2.840.10008.1.2.4.105', 'ISO_14496_10'],
  ['1.2.840.10008.1.2.4.106', 'ISO_14496_10'],
  ['1.2.840.10008.1.2.4.107', 'ISO_23008_2'], // HEVC
  ['1.2.840.10008.1.2.4.108', 'ISO_23008_2'],
  ['1.2.840.10008.1.2.4.203', 'ISO_15444_15'], // HTJ2K (lossy)
]);

export function isLossyTransferSyntax(uid: string): boolean {
  return LOSSY_TRANSFER_SYNTAXES.has(uid);
}

/** The Lossy Image Compression Method of a lossy transfer syntax (ISO_10918_1 for JPEG), else null. */
export function lossyMethodOfTransferSyntax(uid: string): string | null {
  return LOSSY_TRANSFER_SYNTAXES.get(uid) ?? null;
}

/** Transfer syntaxes whose data set is implicit VR (everything else we accept is explicit VR). */
export function isImplicitVrTransferSyntax(uid: string): boolean {
  return uid === TS.implicitLittle;
}

export const MEDIA_STORAGE_DIRECTORY = '1.2.840.10008.1.3.10';
