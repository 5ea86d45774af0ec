import { useRef, useState, type DragEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { importPrompts, projectKeys } from '../../api/queries.ts';
import { lineIssues } from '../../api/field-issues.ts';
import { counted } from '../../components/counted.ts';

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
          One JSON object per line: <code>{'{"id", "prompt" | "messages", "responses"?, "metadata"?}'}</code>. With responses, give all {k}; lines
          whose id the project already has are skipped.
        </p>
      </div>
      {upload.isPending && <p className="muted">Importing {fileName}…</p>}
      {upload.isSuccess && (
        <div className="notice ok-notice" role="status">
          <strong>{fileName}</strong>: imported {counted(upload.data.imported, 'prompt')} and {counted(upload.data.responses, 'response')}
          {upload.data.skipped.length > 0 && <>; skipped {upload.data.skipped.length} already present</>}.
          {upload.data.skipped.length > 0 && (
            <ul className="line-list">
              {upload.data.skipped.slice(0, 20).map((s) => (
                <li key={s.line}>
                  line {s.line}: id {s.id} already imported
                </li>
              ))}
              {upload.data.skipped.length > 20 && <li className="muted">… and {upload.data.skipped.length - 20} more</li>}
            </ul>
          )}
        </div>
      )}
      {upload.isError && (
        <div className="notice bad-notice" role="alert">
          <strong>{fileName}</strong>: {bad.length > 0 ? `${counted(bad.length, 'bad line')}; nothing was imported.` : upload.error.message}
          {bad.length > 0 && (
            <ul className="line-list">
              {bad.map((b, i) => (
                <li key={i}>
                  line {b.line}: {b.message}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </section>
  );
}
