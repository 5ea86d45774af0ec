export function ProgressBar({ done, total, label }: { done: number; total: number; label: string }) {
  const share = total > 0 ? Math.min(1, done / total) : 0;
  return (
    <div className="stack" style={{ gap: '0.25rem' }}>
      <div className="progress" role="progressbar" aria-valuemin={0} aria-valuemax={total} aria-valuenow={done} aria-label={label}>
        <span style={{ width: `${(share * 100).toFixed(1)}%` }} />
      </div>
      <span className="muted">
        {done} / {total} {label} ({Math.round(share * 100)}%)
      </span>
    </div>
  );
}
