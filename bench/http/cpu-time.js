// CPU clocks from Linux's /proc, read before and after a timed run: CPU time of the process under
// test (the server, or this process for the limit) and of this process (autocannon), how long
// their main threads waited for a CPU, and how idle the whole machine was. Undefined elsewhere.
import fs from 'node:fs';

// USER_HZ: 100 on every Linux architecture Node supports.
const CLOCK_TICKS = 100;

/** @param {number | undefined} serverPid the server process, or undefined for none */
export function readCpuClocks(serverPid) {
  return {
    ownMs: ownCpuMs(),
    ownWaitMs: runQueueWaitMs('self'),
    serverMs: serverPid === undefined ? undefined : processCpuMs(serverPid),
    serverWaitMs: serverPid === undefined ? undefined : runQueueWaitMs(serverPid),
    machine: machineCpuTicks(),
  };
}

/** What happened between two readCpuClocks() readings. */
export function cpuBetween(before, after) {
  const minus = (a, b) => (a === undefined || b === undefined ? undefined : a - b);
  return {
    ownMs: minus(after.ownMs, before.ownMs),
    ownWaitMs: minus(after.ownWaitMs, before.ownWaitMs),
    serverMs: minus(after.serverMs, before.serverMs),
    serverWaitMs: minus(after.serverWaitMs, before.serverWaitMs),
    machineIdleTicks: minus(after.machine?.idle, before.machine?.idle),
    machineTotalTicks: minus(after.machine?.total, before.machine?.total),
  };
}

/** CPU time (user + system, ms) this process has used so far, all threads. */
function ownCpuMs() {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** CPU time (user + system, ms) a process has used so far, all threads (/proc/PID/stat). */
function processCpuMs(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return (ticks * 1000) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}

/**
 * How long (ms) the process's main thread — the one running JavaScript — has waited, runnable,
 * for a CPU (/proc/PID/schedstat, second field, in ns).
 */
function runQueueWaitMs(pid) {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/schedstat`, 'utf8').trim().split(/\s+/);
    return Number(fields[1]) / 1e6;
  } catch {
    return undefined;
  }
}

/** The machine's CPU time so far (/proc/stat, ticks): all of it, and idle + iowait. */
function machineCpuTicks() {
  try {
    const fields = fs
      .readFileSync('/proc/stat', 'utf8')
      .split('\n')[0]
      .trim()
      .split(/\s+/)
      .slice(1, 9)
      .map(Number);
    return { total: fields.reduce((a, b) => a + b, 0), idle: fields[3] + fields[4] };
  } catch {
    return undefined;
  }
}
