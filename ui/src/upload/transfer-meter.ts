// Speed and time left of a transfer, over the last few seconds (a whole-transfer average would
// hide a stall; one sample would jump about).

const windowMs = 3000;

export class TransferMeter {
  readonly #total: number;
  readonly #samples: { at: number; bytes: number }[] = [];

  constructor(totalBytes: number) {
    this.#total = totalBytes;
  }

  /** Records `bytes` done at time `at` (ms); returns bytes per second and seconds left. */
  sample(bytes: number, at: number): { bytesPerSecond: number; secondsLeft: number } {
    this.#samples.push({ at, bytes });
    while (this.#samples.length > 2 && at - this.#samples[0]!.at > windowMs) this.#samples.shift();
    const first = this.#samples[0]!;
    const seconds = (at - first.at) / 1000;
    const bytesPerSecond = seconds > 0 ? (bytes - first.bytes) / seconds : 0;
    const secondsLeft = bytesPerSecond > 0 ? (this.#total - bytes) / bytesPerSecond : Infinity;
    return { bytesPerSecond, secondsLeft };
  }
}
