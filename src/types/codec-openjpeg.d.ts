// The Emscripten module factory of OpenJPEG's decoder (untyped in the package); see src/viewer/openJpegCodec.ts.
declare module '@cornerstonejs/codec-openjpeg/decodewasmjs' {
  const factory: (options: Record<string, unknown>) => Promise<unknown>;
  export default factory;
}
