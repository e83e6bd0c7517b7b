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

/** Transfer syntaxes whose pixel data went through lossy compression. */
const LOSSY_TRANSFER_SYNTAXES = new Set<string>([
  TS.jpegBaseline,
  TS.jpegExtended,
  TS.jpegLsNearLossless,
  TS.jpeg2000,
  '1.2.840.10008.1.2.4.92', // JPEG 2000 Part 2 multi-component (lossy allowed)
  '1.2.840.10008.1.2.4.100', // MPEG2
  '1.2.840.10008.1.2.4.101',
  '1.2.840.10008.1.2.4.102', // MPEG-4 AVC/H.264
  '1.2.840.10008.1.2.4.103',
  '1.2.840.10008.1.2.4.104',
  '1.2.840.10008.1.2.4.105',
  '1.2.840.10008.1.2.4.106',
  '1.2.840.10008.1.2.4.107', // HEVC
  '1.2.840.10008.1.2.4.108',
  '1.2.840.10008.1.2.4.203', // HTJ2K (lossy)
]);

export function isLossyTransferSyntax(uid: string): boolean {
  return LOSSY_TRANSFER_SYNTAXES.has(uid);
}

/** Transfer syntaxes whose data set is implicit VR (everything else we accept is explicit VR). */
export function isImplicitVrTransferSyntax(uid: string): boolean {
  return uid === TS.implicitLittle;
}

export const MEDIA_STORAGE_DIRECTORY = '1.2.840.10008.1.3.10';
