/**
 * A duration for a message: whole minutes, whole seconds from ten seconds on (or when whole),
 * otherwise whole milliseconds. Limits computed from sizes (a transfer's timeout grows per byte)
 * are fractional; "127108.864 ms" tells a reader less than "127 s".
 */
export function formatDuration(ms: number): string {
  const whole = Math.round(ms);
  if (whole >= 60_000 && whole % 60_000 === 0) return `${whole / 60_000} min`;
  if (whole >= 10_000 || (whole >= 1000 && whole % 1000 === 0)) return `${Math.round(whole / 1000)} s`;
  return `${whole} ms`;
}
