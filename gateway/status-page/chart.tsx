/**
 * The live chart of one migration: the last 15 minutes of fleet figures per side, as four small
 * uPlot charts (requests/s, p99, failure rate, shadow match rate) with one x axis, the window
 * start. A missing or null value is a gap, never a zero.
 */
import { useEffect, useMemo, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { Metrics, SeriesPoint, Side } from './api';
import { milliseconds, rate } from './format';

/** The two sides' colours, the same as `.side-old` / `.side-new` in statusPage.css. */
export const SIDE_COLOURS: Record<Side, string> = { old: '#c2610c', new: '#1f5fbf' };

const PANEL_HEIGHT = 130;
const MIN_WIDTH = 160;

interface Panel {
  title: string;
  /** The value drawn for one side's window; null for a gap. */
  pick(point: SeriesPoint): number | null;
  format(value: number): string;
  /** Axis ticks. */
  tick(value: number): string;
  /** Fixed top of the y axis, e.g. 100 for a percentage that is usually near it. */
  ceiling?: number;
}

const asPercent = (value: number | null) => (value === null ? null : value * 100);

const PANELS: readonly Panel[] = [
  {
    title: 'Requests/s',
    pick: (point) => point.requestsPerSecond,
    format: (value) => `${value.toFixed(value < 10 ? 2 : 1)} req/s`,
    tick: (value) => String(+value.toFixed(2)),
  },
  {
    title: 'p99 latency',
    pick: (point) => point.p99Ms,
    format: (value) => milliseconds(value),
    tick: (value) => `${+value.toFixed(1)} ms`,
  },
  {
    title: 'Failure rate',
    pick: (point) => asPercent(point.failureRate),
    format: (value) => rate(value / 100),
    tick: (value) => `${+value.toFixed(2)} %`,
  },
  {
    title: 'Shadow match rate',
    pick: (point) => asPercent(point.shadowMatchRate),
    format: (value) => rate(value / 100),
    tick: (value) => `${+value.toFixed(1)} %`,
    ceiling: 100,
  },
];

const SIDES: readonly Side[] = ['old', 'new'];
/** Axis ticks and the legend's window, on the browser's clock like the freshness line. */
const tickTime = uPlot.fmtDate('{HH}:{mm}');
const windowTime = uPlot.fmtDate('{HH}:{mm}:{ss}');
const seconds = (iso: string) => Math.floor(new Date(iso).getTime() / 1000);

/** Every window start of either side, ascending, and each side's point at it. */
function alignSides(metrics: Metrics) {
  const bySide = SIDES.map(
    (side) => new Map(metrics.sides[side].map((point) => [seconds(point.windowStart), point])),
  );
  const xs = [...new Set(bySide.flatMap((points) => [...points.keys()]))]
    .filter(Number.isFinite)
    .sort((a, b) => a - b);
  return { xs, bySide };
}

function panelData(panel: Panel, { xs, bySide }: ReturnType<typeof alignSides>): uPlot.AlignedData {
  return [
    xs,
    ...bySide.map((points) =>
      xs.map((x) => {
        const point = points.get(x);
        return point ? panel.pick(point) : null;
      }),
    ),
  ];
}

interface PlotProps {
  panel: Panel;
  data: uPlot.AlignedData;
  /** The x range in UNIX seconds: the whole span asked for, whatever the data covers. */
  span: [number, number];
  /** Moves the cursor of every panel of one migration together. */
  syncKey: string;
}

function PlotPanel({ panel, data, span, syncKey }: PlotProps) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const latest = useRef({ data, span });
  latest.current = { data, span };

  useEffect(() => {
    const target = box.current;
    if (!target) return undefined;
    const widthOf = () => Math.max(MIN_WIDTH, Math.floor(target.clientWidth));
    const valueOf = (_self: uPlot, value: number | null) =>
      value === null || value === undefined ? '—' : panel.format(value);
    const chart = new uPlot(
      {
        width: widthOf(),
        height: PANEL_HEIGHT,
        cursor: { drag: { x: false, y: false, setScale: false }, sync: { key: syncKey } },
        legend: { show: true, live: true },
        scales: {
          x: { time: true, range: () => latest.current.span },
          y: {
            range: (_self, min, max) => {
              const top = panel.ceiling ?? (Number.isFinite(max) && max > 0 ? max * 1.15 : 1);
              const bottom = Number.isFinite(min) ? Math.min(0, min) : 0;
              return [bottom, top];
            },
          },
        },
        axes: [
          {
            stroke: '#555',
            grid: { stroke: '#eee' },
            ticks: { stroke: '#ddd' },
            values: (_self, splits) => splits.map((value) => tickTime(new Date(value * 1000))),
          },
          {
            stroke: '#555',
            size: 58,
            grid: { stroke: '#eee' },
            ticks: { stroke: '#ddd' },
            values: (_self, splits) => splits.map((value) => panel.tick(value)),
          },
        ],
        series: [
          {
            label: 'Window',
            value: (_self, value) =>
              value === null || value === undefined ? '—' : windowTime(new Date(value * 1000)),
          },
          ...SIDES.map((side) => ({
            label: side,
            stroke: SIDE_COLOURS[side],
            width: 2,
            spanGaps: false,
            points: { size: 4, fill: SIDE_COLOURS[side] },
            value: valueOf,
          })),
        ],
      },
      latest.current.data,
      target,
    );
    plot.current = chart;
    let width = widthOf();
    const observer = new ResizeObserver(() => {
      const next = widthOf();
      if (next === width) return;
      width = next;
      chart.setSize({ width: next, height: PANEL_HEIGHT });
    });
    observer.observe(target);
    return () => {
      observer.disconnect();
      chart.destroy();
      plot.current = null;
    };
  }, [panel, syncKey]);

  useEffect(() => {
    plot.current?.setData(data);
  }, [data, span]);

  return (
    <figure className="plot">
      <figcaption>{panel.title}</figcaption>
      <div ref={box} className="plot-canvas" />
    </figure>
  );
}

