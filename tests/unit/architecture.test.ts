import { ESLint } from 'eslint';
import { describe, expect, it, vi } from 'vitest';

// ESLint builds its module graph on the first call: slow on a loaded machine.
vi.setConfig({ testTimeout: 60_000 });

/**
 * The layering of DESIGN.md is enforced by lint; these checks make sure the rules are really
 * there (a lint config that silently stopped applying them would pass `npm run lint`).
 */
const eslint = new ESLint({ cwd: process.cwd() });

async function ruleIdsFor(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result.messages.map((m) => m.ruleId ?? m.message);
}

describe('layer rules', () => {
  it.each([
    ['src/dicom/example.ts', "import { useState } from 'react';\nexport const x = useState;\n"],
    ['src/imaging/example.ts', "import { metaData } from '@cornerstonejs/core';\nexport const x = metaData;\n"],
    ['src/annotations/model/example.ts', "import { cache } from '@cornerstonejs/core';\nexport const x = cache;\n"],
    ['src/annotations/schema/example.ts', "import { createRoot } from 'react-dom/client';\nexport const x = createRoot;\n"],
    ['src/export/example.ts', "import { init } from '@cornerstonejs/tools';\nexport const x = init;\n"],
    ['src/format/example.ts', "import { useState } from 'react';\nexport const x = useState;\n"],
  ])('%s may not import React or Cornerstone', async (file, code) => {
    expect(await ruleIdsFor(code, file)).toContain('no-restricted-imports');
  });

  it.each(['src/dicom/example.ts', 'src/imaging/example.ts'])('%s may not touch the DOM', async (file) => {
    expect(await ruleIdsFor('export const w = document.title;\n', file)).toContain('no-restricted-globals');
  });

  it.each([
    ['src/dicom/example.ts', "import { session } from '../state/session';\nexport const x = session;\n"],
    ['src/dicom/example.ts', "import { rasterizeShutter } from '../imaging/shutter';\nexport const x = rasterizeShutter;\n"],
    ['src/imaging/example.ts', "import { parseDocument } from '../annotations/schema';\nexport const x = parseDocument;\n"],
    ['src/imaging/example.ts', "import { parseImageId } from '../viewer/imageIds';\nexport const x = parseImageId;\n"],
    ['src/annotations/model/example.ts', "import { parseImageId } from '../../viewer/imageIds';\nexport const x = parseImageId;\n"],
    ['src/viewer/example.ts', "import { session } from '../state/session';\nexport const x = session;\n"],
    ['src/state/example.ts', "import { App } from '../ui/App';\nexport const x = App;\n"],
    ['src/ui/example.ts', "import { startFluoroLens } from '../app/bootstrap';\nexport const x = startFluoroLens;\n"],
    ['src/format/example.ts', "import { imageIdFor } from '../viewer/imageIds';\nexport const x = imageIdFor;\n"],
    ['src/dicom/example.ts', "import { formatFps } from '../format/rate';\nexport const x = formatFps;\n"],
  ])('%s may not import an outer layer', async (file, code) => {
    expect(await ruleIdsFor(code, file)).toContain('import-x/no-restricted-paths');
  });

  it.each([
    ['src/io/example.ts', "import { readHeader } from '../dicom/header';\nexport const x = readHeader;\n"],
    ['src/imaging/example.ts', "import { buildRunInfo } from '../dicom/runInfo';\nexport const x = buildRunInfo;\n"],
    ['src/annotations/model/example.ts', "import { nameView } from '../../imaging/views';\nexport const x = nameView;\n"],
  ])('%s may import an inner layer', async (file, code) => {
    expect(await ruleIdsFor(code, file)).toEqual([]);
  });

  it('import cycles are errors', async () => {
    // runInfo.ts imports timing.ts; timing.ts importing runInfo.ts would close a cycle.
    const ids = await ruleIdsFor("import { buildRunInfo } from './runInfo';\nexport const x = buildRunInfo;\n", 'src/dicom/timing.ts');
    expect(ids).toContain('import-x/no-cycle');
  });
});
