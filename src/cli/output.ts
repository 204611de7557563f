// Where the CLI writes: results to stdout, progress, warnings and errors to stderr.

export function printResult(line: string): void {
  process.stdout.write(`${line}\n`);
}

export function printInfo(line: string): void {
  process.stderr.write(`${line}\n`);
}

export function printWarning(line: string): void {
  process.stderr.write(`warning: ${line}\n`);
}
