/** The persisted annotation format: versioned envelope, migrations, forgiving restore. */
export { CURRENT_VERSION, FORMAT_TYPE } from './format';
export { serializeDocument, documentToJson, type SaveMeta } from './serialize';
export { parseDocument, type LoadedFileInfo, type ParseResult } from './parse';
export { MIGRATIONS, migrateToCurrent, type Migration, type MigrationResult } from './migrations';
export { restoreDocument, type RestoreResult } from './restore';
export { runMismatch, type RunMatchFields } from './runMatch';
export { DERIVED_NOTE, type DerivedInputs } from './derived';
