import { Bar } from 'react-chartjs-2';
import type { ChartOptions } from 'chart.js';
import './chart-setup.ts';

const labels = Array.from({ length: 10 }, (_, i) => `${(i / 10).toFixed(1)}–${((i + 1) / 10).toFixed(1)}`);

const options: ChartOptions<'bar'> = {
  maintainAspectRatio: false,
  plugins: {
    tooltip: { callbacks: { title: (items) => `W ${items[0]?.label ?? ''}`, label: (item) => `${String(item.raw)} prompt${item.raw === 1 ? '' : 's'}` } },
  },
  scales: {
    x: { title: { display: true, text: "Kendall's W" }, grid: { display: false } },
    y: { title: { display: true, text: 'prompts' }, beginAtZero: true, ticks: { precision: 0 } },
  },
};

/** How W spreads over prompts: ten bins of width 0.1, the last one closed at 1. Low bins are the prompts to review. */
export function WHistogram({ histogram }: { histogram: number[] }) {
  // Redder towards W = 0, where labelers disagree most.
  const colors = histogram.map((_, i) => `hsl(${Math.round(8 + i * 13)}, 70%, ${62 - i * 1.5}%)`);
  return (
    <div className="chart-box" role="img" aria-label={`Kendall's W over prompts: ${histogram.map((n, i) => `${labels[i]}: ${n}`).join(', ')}`}>
      <Bar data={{ labels, datasets: [{ label: 'prompts', data: histogram, backgroundColor: colors, borderRadius: 3 }] }} options={options} />
    </div>
  );
}
