export function LabelPage() {
  return <main className="page"><p className="muted">Coming in this session.</p></main>;
}
