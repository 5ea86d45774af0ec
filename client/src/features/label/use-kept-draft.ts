import { useEffect, useRef } from 'react';

/**
 * Every change to a task is kept until it is submitted or skipped, and so is the time on task when the page goes away:
 * `keep` runs after each render where one of `changes` moved, and when the page is hidden or unloaded.
 */
export function useKeptDraft(keep: () => void, changes: readonly unknown[]): void {
  // The page-hide listeners are added once; they call the latest `keep`, which sees this render's work and time.
  const latest = useRef(keep);
  latest.current = keep;
  useEffect(() => latest.current(), changes);
  useEffect(() => {
    const onPageHide = () => latest.current();
    const onVisibility = () => {
      if (document.visibilityState === 'hidden') latest.current();
    };
    window.addEventListener('pagehide', onPageHide);
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      window.removeEventListener('pagehide', onPageHide);
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, []);
}
