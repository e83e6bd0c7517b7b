import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { parseAst } from 'vite';
import { describe, expect, it } from 'vitest';
import { VTK_RENDER_WINDOW_MODULE, withOpaqueSingleSampleContext } from '../../scripts/vite-plugin-webgl-context';

const require = createRequire(import.meta.url);
const renderWindowPath = join(dirname(require.resolve('@kitware/vtk.js/package.json')), 'Rendering/OpenGL/RenderWindow.js');

describe("vtk.js's WebGL context is opaque and single-sampled (vite plugin)", () => {
  const original = readFileSync(renderWindowPath, 'utf8');

  it('finds the installed render window module by its path, and no other', () => {
    expect(VTK_RENDER_WINDOW_MODULE.test(renderWindowPath)).toBe(true);
    expect(VTK_RENDER_WINDOW_MODULE.test(renderWindowPath.replace('OpenGL', 'WebGPU'))).toBe(false);
  });

  it('rewrites the default context options into valid code asking for no alpha and no multisampling', () => {
    // As installed, vtk.js takes the browser's defaults (antialias on) and asks for alpha.
    expect(original).not.toMatch(/antialias/);
    const rewritten = withOpaqueSingleSampleContext(original);
    expect(() => parseAst(rewritten)).not.toThrow();
    const options = /publicAPI\.get3DContext = \(options = (\{[^}]*\})\) =>/.exec(rewritten)?.[1];
    // The options object as vtk.js passes it to canvas.getContext.
    const asked = new Function(`return ${options};`)() as WebGLContextAttributes;
    expect(asked).toEqual({
      preserveDrawingBuffer: false,
      depth: true,
      alpha: false,
      antialias: false,
      powerPreference: 'high-performance',
    });
  });

  it('fails the build with its own name when the package code changed', () => {
    expect(() => withOpaqueSingleSampleContext(original.replace('alpha: true', 'alpha: !0'))).toThrow(
      /vite-plugin-webgl-context\.ts: @kitware\/vtk\.js changed how its render window creates its WebGL context/,
    );
  });
});
