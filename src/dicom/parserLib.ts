import * as namespace from 'dicom-parser';

/**
 * dicom-parser ships as a UMD bundle. Depending on the loader (Vite dev, Rollup build, Vitest,
 * plain Node ESM) its functions arrive either on the namespace or on its `default` export; take
 * whichever one actually has them.
 */
type DicomParserLib = typeof namespace;

const withDefault = namespace as unknown as { default?: DicomParserLib };

export const dicomParser: DicomParserLib = typeof namespace.parseDicom === 'function' ? namespace : (withDefault.default as DicomParserLib);
