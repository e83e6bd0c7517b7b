/**
 * A copy of a DICOM file with one attribute set by DCMTK's dcmodify (which writes it in the file's
 * own encoding), for tests of how an attribute changes what is shown.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { basename, join } from 'node:path';

/**
 * `source` copied into `dir` as `<prefix>-<its name>`, with `tag` ("(gggg,eeee)") set to `value`;
 * the path of the copy.
 */
export function withAttribute(source: string, dir: string, prefix: string, tag: string, value: string): string {
  const file = join(dir, `${prefix}-${basename(source)}`);
  copyFileSync(source, file);
  execFileSync('dcmodify', ['-nb', '-i', `${tag}=${value}`, file], { stdio: ['ignore', 'ignore', 'pipe'] });
  return file;
}
