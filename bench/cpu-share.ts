import { readdirSync, readFileSync } from 'node:fs';

/** Linux reports process CPU time in clock ticks; USER_HZ is 100 on every mainstream kernel. */
const TICKS_PER_SECOND = 100;

export type CpuGroups = Record<string, number>;

/** CPU seconds used so far by each group: the service, PostgreSQL, Redis and this process. */
function cpuSeconds(servicePid: number): CpuGroups {
  const totals: CpuGroups = { service: 0, postgres: 0, redis: 0, loadGenerator: 0 };
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
    const seconds = (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
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
              : null;
    if (group) totals[group] += seconds;
  }
  return totals;
}

/**
 * Measures how many cores each group kept busy between `start()` and `stop()`. A PostgreSQL
 * backend that exits in between takes its time with it, which the bench's long-lived pools avoid.
 */
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
