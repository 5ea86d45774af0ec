/**
 * A count axis from 0: whole-number ticks a round step apart (1, 2 or 5 times a power of ten), at most five steps,
 * topped at the first tick at or above the largest count. An all-zero chart still gets a 0–1 axis.
 */
export function countAxis(max: number): { top: number; ticks: number[] } {
  if (!(max > 0)) return { top: 1, ticks: [0, 1] };
  const rough = max / 5;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = Math.max(1, [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough) ?? 10 * power);
  const top = Math.ceil(max / step) * step;
  return { top, ticks: Array.from({ length: top / step + 1 }, (_, i) => i * step) };
}
