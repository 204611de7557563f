// Small statistics helpers for benchmark samples (milliseconds).

/** The median of a list of numbers, or NaN for an empty list. */
export function median(values) {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export function min(values) {
  return values.length === 0 ? Number.NaN : Math.min(...values);
}

export function max(values) {
  return values.length === 0 ? Number.NaN : Math.max(...values);
}

/** a ÷ b, or NaN when either is missing. */
export function ratio(a, b) {
  if (!Number.isFinite(a) || !Number.isFinite(b) || b === 0) return Number.NaN;
  return a / b;
}

/** Rotate a list by `offset` places, so each repetition starts with another tool. */
export function rotate(list, offset) {
  if (list.length === 0) return [];
  const shift = offset % list.length;
  return [...list.slice(shift), ...list.slice(0, shift)];
}
