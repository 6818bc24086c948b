import type { Trace } from '../../trace';

/**
 * Traces opened from files, kept in this tab's memory only: a file's trace has no home to reload it
 * from, and sending it anywhere would leak what may be private data. A reload loses them.
 */
export interface FileTrace {
  trace: Trace;
  /** the file's name as the browser gives it (no path) */
  fileName: string;
  /** the file's size */
  bytes: number;
}

/** How many file traces are kept; opening one more forgets the oldest (a large trace holds much memory). */
export const MAX_FILE_TRACES = 5;

const traces = new Map<string, FileTrace>();

/** Unguessable enough for a key in a URL, and available where crypto.randomUUID is not (plain-HTTP Grafana). */
function randomKey(): string {
  const bytes = new Uint8Array(8);
  if (typeof crypto !== 'undefined' && typeof crypto.getRandomValues === 'function') {
    crypto.getRandomValues(bytes);
  } else {
    for (let i = 0; i < bytes.length; i++) {
      bytes[i] = Math.floor(Math.random() * 256);
    }
  }
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Keeps a trace and returns its key, for `fileTracePath(key)`. */
export function putFileTrace(entry: FileTrace): string {
  let key = randomKey();
  while (traces.has(key)) {
    key = randomKey();
  }
  traces.set(key, entry);
  // A Map iterates in insertion order: the first key is the oldest.
  while (traces.size > MAX_FILE_TRACES) {
    traces.delete(traces.keys().next().value as string);
  }
  return key;
}

export function getFileTrace(key: string): FileTrace | undefined {
  return traces.get(key);
}

/** For tests. */
export function clearFileTraces(): void {
  traces.clear();
}
