// Progress of one transfer on stderr: on a terminal, a bar redrawn in place with bytes, rate and
// ETA; otherwise (logs, CI) a plain line every few seconds. Never writes to stdout.

export interface ProgressOutput {
  readonly isTTY?: boolean | undefined;
  readonly columns?: number | undefined;
  write(text: string): boolean;
}

const redrawIntervalMs = 100;
const plainIntervalMs = 10_000;

export class TransferProgress {
  readonly #output: ProgressOutput;
  readonly #label: string;
  readonly #total: number;
  readonly #startedAt = Date.now();
  /** Bytes already there when the transfer started (a resumed upload): not part of the rate. */
  readonly #initial: number;
  #done: number;
  #lastDrawAt = 0;
  #isFinished = false;

  constructor(output: ProgressOutput, label: string, total: number, alreadyDone = 0) {
    this.#output = output;
    this.#label = label;
    this.#total = total;
    this.#initial = alreadyDone;
    this.#done = alreadyDone;
    this.#draw(true);
  }

  /** Counts bytes sent or received. May also go back (a part retried from its start). */
  advance(bytes: number): void {
    this.#done += bytes;
    this.#draw(false);
  }

  /** Clears the bar (on a terminal) before an error or the final line is printed. */
  finish(): void {
    if (this.#isFinished) return;
    this.#isFinished = true;
    if (this.#output.isTTY) this.#output.write('\r\x1b[K');
  }

  #draw(isForced: boolean): void {
    if (this.#isFinished) return;
    const now = Date.now();
    const interval = this.#output.isTTY ? redrawIntervalMs : plainIntervalMs;
    if (!isForced && now - this.#lastDrawAt < interval && this.#done < this.#total) return;
    if (!this.#output.isTTY && !isForced && this.#done >= this.#total) return;
    this.#lastDrawAt = now;
    const seconds = (now - this.#startedAt) / 1000;
    const rate = seconds > 0 ? (this.#done - this.#initial) / seconds : 0;
    const remaining = Math.max(0, this.#total - this.#done);
    const eta = remaining === 0 ? '0:00' : rate > 0 ? formatDuration(remaining / rate) : '--:--';
    const percent = this.#total === 0 ? 100 : Math.floor((this.#done / this.#total) * 100);
    const figures = `${formatBytes(this.#done)} / ${formatBytes(this.#total)}  ${formatBytes(rate)}/s  ETA ${eta}`;
    if (!this.#output.isTTY) {
      this.#output.write(`${this.#label}: ${percent}%  ${figures}\n`);
      return;
    }
    const width = Math.max(10, Math.min(30, (this.#output.columns ?? 80) - 60));
    const filled = Math.min(width, Math.round((percent / 100) * width));
    const bar = `${'='.repeat(filled)}${' '.repeat(width - filled)}`;
    const line = `${this.#label} [${bar}] ${String(percent).padStart(3)}%  ${figures}`;
    this.#output.write(`\r\x1b[K${line.slice(0, (this.#output.columns ?? 200) - 1)}`);
  }
}

/** `12.0 MiB`, `512 B`. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${Math.round(value)} B` : `${value.toFixed(1)} ${units[unit]}`;
}

/** `0:42`, `1:02:03`. */
export function formatDuration(totalSeconds: number): string {
  const seconds = Math.round(totalSeconds);
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = String(seconds % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}
