import { Markdown } from '../../components/markdown.tsx';

export function GuidelinesPanel({ text, onClose }: { text: string | undefined; onClose: () => void }) {
  return (
    <aside className="guidelines card" aria-label="Guidelines">
      <header className="row">
        <h2>Guidelines</h2>
        <span className="spacer" />
        <button type="button" className="chip" onMouseDown={(e) => e.preventDefault()} onClick={onClose} title="Hide the guidelines (g)">
          Hide <kbd>g</kbd>
        </button>
      </header>
      {text === undefined ? <p className="muted">Loading…</p> : text.trim() ? <Markdown text={text} /> : <p className="muted">This project has no written guidelines yet.</p>}
    </aside>
  );
}
