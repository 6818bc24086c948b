/** Durations as people read them in a trace: 850 µs, 12.3 ms, 4.56 s, 2 min 05 s. */
export function formatDuration(ns: number): string {
  if (!Number.isFinite(ns) || ns < 0) {
    return '–';
  }
  if (ns < 1_000) {
    return `${Math.round(ns)} ns`;
  }
  if (ns < 1_000_000) {
    return `${trim(ns / 1_000)} µs`;
  }
  if (ns < 1_000_000_000) {
    return `${trim(ns / 1_000_000)} ms`;
  }
  if (ns < 60_000_000_000) {
    return `${trim(ns / 1_000_000_000)} s`;
  }
  const totalSeconds = Math.round(ns / 1_000_000_000);
  const minutes = Math.floor(totalSeconds / 60);
  return `${minutes} min ${String(totalSeconds % 60).padStart(2, '0')} s`;
}

// Three significant digits: enough to compare spans, few enough to read.
function trim(value: number): string {
  return value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2);
}

/** Sizes of downloads: 512 B, 40 KB, 68.7 MB (binary units, as browsers' download views show them). */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) {
    return `${bytes} B`;
  }
  if (bytes < 1024 * 1024) {
    return `${(bytes / 1024).toFixed(0)} KB`;
  }
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
