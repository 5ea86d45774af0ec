import { useRef, useState, type DragEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { importPrompts, projectKeys } from '../../api/queries.ts';
import { lineIssues } from '../../api/field-issues.ts';
import { counted } from '../../components/counted.ts';

const shownLines = 20;

/** Lines of the file with what is to say about each: the first few, and how many more there are. */
function LineList({ lines, total, shown = shownLines }: { lines: { line: number; message: string }[]; total: number; shown?: number }) {
  if (lines.length === 0) return null;
  return (
    <ul className="line-list">
      {lines.slice(0, shown).map((l, i) => (
        <li key={i}>
          line {l.line}: {l.message}
        </li>
      ))}
      {total > shown && <li className="muted">… and {total - shown} more</li>}
    </ul>
  );
}

/** Upload a JSONL file of prompts (and optional responses); the server imports every line or none. */
export function ImportPanel({ projectId, k }: { projectId: number; k: number }) {
  const [fileName, setFileName] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const queryClient = useQueryClient();
  const upload = useMutation({
    mutationFn: async (file: File) => importPrompts(projectId, await file.text()),
    onSuccess: () => {
      // Only the counts change; results list ranked prompts, and new prompts are not ranked yet.
      void queryClient.invalidateQueries({ queryKey: projectKeys.detail(projectId), exact: true });
      void queryClient.invalidateQueries({ queryKey: projectKeys.list() });
    },
  });
  const send = (file: File | undefined) => {
    if (!file) return;
    setFileName(file.name);
    upload.mutate(file);
    // The same file may be fixed and chosen again; a cleared input fires change again.
    if (input.current) input.current.value = '';
  };
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    send(e.dataTransfer.files[0]);
  };
  const bad = lineIssues(upload.error);
  return (
    <section className="card stack" aria-labelledby="import-title">
      <h2 id="import-title">Import prompts</h2>
      <div
        className={dragging ? 'drop-zone dragging' : 'drop-zone'}
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
      >
        <p>
          Drop a <code>.jsonl</code> file here, or{' '}
          <label className="inline file-pick">
            <input ref={input} type="file" name="import-file" accept=".jsonl,.ndjson,.json,.txt,application/x-ndjson" onChange={(e) => send(e.target.files?.[0])} />
            <span className="button">choose a file</span>
          </label>
        </p>
        <p className="muted hint">
          One JSON object per line: <code>{'{"id", "prompt" | "messages", "responses"?, "metadata"?}'}</code>. The conversation ends with a user turn;
          with responses, give all {k}, no two the same. Lines whose id the project already has are skipped.
        </p>
      </div>
      {upload.isPending && <p className="muted">Importing {fileName}…</p>}
      {upload.isSuccess && (
        <div className="notice ok-notice" role="status">
          <strong>{fileName}</strong>: imported {counted(upload.data.imported, 'prompt')} and {counted(upload.data.responses, 'response')}
          {upload.data.skipped.length > 0 && <>; skipped {upload.data.skipped.length} already present</>}.
          <LineList lines={upload.data.skipped.map((s) => ({ line: s.line, message: `id ${s.id} already imported` }))} total={upload.data.skipped.length} />
        </div>
      )}
      {upload.isSuccess && upload.data.warningLines > 0 && (
        <div className="notice warn-notice" role="status" aria-label="Import warnings">
          {counted(upload.data.warningLines, 'line')} imported with a warning:
          <LineList lines={upload.data.warnings} total={upload.data.warningLines} />
        </div>
      )}
      {upload.isError && (
        <div className="notice bad-notice" role="alert">
          {/* The server's message counts the bad lines; the list holds only the first of them. */}
          <strong>{fileName}</strong>: {upload.error.message}
          <LineList lines={bad} total={bad.length} shown={bad.length} />
        </div>
      )}
    </section>
  );
}
