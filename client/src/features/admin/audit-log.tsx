import { useQuery } from '@tanstack/react-query';
import { auditOptions } from '../../api/account-queries.ts';

/** The last hundred audited events, newest first. Detail is shown as text, never as markup. */
export function AuditLog() {
  const audit = useQuery(auditOptions());
  return (
    <section className="card stack" aria-labelledby="audit-title">
      <h2 id="audit-title">Audit log</h2>
      {audit.isError && <p className="error">{audit.error.message}</p>}
      {audit.data && (
        // a narrow window scrolls the table inside its card, never the whole page
        <div className="table-scroll">
          <table className="dense audit-table">
            <thead><tr><th>When</th><th>Who</th><th>What</th><th>On</th><th>Detail</th></tr></thead>
            <tbody>
              {audit.data.entries.map((e) => (
                <tr key={e.id}>
                  <td className="muted nowrap">{new Date(e.at).toLocaleString()}</td>
                  <td>{e.username ?? ''}</td>
                  <td className="nowrap">{e.action}</td>
                  <td>{e.target ?? ''}</td>
                  <td className="muted audit-detail">{e.detail === null ? '' : JSON.stringify(e.detail)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
