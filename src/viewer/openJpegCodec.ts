import publishedFactory from '@cornerstonejs/codec-openjpeg/decodewasmjs';

/**
 * Stands in for @cornerstonejs/codec-openjpeg's module factory wherever the dicom-image-loader
 * imports it (scripts/vite-plugin-openjpeg-messages.ts points the loader here, in the page and in
 * the decode worker). OpenJPEG writes every message to stdout, which Emscripten sends to
 * console.log one character at a time:
 * - three `[INFO]` lines per frame ("Start to read j2k main header", …): 360 console lines for a
 *   120-frame run, and 6 ms of each frame's decode in the profile of a 1024² frame. Dropped.
 * - `[ERROR]` lines: OpenJPEG says a tile could not be decoded, yet its `decode()` returns and the
 *   loader shows the part it got, the rest black, as if it were the frame. The decode now throws,
 *   so the frame is marked failed like a frame any other codec gives up on.
 * - anything else (`[WARNING]`) still reaches the console, as a warning.
 */
export class OpenJpegDataError extends Error {
  constructor(readonly openJpegErrors: string[]) {
    super(`the JPEG 2000 data of this frame is damaged (OpenJPEG: ${openJpegErrors.join('; ')})`);
    this.name = 'OpenJpegDataError';
  }
}

interface J2KDecoderPrototype {
  decode(this: unknown): void;
}
interface OpenJpegModule {
  J2KDecoder: { prototype: J2KDecoderPrototype };
}

const INFO = '[INFO] ';
const ERROR = '[ERROR] ';

/** Where one line OpenJPEG printed goes: nowhere ([INFO]), into `errors` ([ERROR]), or the console. */
export function routeOpenJpegLine(line: string, errors: string[]): void {
  if (line.startsWith(INFO)) return;
  if (line.startsWith(ERROR)) errors.push(line.slice(ERROR.length).trim());
  else console.warn(`OpenJPEG: ${line}`);
}

export default function openJpegFactory(options: Record<string, unknown> = {}): Promise<OpenJpegModule> {
  let errors: string[] = [];
  const print = (line: string) => routeOpenJpegLine(line, errors);
  return (publishedFactory({ ...options, print, printErr: print }) as Promise<OpenJpegModule>).then((module) => {
    const prototype = module.J2KDecoder.prototype;
    const decode = prototype.decode;
    prototype.decode = function decodeOrThrow(this: unknown) {
      errors = [];
      decode.call(this);
      if (errors.length > 0) throw new OpenJpegDataError(errors);
    };
    return module;
  });
}
