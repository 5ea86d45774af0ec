import { useQuery } from '@tanstack/react-query';
import { meOptions, usersOptions } from '../../api/queries.ts';
import { NewUserForm } from './new-user-form.tsx';
import { UserActions } from './user-actions.tsx';
import { InviteForm } from './invite-form.tsx';
import { AuditLog } from './audit-log.tsx';

/** Accounts: who exists with which role, and a form to add one. */
export function AdminPage() {
  const me = useQuery(meOptions());
  const users = useQuery({ ...usersOptions(), enabled: me.data?.role === 'admin' });
  if (me.data && me.data.role !== 'admin') return <main className="page"><p className="muted">This page is for admins.</p></main>;
  return (
    <main className="page">
      <h1>Admin</h1>
      <section className="card stack" aria-labelledby="users-title">
        <h2 id="users-title">Users</h2>
        {users.isPending && <p className="muted">Loading…</p>}
        {users.isError && <p className="error">{users.error.message}</p>}
        {users.data && (
          <div className="table-scroll">
            <table className="dense users-table">
              <thead>
                <tr><th className="num">Id</th><th>Username</th><th>Role</th><th>Created</th><th>Status</th><th>Actions</th></tr>
              </thead>
              <tbody>
                {users.data.map((u) => (
                  <tr key={u.id}>
                    <td className="num muted">{u.id}</td>
                    <td>{u.username}</td>
                    <td><span className={`pill role-${u.role}`}>{u.role}</span></td>
                    <td className="muted nowrap">{new Date(u.createdAt).toLocaleString()}</td>
                    <td>{u.disabled ? <span className="warn">disabled</span> : <span className="muted">active</span>}</td>
                    <td><UserActions user={u} /></td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      {/* the users table and the audit log take the page's width (one row of actions per user, room for the JSON); the two short forms share a row */}
      <div className="admin-forms">
        <NewUserForm />
        <InviteForm />
      </div>
      <AuditLog />
    </main>
  );
}
