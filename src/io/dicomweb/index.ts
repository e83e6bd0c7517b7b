/** DICOMweb (QIDO-RS, WADO-RS, STOW-RS) against any server; tested against Orthanc. See DESIGN.md, PACS. */
export { DicomWebClient, basicAuthorization, bearerAuthorization, type DicomWebClientOptions } from './client';
export { encodeMultipartRelated } from './multipart';
export { DicomWebError, isCancelled, type DicomWebFailure } from './errors';
export type { DicomJsonDataset, DicomJsonElement } from './dicomJson';
export {
  DEFAULT_MODALITIES,
  dateRange,
  frameCountOf,
  searchInstances,
  searchSeries,
  searchStudies,
  type InstanceQuery,
  type InstanceSummary,
  type SeriesSummary,
  type StudyQuery,
  type StudySummary,
} from './qido';
export {
  STORED_FRAMES_ACCEPT,
  instancePath,
  retrieveBulkData,
  retrieveFrames,
  retrieveInstance,
  retrieveSeriesMetadata,
  retrieveThumbnail,
  type FramePart,
  type InstanceRef,
  type SeriesRef,
  type Thumbnail,
} from './wado';
export {
  planFrameRequests,
  prefetchBatchSize,
  retrieveRunFrames,
  type FrameRequest,
  type RunFrameFailure,
  type RunFramesOptions,
  type RunInstance,
} from './runFrames';
export {
  headerFromDicomJson,
  openRemoteSeries,
  runsFromMetadata,
  type OpenSeriesOptions,
  type RemoteRun,
  type SkippedInstance,
} from './metadata';
export {
  storeInstances,
  parseStowResponse,
  describeFailureReason,
  type StowResult,
  type StoredInstance,
  type FailedInstance,
} from './stow';
export { firstImageInstance, imageInstances, nonImageSeriesKind, thumbnailFrame } from './thumbnail';
export { RemoteRunFrames, openedRunFromRemote, remoteRunName, type RemoteFramesOptions } from './remoteRun';
export { SeriesPreparations, type OpenedSeries, type TakenPreparation } from './prepare';
