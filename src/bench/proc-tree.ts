// A process and its descendants as /proc shows them (Linux): the idle bench and the daemon's
// worker tests read the daemon's sync worker from here.
import { readdirSync, readFileSync } from 'node:fs';

/** The parent pid of `pid`, or undefined when it is gone. */
function parentOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) state ppid ...": comm may hold spaces and parentheses, the last ')' ends it.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    return Number.isInteger(ppid) ? ppid : undefined;
  } catch {
    return undefined;
  }
}

/** Every live descendant of `pid` (children, their children, …). */
export function descendantsOf(pid: number): number[] {
  const byParent = new Map<number, number[]>();
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    const p = parentOf(Number(e));
    if (p !== undefined) byParent.set(p, [...(byParent.get(p) ?? []), Number(e)]);
  }
  const out: number[] = [];
  const todo = [...(byParent.get(pid) ?? [])];
  while (todo.length) {
    const c = todo.shift() as number;
    out.push(c);
    todo.push(...(byParent.get(c) ?? []));
  }
  return out;
}

/** A `kB` field of /proc/<pid>/status (VmRSS, VmHWM, RssAnon, RssFile); 0 when the process is gone. */
export function procStatusKb(pid: number, field: 'VmRSS' | 'VmHWM' | 'RssAnon' | 'RssFile'): number {
  try {
    const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m?.[1] ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** CPU seconds (user + system) `pid` has used so far, from /proc/<pid>/stat; 0 when it is gone. */
export function procCpuSeconds(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // After "pid (comm) ": state is field 3, utime and stime are fields 14 and 15, in clock ticks (100/s on Linux).
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return 0;
  }
}

/** Whether `pid` is alive (a zombie counts as gone). */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}
