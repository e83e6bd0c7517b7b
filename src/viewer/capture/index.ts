/**
 * Frame capture: the run as the pane shows it (annotations burned in) as MP4, WebM, GIF or PNG,
 * and the media of a teaching package.
 */
export { captureRun, isCaptureCancelled } from './capture';
export type { CaptureOptions, CaptureProgress, CaptureRequest, CaptureResult } from './capture';
export { OPENING_DISPLAY, paneCaptureDisplay } from './display';
export type { CaptureDisplay } from './display';
export { UnsupportedCaptureError } from './encoders';
export { CAPTURE_FORMATS, CAPTURE_FORMAT_LABELS, CAPTURE_MIME, captureFileName, isCaptureFormat } from './format';
export type { CaptureFormat, VideoFormat } from './format';
export { OVERLAY_TEXT_MODES } from './overlayText';
export type { OverlayTextMode } from './overlayText';
export type { PixelRect } from './pixels';
export { exportRange, frameSchedule } from './schedule';
export { captureTeachingMedia } from './teaching';
export type { TeachingMedia, TeachingMediaOptions } from './teaching';
