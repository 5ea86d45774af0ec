import { useEffect, useRef } from 'react';
import { BarChart, type BarChartOptions } from 'chartist';
import 'chartist/dist/index.css';
import { counted } from '../../components/counted.ts';

const labels = Array.from({ length: 10 }, (_, i) => `${(i / 10).toFixed(1)}–${((i + 1) / 10).toFixed(1)}`);

// Redder towards W = 0, where labelers disagree most.
const binColor = (i: number) => `hsl(${Math.round(8 + i * 13)}, 70%, ${62 - i * 1.5}%)`;

const options: BarChartOptions = {
  axisX: { showGrid: false },
  axisY: { onlyInteger: true, low: 0 },
  chartPadding: { top: 12, right: 8, bottom: 0, left: 0 },
};

/** How W spreads over prompts: ten bins of width 0.1, the last one closed at 1. Low bins are the prompts to review. */
export function WHistogram({ histogram }: { histogram: number[] }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const chart = new BarChart(element, { labels, series: [histogram] }, options);
    chart.on('draw', (event) => {
      if (event.type !== 'bar') return;
      const n = histogram[event.index] ?? 0;
      // A bar is a stroked line: its stroke width is the bar's width, most of one bin.
      const width = (event.chartRect.width() / labels.length) * 0.7;
      event.element.attr({ style: `stroke: ${binColor(event.index)}; stroke-width: ${width.toFixed(1)}px` });
      // The browser's own tooltip, also read by screen readers.
      event.element.elem('title').text(`W ${labels[event.index] ?? ''}: ${counted(n, 'prompt')}`);
    });
    return () => {
      chart.detach();
      element.replaceChildren();
    };
  }, [histogram]);
  return (
    <figure className="histogram">
      <span className="axis-title axis-title-y">prompts</span>
      <div
        ref={box}
        className="chart-box"
        role="img"
        aria-label={`Kendall's W over prompts: ${histogram.map((n, i) => `${labels[i]}: ${n}`).join(', ')}`}
      />
      <figcaption className="axis-title">Kendall's W</figcaption>
    </figure>
  );
}
