import sampleFiles from 'virtual:sample-runs';
import { httpSource } from '../io/byteSources';
import { openInputs } from './session';

/** Opens the synthetic runs shipped in sample-dicom/ (unless the page asks for ?samples=0). */
export function openBundledSamples(search: string): Promise<void> {
  if (new URLSearchParams(search).get('samples') === '0' || sampleFiles.length === 0) return Promise.resolve();
  const base = import.meta.env.BASE_URL.replace(/\/$/, '');
  return openInputs(sampleFiles.map((f) => ({ source: httpSource(base + f.url, f.size, f.path), path: f.path })));
}
