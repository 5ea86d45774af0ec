/** Figures print with two decimals, or a dash where the data do not define them. */
export function fixed(value: number | null | undefined, digits = 2): string {
  // A typographic minus: "−0.10 to 0.02" reads as a range, "-0.10–0.02" does not.
  return value === null || value === undefined ? '–' : value.toFixed(digits).replace(/^-/, '−');
}

export function percent(value: number | null | undefined): string {
  return value === null || value === undefined ? '–' : `${Math.round(value * 100)}%`;
}

export function seconds(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '–';
  const s = ms / 1000;
  return s < 60 ? `${s.toFixed(s < 10 ? 1 : 0)} s` : `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}
