import type { Plugin } from 'vite';

/**
 * Asks for Cornerstone's WebGL context without multisampling and without an alpha channel.
 *
 * Cornerstone draws each viewport with vtk.js into one offscreen WebGL canvas, then copies it
 * into the pane's 2D canvas. vtk.js creates that context with the browser's defaults for
 * `antialias` (on: a multisampled drawing buffer, resolved after every draw) and `alpha` (on: the
 * copy is a blend). A stack viewport draws one textured rectangle over an opaque background, so
 * neither changes a pixel of the image, but both cost time on every frame, and on a machine
 * without a GPU (software GL: SwiftShader) that time is CPU taken from decoding and playback.
 * Measured here, stepping through a 1024² run in a 1220×633 pane: 61 ms of GPU-process CPU per
 * frame with the defaults, 55 without multisampling, 49 without either.
 *
 * The one statement of vtk.js that sets the defaults is rewritten at build time and when the dev
 * server pre-bundles dependencies; when the package no longer has it, the build fails with this
 * file's name rather than silently drawing with the defaults again.
 */
export const VTK_RENDER_WINDOW_MODULE = /@kitware[\\/]vtk\.js[\\/]Rendering[\\/]OpenGL[\\/]RenderWindow\.js$/;

const DEFAULT_OPTIONS = `publicAPI.get3DContext = (options = {
		preserveDrawingBuffer: false,
		depth: true,
		alpha: true,
		powerPreference: "high-performance"
	}) => {`;

const OPAQUE_SINGLE_SAMPLE = `publicAPI.get3DContext = (options = {
		preserveDrawingBuffer: false,
		depth: true,
		alpha: false,
		antialias: false,
		powerPreference: "high-performance"
	}) => {`;

/** vtk.js's render window asking for an opaque, single-sampled context; throws when its code is not what this expects. */
export function withOpaqueSingleSampleContext(code: string): string {
  if (code.split(DEFAULT_OPTIONS).length - 1 !== 1) {
    throw new Error(
      'scripts/vite-plugin-webgl-context.ts: @kitware/vtk.js changed how its render window creates its WebGL context ' +
        '(Rendering/OpenGL/RenderWindow.js get3DContext); update or remove this plugin',
    );
  }
  return code.replace(DEFAULT_OPTIONS, OPAQUE_SINGLE_SAMPLE);
}

export function opaqueSingleSampleWebGL(): Plugin {
  return {
    name: 'fluorolens-webgl-context',
    transform(code, id) {
      if (!VTK_RENDER_WINDOW_MODULE.test(id.split('?')[0])) return null;
      return { code: withOpaqueSingleSampleContext(code), map: null };
    },
  };
}
