// Latency samples (ms, as floats) and what a run reports: completed operations per second,
// percentiles and CPU figures, computed the same way for the API (autocannon) and the limit.

export class LatencyRecorder {
  #values = new Float64Array(1 << 16);
  #count = 0;

  record(ms) {
    if (this.#count === this.#values.length) {
      const bigger = new Float64Array(this.#values.length * 2);
      bigger.set(this.#values);
      this.#values = bigger;
    }
    this.#values[this.#count] = ms;
    this.#count += 1;
  }

  recordAll(other) {
    for (const value of other.values()) this.record(value);
  }

  values() {
    return this.#values.subarray(0, this.#count);
  }

  get count() {
    return this.#count;
  }

  /** Nearest-rank percentile (p in 0–100) of the samples; NaN when there are none. */
  percentiles(...ps) {
    const sorted = this.#values.slice(0, this.#count).sort();
    return ps.map((p) => {
      if (sorted.length === 0) return Number.NaN;
      const rank = Math.ceil((p / 100) * sorted.length);
      return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
    });
  }
}

/**
 * One timed part of a run, as runAutocannon and runClosedLoop return it.
 * @typedef {{ latencies: LatencyRecorder, failures: number, failureSample?: string,
 *   durationMs: number, cpu: ReturnType<import('./cpu-time.js').cpuBetween>,
 *   subject: 'server' | 'own' }} RunPart
 */

/**
 * The summary of a run made of one or more parts (interleaved with other runs).
 * `subject` is the process whose CPU is reported: the server for the API, this process for the
 * limit; for the API, this process is the load generator (autocannon).
 * @param {RunPart[]} parts
 */
export function summariseRun(parts) {
  const latencies = new LatencyRecorder();
  for (const part of parts) latencies.recordAll(part.latencies);
  const sum = (pick) =>
    parts.reduce((total, part) => {
      const value = pick(part);
      return total === undefined || value === undefined ? undefined : total + value;
    }, 0);
  const subject = parts[0].subject;
  const ok = latencies.count;
  const durationMs = sum((part) => part.durationMs);
  const subjectMs = sum((part) => (subject === 'server' ? part.cpu.serverMs : part.cpu.ownMs));
  const subjectWaitMs = sum((part) =>
    subject === 'server' ? part.cpu.serverWaitMs : part.cpu.ownWaitMs,
  );
  const clientMs = subject === 'server' ? sum((part) => part.cpu.ownMs) : undefined;
  const databaseMs = sum((part) => part.cpu.databaseMs);
  const idleTicks = sum((part) => part.cpu.machineIdleTicks);
  const totalTicks = sum((part) => part.cpu.machineTotalTicks);
  const [p50, p99] = latencies.percentiles(50, 99);
  const perOp = (ms) => (ms === undefined || ok === 0 ? undefined : (ms * 1000) / ok);
  const share = (ms) => (ms === undefined ? undefined : ms / durationMs);
  return {
    ok,
    failures: sum((part) => part.failures),
    failureSample: parts.find((part) => part.failureSample)?.failureSample,
    perSecond: ok / (durationMs / 1000),
    p50,
    p99,
    durationMs,
    /** CPU µs per successful operation of the subject process (all its threads). */
    cpuUsPerOp: perOp(subjectMs),
    /** The subject's CPU time ÷ wall time (1 = one whole CPU). */
    cpuShare: share(subjectMs),
    /** How much of the wall time the subject's main thread waited, runnable, for a CPU. */
    waitShare: share(subjectWaitMs),
    /** CPU µs per request of the load generator (autocannon in this process); API only. */
    clientCpuUsPerOp: perOp(clientMs),
    /** CPU µs per operation of the database server's backends (PostgreSQL only). */
    databaseCpuUsPerOp: perOp(databaseMs),
    /** The idle share of the whole machine's CPUs: near 0, every CPU was busy. */
    machineIdle: idleTicks === undefined || !totalTicks ? undefined : idleTicks / totalTicks,
  };
}
