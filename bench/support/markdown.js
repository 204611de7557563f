// Markdown output: tables, and replacing one `## ` section of a document while keeping the others.

/**
 * @param {string[]} headers
 * @param {Array<Array<string | number>>} rows
 * @param {string} [align] one letter per column: l (left) or r (right); default all left
 */
export function markdownTable(headers, rows, align = '') {
  const cells = [headers, ...rows.map((row) => row.map((cell) => String(cell)))];
  const widths = headers.map((_, column) => Math.max(3, ...cells.map((row) => row[column].length)));
  const line = (row) =>
    `| ${row.map((cell, column) => (align[column] === 'r' ? cell.padStart(widths[column]) : cell.padEnd(widths[column]))).join(' | ')} |`;
  const rule = `| ${widths.map((width, column) => (align[column] === 'r' ? `${'-'.repeat(width - 1)}:` : '-'.repeat(width))).join(' | ')} |`;
  return [line(cells[0]), rule, ...cells.slice(1).map(line)].join('\n');
}

/**
 * Replace the section that starts with `heading` (a `## ` line) up to the next `## ` heading, or
 * append it when the document has no such section. `section` starts with its own heading line.
 */
export function replaceSection(document, heading, section) {
  const lines = document.split('\n');
  const start = lines.findIndex((line) => line.trim() === heading);
  const body = section.endsWith('\n') ? section : `${section}\n`;
  if (start === -1) {
    const trimmed = document.replace(/\n*$/, '');
    return `${trimmed}\n\n${body}`;
  }
  let end = lines.findIndex((line, index) => index > start && /^## /.test(line));
  if (end === -1) end = lines.length;
  const before = lines.slice(0, start).join('\n');
  const after = lines.slice(end).join('\n');
  return `${before}${before ? '\n' : ''}${body}${after ? `\n${after}` : ''}`;
}

export function formatRatio(value) {
  return Number.isFinite(value) ? `${value.toFixed(2)}×` : '—';
}

export function formatSeconds(ms) {
  return Number.isFinite(ms) ? (ms / 1000).toFixed(ms < 10_000 ? 3 : 2) : '—';
}

export function formatMs(ms) {
  return Number.isFinite(ms) ? `${Math.round(ms)} ms` : '—';
}
