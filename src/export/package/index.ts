/** Teaching package (.zip): writer, reader and manifest. Pure; the UI supplies the files, the decoder and the sink. */
export {
  inspectRunFiles,
  writeTeachingPackage,
  type PackageSink,
  type QuizInput,
  type RunFileInspection,
  type RunPixelCleaning,
  type TeachingCaseInput,
  type TeachingPackageResult,
  type TeachingRunInput,
} from './writer';
export { isTeachingPackage, readTeachingPackage, type PackageFile, type ReadRun, type TeachingPackageRead } from './reader';
export { unzipPackage, ZipReadError, type ZipEntry, type ZipShare } from './zip';
export {
  CASE_HTML_PATH,
  MANIFEST_PATH,
  PACKAGE_TYPE,
  PACKAGE_VERSION,
  QUIZ_VERSION,
  type Manifest,
  type ManifestRun,
  type QuizQuestion,
  type QuizSettings,
  type VideoFormat,
} from './manifest';
export { caseHtmlParts, escapeHtml, INLINE_VIDEO_LIMIT } from './caseHtml';
