/** De-identification (PS3.15 Annex E): pure, runs in Node and in the browser. See deidentify.ts and instance.ts. */
export { PROFILE_EDITION, PROFILE_ROWS, profileRowFor, type ProfileAction, type ProfileRow } from './profile';
export { COMPOUND_CHOICES, resolveCompound, type CompoundChoice } from './compound';
export { newCaseSecret, caseKeys, type CaseKeys } from './caseKeys';
export { dateOffsetFor, shiftDa, shiftDaTmPair, shiftDt, shiftTm, type DateOffset } from './dates';
export { UidRemapper, uidFromDigest, isStandardUid } from './uids';
export { IdentityIndex, type IdentityToken } from './identity';
export {
  DEID_CODES,
  DeidentificationError,
  deidentifyDataset,
  listDescriptors,
  pixelCleaningRequired,
  type CaseContext,
  type DatasetOptions,
  type DeidReport,
  type Pseudonym,
} from './deidentify';
export { createDeidCase, DEFAULT_PATIENT_NAME, type CaseOptions, type DeidCase } from './deidCase';
export {
  deidentifyInstance,
  readSourceInstance,
  IMPLEMENTATION_CLASS_UID,
  type DeidentifiedInstance,
  type InstanceOptions,
  type PixelCleaning,
  type SourceInstance,
} from './instance';
export { applyMask, clipRect, defaultCornerRects, defaultFillValue, type DecodedFrame, type MaskRect } from './mask';
