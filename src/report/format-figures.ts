// Numbers as the summaries print them (bytes: byte-size.ts): durations, and counts of things.

/** `0.42 s`, `12.3 s`, `3 min 05 s`, `2 h 07 min`. */
export function formatDuration(ns: bigint): string {
  const seconds = Number(ns) / 1e9;
  if (seconds < 10) return `${seconds.toFixed(2)} s`;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const whole = Math.round(seconds);
  if (whole < 3600) return `${Math.floor(whole / 60)} min ${String(whole % 60).padStart(2, '0')} s`;
  const minutes = Math.round(whole / 60);
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

/** `1 error`, `3 errors`. */
export function formatCount(count: number, singular: string, plural = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : plural}`;
}
