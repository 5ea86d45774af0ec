import { useQuery } from '@tanstack/react-query';
import { auditOptions } from '../../api/account-queries.ts';
import { projectsOptions, usersOptions } from '../../api/queries.ts';
import { auditLines } from '../../components/audit-sentences.ts';

/** The last hundred audited events, newest first. Detail is shown as text, never as markup. */
export function AuditLog() {
  const audit = useQuery(auditOptions());
  const users = useQuery(usersOptions());
  const projects = useQuery(projectsOptions());
  const names = { users: new Map(users.data?.map((u) => [u.id, u.username])), projects: new Map(projects.data?.map((p) => [p.id, p.name])) };
  return (
    <section className="card stack" aria-labelledby="audit-title">
      <h2 id="audit-title">Audit log</h2>
      {audit.isError && <p className="error">{audit.error.message}</p>}
      {audit.data && (
        // a narrow window scrolls the table inside its card, never the whole page
        <div className="table-scroll">
          <table className="dense audit-table">
            <thead><tr><th>When</th><th>What happened</th></tr></thead>
            <tbody>
              {auditLines(audit.data.entries, names).map((line) => (
                <tr key={line.id}>
                  <td className="muted nowrap">{new Date(line.at).toLocaleString()}</td>
                  <td className="audit-sentence">{line.sentence}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
