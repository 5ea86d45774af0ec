import { Chart } from 'react-chartjs-2';
import type { ChartData, ChartOptions, Plugin, ScriptableContext } from 'chart.js';
import type { MatrixDataPoint } from 'chartjs-chart-matrix';
import './chart-setup.ts';
import { fixed } from './format.ts';

type Cell = Omit<MatrixDataPoint, 'v'> & { v: number | null; n: number };

/** Diverging: red for labelers who order responses oppositely (τ-b < 0), white for none, green for the same order. */
export function tauColor(tau: number | null): string {
  if (tau === null) return '#eef0f4';
  const t = Math.max(-1, Math.min(1, tau));
  return t < 0 ? `rgba(220, 38, 38, ${(0.15 + -t * 0.75).toFixed(2)})` : `rgba(21, 128, 61, ${(0.1 + t * 0.8).toFixed(2)})`;
}

/** Writes each cell's τ-b in it, so the heatmap reads without hovering (no datalabels plugin for one number per cell). */
const cellValues: Plugin<'matrix'> = {
  id: 'podiumCellValues',
  afterDatasetsDraw(chart) {
    const { ctx } = chart;
    const meta = chart.getDatasetMeta(0);
    const cells = chart.data.datasets[0]?.data as Cell[] | undefined;
    ctx.save();
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.font = '12px system-ui, sans-serif';
    meta.data.forEach((element, i) => {
      const cell = cells?.[i];
      if (!cell || cell.v === null) return;
      // A matrix element's x, y is its top-left corner; width and height are its size.
      const { x, y, width, height } = element.getProps(['x', 'y', 'width', 'height'], true) as { x: number; y: number; width: number; height: number };
      ctx.fillStyle = Math.abs(cell.v) > 0.55 ? '#ffffff' : '#1f2430';
      ctx.fillText(fixed(cell.v), x + width / 2, y + height / 2);
    });
    ctx.restore();
  },
};

/** Labeler × labeler mean tau-b over the prompts both ranked; grey where they share none. */
export function LabelerHeatmap({ names, meanTauB, prompts }: { names: string[]; meanTauB: (number | null)[][]; prompts: number[][] }) {
  const cells: Cell[] = [];
  names.forEach((a, i) =>
    names.forEach((b, j) => {
      cells.push({ x: b, y: a, v: i === j ? null : (meanTauB[i]?.[j] ?? null), n: i === j ? 0 : (prompts[i]?.[j] ?? 0) });
    }),
  );
  const n = Math.max(1, names.length);
  const data: ChartData<'matrix', Cell[]> = {
    datasets: [
      {
        label: 'mean τ-b',
        data: cells,
        backgroundColor: (ctx: ScriptableContext<'matrix'>) => tauColor((ctx.raw as Cell | undefined)?.v ?? null),
        borderColor: '#ffffff',
        borderWidth: 1,
        width: ({ chart }) => (chart.chartArea?.width ?? 0) / n - 1,
        height: ({ chart }) => (chart.chartArea?.height ?? 0) / n - 1,
      },
    ],
  };
  const options: ChartOptions<'matrix'> = {
    maintainAspectRatio: false,
    plugins: {
      tooltip: {
        callbacks: {
          title: () => '',
          label: (item) => {
            const c = item.raw as Cell;
            return c.x === c.y ? String(c.x) : `${c.y} vs ${c.x}: τ-b ${fixed(c.v)} over ${c.n} prompt${c.n === 1 ? '' : 's'}`;
          },
        },
      },
    },
    scales: {
      x: { type: 'category', labels: names, offset: true, grid: { display: false }, ticks: { autoSkip: false, maxRotation: 60 } },
      y: { type: 'category', labels: names, offset: true, reverse: false, grid: { display: false }, ticks: { autoSkip: false } },
    },
  };
  const size = Math.min(560, 90 + names.length * 56);
  return (
    <div className="heatmap-box" style={{ height: size, maxWidth: size + 60 }} role="img" aria-label="Mean Kendall tau-b between each pair of labelers">
      <Chart type="matrix" data={data} options={options} plugins={[cellValues]} />
    </div>
  );
}
