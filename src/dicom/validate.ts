import type { DataSet } from 'dicom-parser';
import { DicomInputError } from './types';
import type { ParsedHeader } from './types';
import { decimal, text, texts, uint16 } from './values';

/**
 * Checks the declared image geometry before anything is allocated or decoded, so a header that
 * lies (65535×65535 pixels in a 910-byte file) is refused with a reason instead of a crash.
 */

/** What one frame looks like once decoded, from the Image Pixel module. */
export interface PixelGeometry {
  rows: number;
  columns: number;
  samplesPerPixel: number;
  bitsAllocated: number;
  frameCount: number;
  /** Bytes of one decoded frame: rows × columns × samples × bitsAllocated/8. */
  frameBytes: number;
}

/** Above this a single decoded frame cannot be held by a browser tab with any margin. */
export const MAX_DECODED_FRAME_BYTES = 1024 * 1024 * 1024;
/** More frames than any cine run; a larger number is a damaged header, not a long run. */
export const MAX_FRAMES = 100_000;

/**
 * Reads and checks the geometry; throws DicomInputError naming the attribute when it is missing,
 * zero or absurd, or when the pixel data cannot hold what the header declares.
 *
 * Native pixel data: refused when the element itself declares fewer bytes than the geometry
 * needs, or when the file ends before one whole frame. A file that ends after some whole frames
 * passes: indexFrames marks the missing ones, so a cut-short cine still plays what it has.
 */
export function validatePixelGeometry(header: ParsedHeader): PixelGeometry {
  // The bytes the header was read from (a deflated file's inflated copy), whose offsets it gives.
  const fileSize = header.source.size;
  const geometry = readPixelGeometry(header);
  const pixelData = header.pixelData;
  const name = header.source.name;
  if (!pixelData) throw new DicomInputError(name, 'the file has no Pixel Data (7FE0,0010)');
  const available = Math.max(0, fileSize - pixelData.valueOffset);
  if (pixelData.encapsulated) {
    checkDecodedFrameSize(name, geometry);
    // Every frame needs at least one 8-byte item header.
    if (geometry.frameCount * 8 > available) {
      throw new DicomInputError(
        name,
        `declares ${geometry.frameCount} frames but its ${formatBytes(available)} of compressed pixel data cannot hold that many`,
      );
    }
    return geometry;
  }
  const declared = geometry.frameBytes * geometry.frameCount;
  const held = Math.min(pixelData.length, available);
  if (pixelData.length < declared || held < geometry.frameBytes) {
    throw new DicomInputError(name, `${describeDeclaredPixels(geometry)} but the file holds ${formatBytes(held)} of pixel data`);
  }
  checkDecodedFrameSize(name, geometry);
  return geometry;
}

/** Reads the Image Pixel attributes, throwing on values that cannot describe an image. */
export function readPixelGeometry(header: ParsedHeader): PixelGeometry {
  const { dataSet } = header;
  const name = header.source.name;
  const rows = requirePositive(name, uint16(dataSet, 'x00280010'), 'Rows (0028,0010)');
  const columns = requirePositive(name, uint16(dataSet, 'x00280011'), 'Columns (0028,0011)');
  const bitsAllocated = requireBitsAllocated(name, uint16(dataSet, 'x00280100'));
  const samplesPerPixel = requireSamplesPerPixel(name, dataSet);
  const frameCount = readFrameCount(name, dataSet);
  return { rows, columns, samplesPerPixel, bitsAllocated, frameCount, frameBytes: rows * columns * samplesPerPixel * (bitsAllocated / 8) };
}

function requirePositive(name: string, value: number | undefined, label: string): number {
  if (value === undefined) throw new DicomInputError(name, `${label} is missing`);
  if (value <= 0) throw new DicomInputError(name, `${label} is ${value}`);
  return value;
}

function requireBitsAllocated(name: string, value: number | undefined): number {
  const bits = requirePositive(name, value, 'Bits Allocated (0028,0100)');
  if (bits === 1) throw new DicomInputError(name, '1-bit pixel data is not supported');
  if (bits !== 8 && bits !== 16 && bits !== 32) {
    throw new DicomInputError(name, `Bits Allocated (0028,0100) is ${bits}; expected 8, 16 or 32`);
  }
  return bits;
}

/**
 * Samples per Pixel is required, but ACR-NEMA-era files sometimes omit it; for a monochrome
 * image there is only one possible answer, so we take it rather than refuse the file.
 */
function requireSamplesPerPixel(name: string, dataSet: DataSet): number {
  const value = uint16(dataSet, 'x00280002');
  if (value === undefined) {
    if (text(dataSet, 'x00280004').startsWith('MONOCHROME')) return 1;
    throw new DicomInputError(name, 'Samples per Pixel (0028,0002) is missing');
  }
  if (value !== 1 && value !== 3) throw new DicomInputError(name, `Samples per Pixel (0028,0002) is ${value}; expected 1 or 3`);
  return value;
}

/** Number of Frames (0028,0008); absent means a single frame. */
function readFrameCount(name: string, dataSet: DataSet): number {
  if (texts(dataSet, 'x00280008').length === 0) return 1;
  const value = decimal(dataSet, 'x00280008');
  const label = 'Number of Frames (0028,0008)';
  if (value === undefined) throw new DicomInputError(name, `${label} is not a number ("${text(dataSet, 'x00280008')}")`);
  if (!Number.isInteger(value) || value <= 0) throw new DicomInputError(name, `${label} is ${value}`);
  if (value > MAX_FRAMES) throw new DicomInputError(name, `${label} is ${value}, more than the ${MAX_FRAMES} a run can have`);
  return value;
}

function checkDecodedFrameSize(name: string, geometry: PixelGeometry): void {
  if (geometry.frameBytes > MAX_DECODED_FRAME_BYTES) {
    throw new DicomInputError(
      name,
      `one ${geometry.rows}×${geometry.columns} frame would need ${formatBytes(geometry.frameBytes)} once decoded, more than a viewer can hold`,
    );
  }
}

/** "declares 65535×65535×1 frames of 16-bit pixels (8.6 GB)". */
function describeDeclaredPixels(g: PixelGeometry): string {
  const sampleText = g.samplesPerPixel === 1 ? `${g.bitsAllocated}-bit` : `${g.samplesPerPixel}×${g.bitsAllocated}-bit`;
  // rows×columns×frames reads as one product, so "frames" stays plural even for one frame.
  return `declares ${g.rows}×${g.columns}×${g.frameCount} frames of ${sampleText} pixels (${formatBytes(g.frameBytes * g.frameCount)})`;
}

/** Byte counts for people: "256 bytes", "1.2 MB", "8.6 GB" (decimal units). */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} bytes`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}
