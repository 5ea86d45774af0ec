import { policyDraft, type PolicyDraft } from './sampling-draft.ts';

/** The sampling policies, one row each: which model, how many of the K responses, and its sampling parameters. */
export function PolicyTable({ policies, k, issue, onChange }: { policies: PolicyDraft[]; k: number; issue: string | undefined; onChange: (next: PolicyDraft[]) => void }) {
  const sum = policies.reduce((a, p) => a + (Number(p.count) || 0), 0);
  const setPolicy = (i: number, change: Partial<PolicyDraft>) => onChange(policies.map((p, j) => (j === i ? { ...p, ...change } : p)));
  return (
    <div className="stack">
      <p className="section-label">
        Policies <span className="muted">— counts must add up to K = {k}; now {sum}</span>
      </p>
      <div className="table-scroll">
        <table className="policy-table">
          <thead>
            <tr>
              <th>Model</th>
              <th>Count</th>
              <th>Temperature</th>
              <th>top_p</th>
              <th>max_tokens</th>
              <th>Seed</th>
              <th>Label</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {policies.map((p, i) => (
              <tr key={i}>
                <td className="policy-model">
                  <input aria-label={`model of policy ${i + 1}`} value={p.model} onChange={(e) => setPolicy(i, { model: e.target.value })} placeholder="served model name" required />
                </td>
                <td className="policy-count">
                  <input aria-label={`count of policy ${i + 1}`} type="number" min={1} max={9} value={p.count} onChange={(e) => setPolicy(i, { count: e.target.value })} />
                </td>
                <td className="policy-temperature">
                  <input aria-label={`temperature of policy ${i + 1}`} type="number" min={0} max={2} step="any" value={p.temperature} onChange={(e) => setPolicy(i, { temperature: e.target.value })} placeholder="server default" />
                </td>
                <td className="policy-top-p">
                  <input aria-label={`top_p of policy ${i + 1}`} type="number" min={0} max={1} step="any" value={p.top_p} onChange={(e) => setPolicy(i, { top_p: e.target.value })} />
                </td>
                <td className="policy-max-tokens">
                  <input aria-label={`max_tokens of policy ${i + 1}`} type="number" min={1} value={p.max_tokens} onChange={(e) => setPolicy(i, { max_tokens: e.target.value })} />
                </td>
                <td className="policy-seed">
                  <input aria-label={`seed of policy ${i + 1}`} type="number" min={0} value={p.seed} onChange={(e) => setPolicy(i, { seed: e.target.value })} placeholder="none" />
                </td>
                <td className="policy-label">
                  <input aria-label={`label of policy ${i + 1}`} value={p.name} onChange={(e) => setPolicy(i, { name: e.target.value })} placeholder="optional" />
                </td>
                <td>
                  <button type="button" className="link-button" disabled={policies.length === 1} onClick={() => onChange(policies.filter((_, j) => j !== i))}>
                    remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {issue && <span className="field-error">{issue}</span>}
      <div>
        <button type="button" disabled={policies.length >= 9} onClick={() => onChange([...policies, policyDraft(undefined, Math.max(1, k - sum))])}>
          Add a policy
        </button>
      </div>
      <p className="muted hint">A seed makes sample i use seed + i, one request per sample; without one, the server is asked for n samples at once where it can.</p>
    </div>
  );
}
