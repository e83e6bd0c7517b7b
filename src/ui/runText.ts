import type { OpenedRun } from '../io/openFiles';

export function runTitle(run: OpenedRun): string {
  const { series } = run.info;
  const name = run.fileNames.length > 1 ? run.fileNames[0].replace(/\/[^/]*$/, '/') : run.fileNames[0];
  return series.description || name;
}

export function runSummary(run: OpenedRun): string {
  const { info } = run;
  const seconds = info.timing.durationMs / 1000;
  const rate = info.frameCount > 1 ? `, ${seconds.toFixed(1)} s at ${info.timing.nominalFps.toFixed(1)} fps` : '';
  return `${info.series.modality || '?'} ${info.columns}×${info.rows}, ${info.frameCount} frame${info.frameCount === 1 ? '' : 's'}${rate}`;
}
