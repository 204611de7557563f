// Number formats of the HTTP report.

export function perSecond(summary) {
  return Number.isFinite(summary?.perSecond)
    ? Math.round(summary.perSecond).toLocaleString('en-US')
    : '—';
}

export function ms(value) {
  if (!Number.isFinite(value)) return '—';
  return `${value < 10 ? value.toFixed(2) : value.toFixed(1)} ms`;
}

export function us(value) {
  return Number.isFinite(value) ? `${Math.round(value)} µs` : '—';
}

export function percent(value) {
  return Number.isFinite(value) ? `${Math.round(value * 100)}%` : '—';
}
