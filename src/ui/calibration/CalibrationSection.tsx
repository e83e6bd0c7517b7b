import { useState } from 'react';
import { calibratedSpacing, setCalibration, userCalibrationProblem, type UserCalibration } from '../../annotations/model';
import type { OpenedRun } from '../../dicom/run';
import { calibrationText, spacingSourceName } from '../../format/measurements';
import { apply } from '../../state/documents';
import { cancelPick, imagePick, pickFor, startPick } from '../../state/imagePick';
import { useRunDocument } from '../hooks/useRunDocument';
import { useStore } from '../hooks/useStore';
import './calibration.css';

const round = (v: number, digits: number) => String(Number(v.toFixed(digits)));

/** What the header offers, and Pixel Spacing Calibration Type (0028,0A02) as read. */
function headerText(run: OpenedRun): string {
  const { spacing } = run.info;
  const candidates = spacing.candidates.map((c) => `${spacingSourceName(c.source)} ${round(c.columnMm, 4)} mm/px`);
  const type = spacing.pixelSpacingCalibration?.type;
  const description = spacing.pixelSpacingCalibration?.description;
  const calibrationType = type
    ? `Pixel Spacing Calibration Type ${type}${description ? ` (“${description}”)` : ''}`
    : 'no Pixel Spacing Calibration Type';
  // Without a spacing, Pixel Aspect Ratio gives the pixels' shape on screen (dicom/pixelShape.ts).
  const ratio = candidates.length === 0 ? spacing.pixelAspectRatio : undefined;
  const aspect = ratio
    ? `; Pixel Aspect Ratio ${ratio.vertical}:${ratio.horizontal} (pixels drawn ${ratio.vertical > ratio.horizontal ? 'taller than wide' : 'wider than tall'})`
    : '';
  // A series' images may each give their own (runInfo.ts seriesSpacing): this is the first one's.
  const whose = run.info.sopInstanceUIDs.length > 1 ? 'Header of the first image' : 'Header';
  return `${whose}: ${candidates.length > 0 ? candidates.join('; ') : 'no pixel spacing'}${aspect}; ${calibrationType}.`;
}

/**
 * The run's calibration: which one every mm rests on, and the user's own: Calibrate, drag a line
 * over an object of known length on the image, type its length and name, Set calibration. Saved
 * with the annotations (one undo step), so it survives reload and export/import.
 */
export function CalibrationSection({ run, paneId }: { run: OpenedRun; paneId: string }) {
  const doc = useRunDocument(run)?.doc;
  const pick = useStore(imagePick, (s) => pickFor('calibration', run.key, s));
  const [length, setLength] = useState('');
  const [objectName, setObjectName] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  if (!doc) return null;
  const spacing = calibratedSpacing(run.info.spacing, doc.calibration);
  const line = pick?.done && pick.points.length === 2 ? { from: pick.points[0], to: pick.points[1] } : null;
  const linePx = line ? Math.hypot(line.to.x - line.from.x, line.to.y - line.from.y) : null;

  const submit = () => {
    if (!line || !pick) return;
    const calibration: UserCalibration = { objectName: objectName.trim(), lengthMm: Number(length), frame: pick.frame, line };
    const why = userCalibrationProblem(calibration, run.info.frameCount);
    setProblem(why);
    if (why) return;
    apply(run.key, setCalibration(calibration));
    cancelPick();
    setLength('');
    setObjectName('');
  };

  return (
    <section className="procedure-section calibration-section" role="region" aria-label="Calibration">
      <h2>Calibration</h2>
      <p data-testid="calibration-in-use">Every mm shown: {calibrationText(spacing.preferred)}</p>
      <p className="hint">{headerText(run)}</p>
      {doc.calibration && (
        <p className="hint">
          User calibration on frame {doc.calibration.frame}: {round(doc.calibration.lengthMm, 2)} mm over “{doc.calibration.objectName}”.
        </p>
      )}
      <div className="row">
        <button
          type="button"
          aria-pressed={pick !== null && !pick.done}
          title="Drag a line on the image over an object of known length"
          onClick={() => (pick && !pick.done ? cancelPick() : startPick(paneId, 'calibration', 'line'))}
        >
          Calibrate
        </button>
        {doc.calibration && (
          <button type="button" onClick={() => apply(run.key, setCalibration(null))}>
            Remove calibration
          </button>
        )}
      </div>
      {pick && !pick.done && <p className="hint">Drag along the object on the image (frame {pick.frame}).</p>}
      {line && linePx !== null && (
        <form
          aria-label="Calibration line"
          onSubmit={(e) => {
            e.preventDefault();
            submit();
          }}
        >
          <p className="hint">
            Line of {round(linePx, 1)} px on frame {pick!.frame}.
          </p>
          <div className="row">
            <label>
              Known length (mm) <input type="number" min={0} step="any" value={length} onChange={(e) => setLength(e.currentTarget.value)} />
            </label>
            <label>
              Object{' '}
              <input
                type="text"
                placeholder="e.g. 25 mm marker ball"
                value={objectName}
                onChange={(e) => setObjectName(e.currentTarget.value)}
              />
            </label>
          </div>
          <div className="row">
            <button type="submit">Set calibration</button>
            <button type="button" onClick={cancelPick}>
              Cancel
            </button>
          </div>
          {problem && (
            <p role="status" className="hint">
              {problem}
            </p>
          )}
        </form>
      )}
    </section>
  );
}
