/**
 * The trend of past sessions for the history page: finished sessions' scores over time, one
 * series per kind, a sentence saying where each is heading, and the Chart.js configuration.
 * Pure (the chart is drawn by views/use-chart, which loads Chart.js on demand).
 *
 * Units: `atMs` ms since the epoch; scores 0..1 (drawn as percent).
 */
import type { ChartConfiguration } from 'chart.js';
import type { SessionHistory } from '../../api/drills';
import type { Palette } from '../../views/use-chart';
import { formatScore as percent } from './session-clock';

type Kind = SessionHistory['sessions'][number]['kind'];
export interface TrendPoint {
  atMs: number;
  score: number;
}

export const KIND_LABELS: Record<Kind, string> = {
  mock: 'Mock interviews',
  'quick-fire': 'Quick-fire rounds',
};

/** Finished, scored sessions of each kind, oldest first. */
export function trendSeries(history: SessionHistory): Record<Kind, TrendPoint[]> {
  const series: Record<Kind, TrendPoint[]> = { mock: [], 'quick-fire': [] };
  for (const s of history.sessions) {
    if (s.finishedAtMs === null || s.score === null) continue;
    series[s.kind].push({ atMs: s.startedAtMs, score: s.score });
  }
  for (const points of Object.values(series)) points.sort((a, b) => a.atMs - b.atMs);
  return series;
}

/** Mean of the last `n` scores (or fewer). */
const meanOfLast = (points: readonly TrendPoint[], n: number) => {
  const last = points.slice(-n);
  return last.reduce((sum, p) => sum + p.score, 0) / last.length;
};

/**
 * One sentence per kind: the latest score, and with four or more sessions, the mean of the
 * last three against the three before them ("up 12 points on the three before").
 */
export function trendSentence(kind: Kind, points: readonly TrendPoint[]): string | null {
  const latest = points.at(-1);
  if (!latest) return null;
  const name = KIND_LABELS[kind];
  const head = `${name}: ${points.length} finished, the latest scored ${percent(latest.score)}`;
  if (points.length < 4) return `${head}.`;
  const recent = meanOfLast(points, 3);
  const before = meanOfLast(points.slice(0, -3), 3);
  const delta = Math.round((recent - before) * 100);
  const change =
    delta === 0 ? 'level with' : delta > 0 ? `up ${delta} points on` : `down ${-delta} points on`;
  return `${head}; the last three average ${percent(recent)}, ${change} the three before.`;
}

const DAY_MS = 86_400_000;
const dateLabel = (atMs: number) =>
  new Date(atMs).toLocaleDateString(undefined, { month: 'short', day: 'numeric' });
const timeLabel = (atMs: number) =>
  new Date(atMs).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
const dateTimeLabel = (atMs: number) =>
  new Date(atMs).toLocaleString(undefined, {
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });

/** A line per kind, score (%) against the session's start date on a linear time axis. */
export function trendConfig(series: Record<Kind, TrendPoint[]>, palette: Palette): ChartConfiguration {
  const colours: Record<Kind, string> = { mock: palette.accent, 'quick-fire': palette.ok };
  const kinds = (Object.keys(series) as Kind[]).filter((k) => series[k].length > 0);
  const times = kinds.flatMap((k) => series[k].map((p) => p.atMs));
  // Sessions within two days of each other are told apart by the time of day.
  const tick = Math.max(...times) - Math.min(...times) < 2 * DAY_MS ? timeLabel : dateLabel;
  return {
    type: 'line',
    data: {
      datasets: kinds.map((kind) => ({
        type: 'line' as const,
        label: KIND_LABELS[kind],
        data: series[kind].map((p) => ({ x: p.atMs, y: Math.round(p.score * 1000) / 10 })),
        borderColor: colours[kind],
        backgroundColor: colours[kind],
        pointStyle: kind === 'mock' ? 'circle' : 'rect',
        pointRadius: 4,
        borderWidth: 2,
        tension: 0,
      })),
    },
    options: {
      animation: false,
      maintainAspectRatio: false,
      color: palette.fg,
      font: { family: palette.font },
      parsing: false,
      scales: {
        x: {
          type: 'linear',
          ticks: {
            color: palette.muted,
            maxRotation: 0,
            maxTicksLimit: 6,
            // A label equal to the one before it (sessions minutes apart) is left blank.
            callback: (v, i, ticks) => {
              const label = tick(Number(v));
              return i > 0 && tick(Number(ticks[i - 1]?.value)) === label ? '' : label;
            },
          },
          grid: { color: palette.border },
        },
        y: {
          min: 0,
          max: 100,
          title: { display: true, text: 'score (%)', color: palette.fg },
          ticks: { color: palette.muted },
          grid: { color: palette.border },
        },
      },
      plugins: {
        legend: { labels: { color: palette.fg, usePointStyle: true } },
        tooltip: {
          callbacks: {
            title: (items) => (items[0] ? dateTimeLabel(items[0].parsed.x ?? 0) : ''),
            label: (item) => `${item.dataset.label ?? ''}: ${item.parsed.y ?? 0}\u00a0%`,
          },
        },
      },
    },
  };
}
