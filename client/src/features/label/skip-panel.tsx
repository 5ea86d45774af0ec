import { useState, type FormEvent } from 'react';

const commonReasons = ["I can't judge this subject", 'The prompt is broken or unclear', "The responses aren't in a language I read"];

/** Skipping asks why: a lead reading "why" can fix a broken prompt or route a topic to someone else. */
export function SkipPanel({ pending, error, onSkip, onCancel }: { pending: boolean; error: string | null; onSkip: (reason: string) => void; onCancel: () => void }) {
  const [reason, setReason] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (reason.trim()) onSkip(reason.trim());
  };
  return (
    <form className="skip-panel card" onSubmit={submit} aria-label="Skip this task" onKeyDown={(e) => e.key === 'Escape' && onCancel()}>
      <label>
        Why skip this task?
        <input name="skip-reason" value={reason} onChange={(e) => setReason(e.target.value)} autoFocus maxLength={1000} placeholder="Type a reason, or pick one below" />
      </label>
      <div className="row">
        {commonReasons.map((r) => (
          <button key={r} type="button" className="chip" onClick={() => setReason(r)}>
            {r}
          </button>
        ))}
      </div>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <div className="row">
        <button type="submit" className="primary" disabled={pending || !reason.trim()}>
          {pending ? 'Skipping…' : 'Skip task'} <kbd>Enter</kbd>
        </button>
        <button type="button" onClick={onCancel}>
          Keep ranking <kbd>Esc</kbd>
        </button>
      </div>
    </form>
  );
}
