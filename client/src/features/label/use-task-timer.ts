import { useCallback, useEffect, useRef } from 'react';

/**
 * Time on task: milliseconds the page was visible since the task appeared. A tab left in the
 * background over lunch would otherwise turn into a ranking that "took" an hour.
 */
export function useTaskTimer(): () => number {
  const clock = useRef<{ total: number; since: number | null } | null>(null);
  if (clock.current === null) clock.current = { total: 0, since: document.hidden ? null : performance.now() };
  useEffect(() => {
    const onVisibility = () => {
      const c = clock.current;
      if (!c) return;
      if (document.hidden && c.since !== null) {
        c.total += performance.now() - c.since;
        c.since = null;
      } else if (!document.hidden && c.since === null) c.since = performance.now();
    };
    document.addEventListener('visibilitychange', onVisibility);
    return () => document.removeEventListener('visibilitychange', onVisibility);
  }, []);
  return useCallback(() => {
    const c = clock.current;
    if (!c) return 0;
    return c.total + (c.since === null ? 0 : performance.now() - c.since);
  }, []);
}
