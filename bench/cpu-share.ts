import { readdirSync, readFileSync } from 'node:fs';

/** Linux reports process CPU time in clock ticks; USER_HZ is 100 on every mainstream kernel. */
const TICKS_PER_SECOND = 100;

export type CpuGroups = Record<string, number>;

/**
 * CPU seconds used so far by each group: the service, PostgreSQL, Redis and this process, and
 * everything else on the machine (other work, kernel threads), which tells a disturbed phase.
 */
function cpuSeconds(servicePid: number): CpuGroups {
  const totals: CpuGroups = { service: 0, postgres: 0, redis: 0, loadGenerator: 0, other: 0 };
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    // The command name is in parentheses and may hold spaces; the fields after it are fixed.
    const close = stat.lastIndexOf(')');
    const name = stat.slice(stat.indexOf('(') + 1, close);
    const fields = stat.slice(close + 2).split(' ');
    // Its own user and system time, plus that of its children that have exited (reaped): a
    // PostgreSQL backend or autovacuum worker that ends hands its time to the postmaster, so the
    // group's sum never drops.
    const ticks = [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0);
    const seconds = ticks / TICKS_PER_SECOND;
    const pid = Number(entry);
    const group =
      pid === servicePid
        ? 'service'
        : pid === process.pid
          ? 'loadGenerator'
          : name === 'postgres'
            ? 'postgres'
            : name.startsWith('redis-server')
              ? 'redis'
              : 'other';
    totals[group] += seconds;
  }
  return totals;
}

/** Measures how many cores each group kept busy between this call and `stop()`. */
export function cpuShare(servicePid: number): { stop: () => CpuGroups } {
  const before = cpuSeconds(servicePid);
  const started = performance.now();
  return {
    stop: () => {
      const after = cpuSeconds(servicePid);
      const elapsed = (performance.now() - started) / 1000;
      return Object.fromEntries(
        Object.entries(after).map(([group, seconds]) => [
          group,
          Math.round(((seconds - before[group]) / elapsed) * 100) / 100,
        ]),
      );
    },
  };
}
