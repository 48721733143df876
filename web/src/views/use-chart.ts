import { useEffect, useRef, useState } from 'react';
import type { Chart, ChartConfiguration } from 'chart.js';
import { formatNumber } from './format';

/** Theme colours for a chart, read from the CSS variables the app shell defines. */
export interface Palette {
  fg: string;
  muted: string;
  border: string;
  surface: string;
  accent: string;
  ok: string;
  bad: string;
  warn: string;
  font: string;
  mono: string;
}

function readPalette(element: Element): Palette {
  const style = getComputedStyle(element);
  const read = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  return {
    fg: read('--fg', '#1a1a1a'),
    muted: read('--muted', '#5c5c5c'),
    border: read('--border', '#c8c8c8'),
    surface: read('--surface', '#ffffff'),
    accent: read('--accent', '#1f5fbf'),
    ok: read('--ok', '#1b7a3a'),
    bad: read('--bad', '#b3261e'),
    warn: read('--warn', '#8a5a00'),
    font: style.fontFamily,
    mono: read('--mono', 'ui-monospace, monospace'),
  };
}

/** Changes whenever the theme may have: a class or attribute on <html>/<body>, or the OS scheme. */
function useThemeVersion(): number {
  const [version, setVersion] = useState(0);
  useEffect(() => {
    const bump = () => setVersion((v) => v + 1);
    const observer = new MutationObserver(bump);
    for (const element of [document.documentElement, document.body]) {
      observer.observe(element, { attributes: true, attributeFilter: ['class', 'data-theme', 'style'] });
    }
    const scheme = window.matchMedia('(prefers-color-scheme: dark)');
    scheme.addEventListener('change', bump);
    return () => {
      observer.disconnect();
      scheme.removeEventListener('change', bump);
    };
  }, []);
  return version;
}

const loadChart = (): Promise<typeof Chart> => import('./chart-setup').then((module) => module.Chart);

/**
 * Draws a Chart.js chart on the returned canvas once Chart.js has loaded, and redraws it when
 * `data` (compared by identity) or the theme changes. `build` is deliberately not a dependency:
 * callers pass a fresh closure each render, and it only matters when data or theme change.
 */
export function useChart(build: (palette: Palette) => ChartConfiguration, data: unknown) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const [state, setState] = useState<'loading' | 'ready' | 'failed'>('loading');
  const themeVersion = useThemeVersion();

  useEffect(() => {
    let chart: Chart | undefined;
    let cancelled = false;
    loadChart()
      .then((ChartClass) => {
        const canvas = canvasRef.current;
        if (cancelled || !canvas) return;
        chart = new ChartClass(canvas, build(readPalette(canvas)));
        setState('ready');
      })
      .catch(() => {
        if (!cancelled) setState('failed');
      });
    return () => {
      cancelled = true;
      chart?.destroy();
    };
  }, [data, themeVersion]);

  return { canvasRef, state };
}

let colourContext: CanvasRenderingContext2D | null | undefined;

/** `color` with an alpha, for fills under outlines; any CSS colour the canvas understands works. */
export function translucent(color: string, alpha: number): string {
  colourContext ??= document.createElement('canvas').getContext('2d');
  if (!colourContext) return color;
  colourContext.fillStyle = '#000';
  colourContext.fillStyle = color;
  // The canvas serialises opaque colours as #rrggbb and others as rgba(); only the first needs work.
  const hex = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(String(colourContext.fillStyle));
  if (!hex) return String(colourContext.fillStyle);
  const [r, g, b] = hex.slice(1).map((h) => parseInt(h, 16));
  return `rgba(${r}, ${g}, ${b}, ${alpha})`;
}

/**
 * Tick labels for a logarithmic axis from `low` to `high`: Chart.js puts a tick at every
 * 1…9 × 10^k, which crowds the axis, so only 1, 2 and 5 (or only powers of ten, over a
 * wide range) keep their label.
 */
export function logTickLabel(low: number, high: number) {
  const decades = Math.log10(high / low);
  const kept = decades > 3 ? [1] : [1, 2, 5];
  return (value: number | string): string => {
    const v = Number(value);
    const mantissa = v / 10 ** Math.floor(Math.log10(v));
    return kept.some((k) => Math.abs(mantissa - k) < 1e-6) ? formatNumber(v) : '';
  };
}
