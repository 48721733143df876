/**
 * The only module that imports Chart.js at runtime. It is loaded with import() by use-chart.ts,
 * so Chart.js lands in its own chunk, fetched only when a chart is on screen. Only the parts the
 * views use are registered, which lets the bundler drop the rest. Members are read off the
 * namespace one by one, never destructured: destructuring keeps the whole library.
 */
import * as chartjs from 'chart.js';

chartjs.Chart.register(
  chartjs.BarController,
  chartjs.BarElement,
  chartjs.CategoryScale,
  chartjs.Legend,
  chartjs.LinearScale,
  chartjs.LineController,
  chartjs.LineElement,
  chartjs.LogarithmicScale,
  chartjs.PointElement,
  chartjs.ScatterController,
  chartjs.Tooltip,
);

export const Chart = chartjs.Chart;
