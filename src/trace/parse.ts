import { SpanBatch } from './batch';
import { describeValue, TraceInputError } from './errors';
import { looksLikeFrame, looksLikeRow, readFrameDocument } from './frame';
import { readJaegerDocument } from './jaeger';
import { readOtlpDocument } from './otlp';
import { buildTrace } from './tree';
import { Trace, TraceFormat } from './types';
import { isObj } from './values';

export interface ParseOptions {
  /** pick this trace (hex) when the input holds several, as an OTLP export may */
  traceId?: string;
}

function isJaegerTrace(v: unknown): boolean {
  return isObj(v) && Array.isArray(v.spans) && (isObj(v.processes) || v.spans.length === 0);
}

/** Which format a parsed JSON value is in, or null. Detection looks at shape only, never at a flag. */
export function detectFormat(doc: unknown): TraceFormat | null {
  if (Array.isArray(doc)) {
    const first = doc[0];
    if (looksLikeRow(first) || looksLikeFrame(first)) {
      return 'grafana-frame';
    }
    if (isJaegerTrace(first)) {
      return 'jaeger';
    }
    return null;
  }
  if (!isObj(doc)) {
    return null;
  }
  if ('trace' in doc) {
    return 'tempo-v2';
  }
  if ('batches' in doc) {
    return 'tempo-v1';
  }
  if ('resourceSpans' in doc) {
    return 'otlp';
  }
  if (
    isJaegerTrace(doc) ||
    ('data' in doc &&
      (doc.data === null || Array.isArray(doc.data)) &&
      ('errors' in doc || 'total' in doc || (Array.isArray(doc.data) && isJaegerTrace(doc.data[0]))))
  ) {
    return 'jaeger';
  }
  if (looksLikeFrame(doc) || isObj(doc.results) || Array.isArray(doc.frames)) {
    return 'grafana-frame';
  }
  return null;
}

/** JSON text to a value, with a typed error that says where the text stops being JSON. */
export function parseJsonText(text: string): unknown {
  if (text.trim() === '') {
    throw new TraceInputError(
      'empty-input',
      '',
      'the input is empty',
      "Tempo's /api/traces/<id> answers 404 with an empty body when it does not have the trace"
    );
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    const head = text.trimStart().slice(0, 80).replace(/\s+/g, ' ');
    throw new TraceInputError('not-json', '', `the input is not JSON (${msg}); it begins with ${JSON.stringify(head)}`);
  }
}

/** Reads any supported document into a batch of spans (possibly of several traces). */
export function readBatch(input: unknown): SpanBatch {
  return readInto(input, null);
}

function readInto(input: unknown, batch: SpanBatch | null): SpanBatch {
  const doc = typeof input === 'string' ? parseJsonText(input) : input;
  const format = detectFormat(doc);
  if (format === null) {
    const keys = isObj(doc) ? Object.keys(doc).slice(0, 8) : [];
    throw new TraceInputError(
      'unknown-format',
      '',
      keys.length > 0
        ? `not a trace: an object with keys ${keys.map((k) => JSON.stringify(k)).join(', ')}`
        : `not a trace: ${describeValue(doc)}`,
      'expected Tempo /api/v2/traces or /api/traces JSON, OTLP/JSON, Jaeger /api/traces JSON or Grafana trace frames'
    );
  }
  const b = batch ?? new SpanBatch(format);
  if (format === 'jaeger') {
    readJaegerDocument(doc, b);
  } else if (format === 'grafana-frame') {
    readFrameDocument(doc, b);
  } else {
    readOtlpDocument(doc as Record<string, unknown>, format, b);
  }
  return b;
}

/**
 * Any supported input (JSON text or an already parsed value) to a trace model. Throws only
 * TraceInputError; spans that cannot be read are skipped and reported in `trace.warnings`.
 */
export function parseTrace(input: unknown, options: ParseOptions = {}): Trace {
  return guard(() => buildTrace(readBatch(input), options.traceId));
}

/** Every trace in the input (an OTLP export may hold many), in order of first appearance. */
export function parseTraces(input: unknown): Trace[] {
  return guard(() => {
    const b = readBatch(input);
    if (b.traceIds.length <= 1) {
      return [buildTrace(b)];
    }
    // Each span belongs to one trace, so each build re-indexes and re-bases only its own spans.
    return b.traceIds.slice().map((id) => buildTrace(b, id));
  });
}

/** Turns anything unexpected (a bug, or e.g. a stack overflow on absurd input) into a typed error. */
function guard<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof TraceInputError) {
      throw e;
    }
    const msg = e instanceof Error ? e.message : String(e);
    throw new TraceInputError('bad-structure', '', `the input could not be read: ${msg}`);
  }
}

/**
 * Builds one trace from several documents read one after another, e.g. a trace too large for one
 * JSON text, or pages of a response. Each document can be dropped once added: the model keeps
 * only what it needs from it.
 */
export class TraceReader {
  private batch: SpanBatch | null = null;

  add(input: unknown): void {
    this.batch = guard(() => readInto(input, this.batch));
  }

  finish(options: ParseOptions = {}): Trace {
    const b = this.batch;
    if (b === null) {
      throw new TraceInputError('empty-input', '', 'no documents were added');
    }
    this.batch = null;
    return guard(() => buildTrace(b, options.traceId));
  }
}
