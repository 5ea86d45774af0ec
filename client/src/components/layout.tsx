import type { ReactNode } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useLocation } from 'wouter';
import { api, unwrap } from '../api/client.ts';
import { meOptions } from '../api/queries.ts';
import { dropAllDrafts } from '../features/label/task-draft.ts';

export function Layout({ children }: { children: ReactNode }) {
  const me = useQuery(meOptions());
  const queryClient = useQueryClient();
  const [, navigate] = useLocation();
  const logout = useMutation({
    mutationFn: () => unwrap(api.auth.logout.$post()),
    onSettled: () => {
      queryClient.clear();
      dropAllDrafts();
      navigate('/login');
    },
  });
  return (
    <div className="shell">
      <header className="topbar">
        <Link to="/projects" className="brand">Podium</Link>
        <nav>
          <NavLink to="/projects">Projects</NavLink>
          {me.data?.role === 'admin' && <NavLink to="/admin">Admin</NavLink>}
          <NavLink to="/account">Account</NavLink>
          <NavLink to="/api-docs">API</NavLink>
        </nav>
        <span className="spacer" />
        <span className="muted who">{me.data?.username} · {me.data?.role}</span>
        <button type="button" onClick={() => logout.mutate()}>Log out</button>
      </header>
      {children}
    </div>
  );
}

/** A top-bar link, marked (for the eye and for screen readers) while its section is open: `/projects` stays marked on `/projects/7/label`. */
function NavLink({ to, children }: { to: string; children: ReactNode }) {
  const [path] = useLocation();
  const active = path === to || path.startsWith(`${to}/`);
  return (
    <Link to={to} className={active ? 'active' : undefined} aria-current={active ? 'page' : undefined}>
      {children}
    </Link>
  );
}
