/**
 * Annotation tools (Cornerstone3D tool classes editing our document through the editor port)
 * and the adapter that mirrors the document into Cornerstone for the frame on screen.
 */
export { connectAnnotationEditor, type AnnotationEditor } from './editor';
export { syncAllViewports, syncRun, shownInViewport, startMirroring } from './adapter';
export { frameOnScreen } from './coords';
export { ANNOTATION_TOOL_NAME, registerAnnotationTools } from './registration';
