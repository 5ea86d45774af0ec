import { existsSync, readFileSync } from 'node:fs';

/** utime, stime, cutime, cstime of a process in clock ticks (100 per second), and its parent, from Linux's /proc; null if gone or elsewhere. */
export function processTimes(pid: number): { ppid: number; self: number; children: number } | null {
  const file = `/proc/${pid}/stat`;
  if (!existsSync(file)) return null;
  try {
    const stat = readFileSync(file, 'utf8');
    // Fields after the parenthesised command name: ppid is the 4th of the whole line, utime…cstime the 14th–17th.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(f[1]), self: Number(f[11]) + Number(f[12]), children: Number(f[13]) + Number(f[14]) };
  } catch {
    return null;
  }
}

/** CPU seconds a process has used (user + system); null elsewhere than Linux. */
export function cpuSeconds(pid: number | undefined): number | null {
  const t = pid === undefined ? null : processTimes(pid);
  return t ? t.self / 100 : null;
}
