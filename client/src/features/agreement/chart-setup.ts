import { BarController, BarElement, CategoryScale, Chart, LinearScale, Tooltip } from 'chart.js';
import { MatrixController, MatrixElement } from 'chartjs-chart-matrix';

// Only what the two charts draw is registered, so the chunk carries no unused controllers, scales or plugins.
Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip, MatrixController, MatrixElement);
Chart.defaults.font.family = getComputedStyle(document.documentElement).fontFamily;
Chart.defaults.color = '#667085';
// Screenshots and tests read the chart at once; a growing bar is decoration.
Chart.defaults.animation = false;
