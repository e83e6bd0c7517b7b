import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { RunMeasurements } from '../../annotations/model';
import { setFrame } from '../../state/session';
import { spacingName } from '../../format/measurements';
import { nearestFrame } from '../../viewer/cine';

const HEIGHT = 190;
const DISTANCE_COLOR = '#ffd400';
const AREA_COLOR = '#40c4ff';

interface ChartProps {
  paneId: string;
  measurements: RunMeasurements;
  frameStartMs: readonly number[];
  frame: number;
}

function chartData(m: RunMeasurements, starts: readonly number[]): uPlot.AlignedData {
  return [starts.map((ms) => ms / 1000), m.tipToTarget.values, m.contrastArea.values] as uPlot.AlignedData;
}

/** Dots only while a series has few values, so a lone keyframe (a one-frame series) still shows. */
function fewValues(u: uPlot, seriesIndex: number): boolean {
  let count = 0;
  for (const v of u.data[seriesIndex]) if (v != null && ++count > 20) return false;
  return true;
}

function chartOptions(m: RunMeasurements, starts: readonly number[], width: number, onPick: (frame: number) => void): uPlot.Options {
  const last = (starts[starts.length - 1] ?? 0) / 1000;
  const end = last > 0 ? last : 1;
  return {
    width,
    height: HEIGHT,
    legend: { show: true, live: false },
    // A vertical hover line only: it shows where a click will seek; no drag-to-zoom.
    cursor: { y: false, drag: { x: false, y: false }, points: { show: false } },
    scales: { x: { time: false, range: [0, end] }, dist: { auto: true }, area: { auto: true } },
    // The vertical axes say their unit only: at ~190 px, with the calibration's name as well the label
    // was cut off mid-word. The caption under the chart names the calibration.
    axes: [
      { stroke: '#9aa3ad', grid: { stroke: '#2a2f36' }, label: 'Time (s)', size: 36, labelSize: 14 },
      { scale: 'dist', stroke: DISTANCE_COLOR, grid: { stroke: '#2a2f36' }, label: m.tipToTarget.unit, labelSize: 14 },
      { scale: 'area', side: 1, stroke: AREA_COLOR, grid: { show: false }, label: m.contrastArea.unit, labelSize: 14 },
    ],
    series: [
      { label: 'Time (s)' },
      {
        label: `Tip → target (${m.tipToTarget.unit})`,
        scale: 'dist',
        stroke: DISTANCE_COLOR,
        width: 2,
        spanGaps: false,
        points: { show: fewValues },
      },
      {
        label: `Contrast area (${m.contrastArea.unit})`,
        scale: 'area',
        stroke: AREA_COLOR,
        fill: 'rgba(64,196,255,0.12)',
        width: 2,
        spanGaps: false,
        points: { show: fewValues },
      },
    ],
    hooks: {
      ready: [
        (u) => {
          u.over.addEventListener('click', (event) => {
            const x = event.clientX - u.over.getBoundingClientRect().left;
            onPick(nearestFrame(starts, u.posToVal(x, 'x')));
          });
        },
      ],
    },
  };
}

function caption(m: RunMeasurements): string {
  const source = m.tipToTarget.spacingSource;
  const calibration = source
    ? `millimetres from ${spacingName({ source, name: m.tipToTarget.spacingName ?? undefined })}`
    : 'not calibrated: pixels only';
  return `Tip-to-target distance (${m.tipToTarget.unit}) and contrast area (${m.contrastArea.unit}) against time (s); ${calibration}. Click to go to a frame.`;
}

/** Whether neither series has a value yet: empty axes would say nothing, so the chart says what it needs. */
function nothingToChart(m: RunMeasurements): boolean {
  return m.tipToTarget.values.every((v) => v == null) && m.contrastArea.values.every((v) => v == null);
}

/** Distance and contrast area against time (uPlot on canvas), the current frame as a vertical line. */
export function MeasurementsChart({ paneId, measurements, frameStartMs, frame }: ChartProps) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const playhead = useRef<HTMLDivElement | null>(null);
  const frameRef = useRef(frame);

  const placePlayhead = () => {
    const u = plot.current;
    if (!u || !playhead.current) return;
    const seconds = (frameStartMs[frameRef.current - 1] ?? 0) / 1000;
    playhead.current.style.left = `${u.valToPos(seconds, 'x')}px`;
    playhead.current.dataset.frame = String(frameRef.current);
  };

  // Units and the time axis are fixed per run and calibration, so rebuild only when they change.
  const unitsKey = `${measurements.tipToTarget.unit}|${measurements.contrastArea.unit}|${measurements.tipToTarget.spacingSource}|${measurements.tipToTarget.spacingName}`;
  useEffect(() => {
    const element = host.current;
    if (!element) return;
    const u = new uPlot(
      chartOptions(measurements, frameStartMs, Math.max(200, element.clientWidth), (f) => setFrame(f, paneId)),
      chartData(measurements, frameStartMs),
      element,
    );
    const line = document.createElement('div');
    line.className = 'chart-playhead';
    u.over.appendChild(line);
    plot.current = u;
    playhead.current = line;
    placePlayhead();
    const observer = new ResizeObserver(() => {
      u.setSize({ width: Math.max(200, element.clientWidth), height: HEIGHT });
      placePlayhead();
    });
    observer.observe(element);
    return () => {
      observer.disconnect();
      u.destroy();
      plot.current = null;
      playhead.current = null;
    };
    // The data effect below keeps values current; this one only rebuilds for a new run or units.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [paneId, frameStartMs, unitsKey]);

  useEffect(() => {
    plot.current?.setData(chartData(measurements, frameStartMs));
  }, [measurements, frameStartMs]);

  useEffect(() => {
    frameRef.current = frame;
    placePlayhead();
  });

  const empty = nothingToChart(measurements);
  return (
    <figure aria-label="Measurements chart" className="measurements-chart">
      {/* The chart stays built under the sentence, so the panel keeps its layout when the first value comes. */}
      <div className="chart-area">
        <div ref={host} className="chart-host" aria-hidden={empty || undefined} />
        {empty && (
          <p className="chart-empty" style={{ height: HEIGHT }}>
            Nothing to chart yet: tip → target needs a needle tip and a target on the same frames, contrast area a contrast spread.
          </p>
        )}
      </div>
      <figcaption>{caption(measurements)}</figcaption>
    </figure>
  );
}
