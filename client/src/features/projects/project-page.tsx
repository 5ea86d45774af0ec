export function ProjectPage() {
  return <main className="page"><p className="muted">Coming in this session.</p></main>;
}
