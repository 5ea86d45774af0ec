import { useQuery } from '@tanstack/react-query';
import { Navigate, Outlet, useLocation } from 'react-router';
import { meOptions } from '../../api/queries.ts';

export function RequireUser() {
  const me = useQuery(meOptions());
  const location = useLocation();
  if (me.isPending) return <p className="muted pad">Loading…</p>;
  if (!me.data) return <Navigate to={`/login?next=${encodeURIComponent(location.pathname)}`} replace />;
  return <Outlet />;
}
