import { Trace, decodeTraceBytes, isTraceInputError, parseTraces } from '../../trace';
import { formatBytes } from '../TraceHeader/format';

/**
 * The largest file opened in the browser: what Traceway reads from Tempo at most too. The whole text, its
 * parsed JSON and the model are in the tab's memory at once; larger exports are for the CLI.
 */
export const MAX_TRACE_FILE_MB = 100;
export const MAX_TRACE_FILE_BYTES = MAX_TRACE_FILE_MB * 1024 * 1024;

/** A file that cannot be opened: the message names the file and says what was wrong and what to do. */
export class TraceFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TraceFileError';
  }
}

/** Refuses, before reading, a file that cannot be a trace to open here: empty, or too large. */
export function checkTraceFile(file: { name: string; size: number }): void {
  if (file.size === 0) {
    throw new TraceFileError(`"${file.name}" is empty: there is no trace in it.`);
  }
  if (file.size > MAX_TRACE_FILE_BYTES) {
    throw new TraceFileError(
      `"${file.name}" is ${formatBytes(file.size)}; the browser opens trace files up to ${MAX_TRACE_FILE_MB} MB. ` +
        'Pick one trace out of it with the CLI: ' +
        'traceway trace FILE --trace-id ID --json > trace.json'
    );
  }
}

/**
 * A file's bytes, with progress (bytes read so far). FileReader rather than Blob.arrayBuffer(): it reports
 * progress on a large file, and `signal` aborts it.
 */
export function readFileBytes(file: Blob, onProgress?: (loaded: number) => void, signal?: AbortSignal) {
  return new Promise<Uint8Array>((resolve, reject) => {
    const reader = new FileReader();
    const onAbort = () => reader.abort();
    signal?.addEventListener('abort', onAbort);
    reader.onprogress = (e) => onProgress?.(e.loaded);
    reader.onload = () => resolve(new Uint8Array(reader.result as ArrayBuffer));
    reader.onerror = () => reject(reader.error ?? new Error('the file could not be read'));
    reader.onabort = () => reject(new DOMException('The file was not read: cancelled', 'AbortError'));
    reader.onloadend = () => signal?.removeEventListener('abort', onAbort);
    reader.readAsArrayBuffer(file);
  });
}

/**
 * Every trace in a file's bytes, in any format the model reads (JSON Lines of several traces give several).
 * Throws TraceFileError naming the file.
 */
export function tracesFromBytes(fileName: string, bytes: Uint8Array): Trace[] {
  try {
    return parseTraces(decodeTraceBytes(bytes));
  } catch (e) {
    if (isTraceInputError(e)) {
      throw new TraceFileError(`"${fileName}" is not a trace Traceway can read: ${e.message}.`);
    }
    if (e instanceof RangeError) {
      // V8's "Invalid string length": the file outgrew what the tab can hold.
      throw new TraceFileError(`"${fileName}" is too large for this browser tab to read (${e.message}).`);
    }
    throw e;
  }
}
