import { pixelShape } from '../dicom/pixelShape';
import { factsOfFrame, voiFunctionOf, windowsOfFrame } from '../dicom/runInfo';
import type { RunInfo } from '../dicom/types';
import { parseImageId, type RunLookup } from './imageIds';
import { derivedModule } from './subtractionImages';

/**
 * Answers Cornerstone's metadata questions for our image ids from RunInfo, so nothing is parsed
 * twice. Cornerstone asks by module name; the shapes follow its wadouri provider.
 */
function modalityLutModule(info: RunInfo) {
  const lut = info.modalityLut;
  if (lut.kind === 'rescale') return { rescaleSlope: lut.slope, rescaleIntercept: lut.intercept, rescaleType: lut.type };
  return {
    rescaleSlope: undefined,
    rescaleIntercept: undefined,
    modalityLUTSequence: [{ id: '1', firstValueMapped: lut.firstValueMapped, numBitsPerEntry: lut.bitsPerEntry, lut: lut.data }],
  };
}

function imagePlaneModule(info: RunInfo) {
  // Projection images have no patient geometry; Cornerstone still wants a plane. Spacing is the
  // calibrated one when there is one, else the pixels' shape with 1 for their width, so world
  // units are pixel widths (equal to pixels for square ones).
  const spacing = info.spacing.preferred;
  const { row: rowPixelSpacing, column: columnPixelSpacing } = pixelShape(info.spacing);
  return {
    frameOfReferenceUID: `${info.series.instanceUID}.fluorolens`,
    rows: info.rows,
    columns: info.columns,
    imageOrientationPatient: [1, 0, 0, 0, 1, 0],
    rowCosines: [1, 0, 0],
    columnCosines: [0, 1, 0],
    imagePositionPatient: [0, 0, 0],
    sliceThickness: 1,
    sliceLocation: 0,
    pixelSpacing: [rowPixelSpacing, columnPixelSpacing],
    rowPixelSpacing,
    columnPixelSpacing,
    usingDefaultValues: spacing === null,
  };
}

function moduleFor(type: string, info: RunInfo, frame: number): unknown {
  switch (type) {
    case 'imagePixelModule':
      return {
        samplesPerPixel: info.samplesPerPixel,
        photometricInterpretation: info.photometricInterpretation,
        // Not in Cornerstone's module: review.ts reads it to tell the file's inversion from the user's.
        presentationLUTShape: info.presentationLutShape,
        planarConfiguration: info.planarConfiguration,
        rows: info.rows,
        columns: info.columns,
        bitsAllocated: info.bitsAllocated,
        bitsStored: info.bitsStored,
        highBit: info.highBit,
        pixelRepresentation: info.pixelRepresentation,
      };
    case 'modalityLutModule':
      return modalityLutModule(info);
    case 'voiLutModule': {
      // A series windowed image by image: the frame's own image's (Cornerstone shows each frame in
      // its image's window until the user sets one).
      const windows = windowsOfFrame(info.voi, frame);
      return {
        windowCenter: windows.map((w) => w.center),
        windowWidth: windows.map((w) => w.width),
        // In a list: the dicom-image-loader's createImage takes its first entry, and of a plain
        // string that is the first letter ("L"), which Cornerstone cannot use: every file that
        // stated its VOI LUT Function was shown without its window.
        voiLUTFunction: [voiFunctionOf(info.voi)],
      };
    }
    case 'imagePlaneModule':
      return imagePlaneModule(info);
    case 'generalSeriesModule':
      return {
        modality: info.series.modality,
        seriesInstanceUID: info.series.instanceUID,
        seriesNumber: info.series.number,
        studyInstanceUID: info.study.instanceUID,
        seriesDescription: info.series.description,
      };
    case 'generalStudyModule':
      return { studyInstanceUID: info.study.instanceUID, studyDescription: info.study.description, studyDate: info.study.date };
    case 'patientModule':
      return { patientName: info.patient.name, patientId: info.patient.id };
    case 'sopCommonModule':
      return {
        sopClassUID: info.sopClassUID,
        sopInstanceUID: info.sopInstanceUIDs.length > 1 ? info.sopInstanceUIDs[frame - 1] : info.sopInstanceUIDs[0],
      };
    case 'generalImageModule':
      return {
        instanceNumber: factsOfFrame(info, frame).instanceNumber,
        imageType: info.imageType,
        lossyImageCompression: info.lossy ? '01' : '00',
      };
    case 'multiframeModule':
      return { NumberOfFrames: info.frameCount, numberOfFrames: info.frameCount };
    case 'transferSyntax':
      return { transferSyntaxUID: info.transferSyntaxUID };
    case 'calibrationModule':
      return {};
    default:
      return undefined;
  }
}

export function createMetadataProvider(runByKey: RunLookup) {
  return (type: string, imageId: string): unknown => {
    const parsed = parseImageId(imageId);
    const run = parsed && runByKey(parsed.runKey);
    if (!parsed || !run) return undefined;
    // A subtracted frame: its own window and no rescale; the rest is the raw frame's.
    const derived = parsed.setting !== undefined ? derivedModule(type, parsed.setting) : undefined;
    return derived ?? moduleFor(type, run.info, parsed.frame);
  };
}
