import type { UseMutationResult } from '@tanstack/react-query';
import type { testSamplingConnection } from '../../api/sampling-queries.ts';

export type TestMutation = UseMutationResult<Awaited<ReturnType<typeof testSamplingConnection>>, Error, void>;

/** Asks the saved endpoint for one short answer. */
export function ConnectionTest({ test }: { test: TestMutation }) {
  return (
    <button type="button" onClick={() => test.mutate()} disabled={test.isPending}>
      {test.isPending ? 'Testing…' : 'Test connection'}
    </button>
  );
}

/** What the endpoint answered, or why it did not. */
export function TestResult({ test }: { test: TestMutation }) {
  if (test.isError) return <p className="error">{test.error.message}</p>;
  const r = test.data?.result;
  if (!r) return null;
  return r.ok ? (
    <div className="notice ok-notice" role="status">
      <strong>{r.model}</strong> answered in {r.latencyMs} ms: “{r.text.trim().slice(0, 200)}”{r.finishReason ? ` (${r.finishReason})` : ''}
    </div>
  ) : (
    <div className="notice bad-notice" role="alert">
      {r.status ? `${r.status}: ` : ''}
      {r.message}
    </div>
  );
}
