// Median and interquartile range, by linear interpolation between order statistics.

export function quantile(sorted, q) {
  if (sorted.length === 0) return null;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/** { median, q1, q3, iqr, n } of the finite numbers in `values`; null when there are none. */
export function describe(values) {
  const xs = values.filter((v) => typeof v === 'number' && Number.isFinite(v)).sort((a, b) => a - b);
  if (xs.length === 0) return null;
  const q1 = quantile(xs, 0.25);
  const q3 = quantile(xs, 0.75);
  return { median: quantile(xs, 0.5), q1, q3, iqr: q3 - q1, n: xs.length };
}

/** "12.3 (±4.5)" style: the median and the IQR, rounded to `digits`. */
export function formatStat(stat, digits = 1, unit = '') {
  if (!stat) return 'n/a';
  return `${stat.median.toFixed(digits)}${unit} (IQR ${stat.iqr.toFixed(digits)})`;
}
