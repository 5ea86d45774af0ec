import { useState, type FormEvent } from 'react';
import { useMutation } from '@tanstack/react-query';
import './reason-button.css';

/**
 * A button that asks why before it acts: the reason goes to the audit log with who and when. Used for every
 * exclusion, so taking data out of the export is never one stray click.
 */
export function ReasonButton({ label, confirmLabel, placeholder = 'why?', onConfirm }: { label: string; confirmLabel: string; placeholder?: string; onConfirm: (reason: string) => Promise<unknown> }) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const action = useMutation({ mutationFn: () => onConfirm(reason.trim()) });
  if (!open) {
    return (
      <button type="button" className="danger-button" onClick={() => setOpen(true)}>
        {label}
      </button>
    );
  }
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (reason.trim()) action.mutate();
  };
  return (
    <form className="reason-form" onSubmit={submit}>
      <input aria-label={`${confirmLabel}: why?`} placeholder={placeholder} value={reason} onChange={(e) => setReason(e.target.value)} autoFocus maxLength={1000} />
      <button type="submit" className="danger-button" disabled={!reason.trim() || action.isPending}>
        {confirmLabel}
      </button>
      <button type="button" className="link-button" onClick={() => setOpen(false)}>
        cancel
      </button>
      {action.isError && <span className="error">{action.error.message}</span>}
    </form>
  );
}
