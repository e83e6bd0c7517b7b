/** The annotation document as a DICOM SR Measurement Report (TID 1500), and back. Pure: runs in Node and the browser. */
export {
  COMPREHENSIVE_SR,
  REPORT_SERIES_DESCRIPTION,
  frameReference,
  writeMeasurementReport,
  type MeasurementReportInput,
  type WrittenReport,
} from './writeReport';
export { ReportImportError, readMeasurementReport, readReportReferences, type ImportedReport, type ReportReferences } from './readReport';
export { CODES, PRIVATE_SCHEME, UNITS } from './codes';
