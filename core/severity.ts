export type Severity = 'info' | 'warning' | 'critical';

/**
 * Severity of a threshold's alert. With the defaults: 60 info, 30 warning, 7 critical.
 * Custom thresholds map by distance (<= 7 days critical, <= 30 warning, otherwise info), and the
 * smallest configured threshold is always critical: it is the last warning before expiry.
 */
export function severityFor(threshold: number, thresholds: readonly number[]): Severity {
  if (threshold <= 7 || threshold === Math.min(...thresholds)) return 'critical';
  if (threshold <= 30) return 'warning';
  return 'info';
}
