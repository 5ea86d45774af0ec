import type { ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Redirect, useLocation } from 'wouter';
import { meOptions } from '../../api/queries.ts';

export function RequireUser({ children }: { children: ReactNode }) {
  const me = useQuery(meOptions());
  const [path] = useLocation();
  if (me.isPending) return <p className="muted pad">Loading…</p>;
  if (!me.data) return <Redirect to={`/login?next=${encodeURIComponent(path)}`} replace />;
  return children;
}
