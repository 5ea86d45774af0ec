import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, NavLink, Outlet, useNavigate } from 'react-router';
import { api, unwrap } from '../api/client.ts';
import { meOptions } from '../api/queries.ts';

export function Layout() {
  const me = useQuery(meOptions());
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const logout = useMutation({
    mutationFn: () => unwrap(api.auth.logout.$post()),
    onSettled: () => {
      queryClient.clear();
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
        </nav>
        <span className="spacer" />
        <span className="muted">{me.data?.username} · {me.data?.role}</span>
        <button type="button" onClick={() => logout.mutate()}>Log out</button>
      </header>
      <Outlet />
    </div>
  );
}