/** The latest window of each side in words, for readers who cannot see the canvases. */
function LatestFigures({ metrics }: { metrics: Metrics }) {
  return (
    <table className="figures latest" data-testid="chart-latest">
      <caption>Latest window</caption>
      <thead>
        <tr>
          <th scope="col">Side</th>
          <th scope="col">Requests/s</th>
          <th scope="col">Failure rate</th>
          <th scope="col">p99</th>
          <th scope="col">Shadow match</th>
        </tr>
      </thead>
      <tbody>
        {SIDES.map((side) => {
          const point = metrics.sides[side].at(-1);
          return (
            <tr key={side} className={`side-${side}`}>
              <th scope="row">{side}</th>
              <td>{point ? point.requestsPerSecond.toFixed(2) : '—'}</td>
              <td>{rate(point?.failureRate)}</td>
              <td>{milliseconds(point?.p99Ms)}</td>
              <td>{rate(point?.shadowMatchRate)}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

export function MigrationChart({ name, metrics }: { name: string; metrics: Metrics | undefined }) {
  const aligned = useMemo(() => (metrics ? alignSides(metrics) : undefined), [metrics]);
  const panels = useMemo(
    () => (aligned ? PANELS.map((panel) => panelData(panel, aligned)) : []),
    [aligned],
  );
  const span = useMemo((): [number, number] => {
    if (!metrics) return [0, 1];
    return [seconds(metrics.from), seconds(metrics.to)];
  }, [metrics]);
  const minutes = metrics?.minutes ?? 15;

  let body;
  if (!metrics || !aligned) body = <p className="muted">Loading the figures…</p>;
  else if (aligned.xs.length === 0) {
    body = (
      <p className="empty sentence" data-testid="chart-empty">
        no traffic in the last {minutes} minutes
      </p>
    );
  } else {
    body = (
      <>
        <div className="plots">
          {PANELS.map((panel, i) => (
            <PlotPanel
              key={panel.title}
              panel={panel}
              data={panels[i] ?? [[]]}
              span={span}
              syncKey={`migration-${name}`}
            />
          ))}
        </div>
        <LatestFigures metrics={metrics} />
      </>
    );
  }
  return (
    <div className="chart" data-testid="chart" role="group" aria-label={`Traffic of ${name}`}>
      <p className="legend-key">
        Last {minutes} minutes, {metrics ? `${metrics.windowSeconds} s windows` : 'per window'}:{' '}
        <span className="side-old">■ old side</span> <span className="side-new">■ new side</span>
      </p>
      {body}
    </div>
  );
}
