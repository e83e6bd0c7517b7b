/** The annotation model: pure, immutable, no DOM. See types.ts for the document and geometry.ts for coordinates. */
export * from './json';
export * from './geometry';
export * from './contour';
export * from './levels';
export * from './caseRecord';
export * from './calibration';
export * from './runMarks';
export * from './types';
export * from './tracks';
export * from './interpolation';
export * from './commands';
export * from './history';
export * from './measurements';
export * from './viewChecklist';
export * from './seriesFrames';
