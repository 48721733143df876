/**
 * The only module that imports Chart.js at runtime. It is loaded with import() by use-chart.ts,
 * so Chart.js lands in its own chunk, fetched only when a chart is on screen. Only the parts the
 * views use are registered, which lets the bundler drop the rest.
 */
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  LogarithmicScale,
  PointElement,
  ScatterController,
  Tooltip,
} from 'chart.js';

Chart.register(
  BarController,
  BarElement,
  CategoryScale,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  LogarithmicScale,
  PointElement,
  ScatterController,
  Tooltip,
);

export { Chart };
