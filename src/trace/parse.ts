import { SpanBatch } from './batch';
import { describeValue, TraceInputError } from './errors';
import { looksLikeFrame, looksLikeRow, readFrameDocument } from './frame';
import { readJaegerDocument } from './jaeger';
import { readOtlpDocument } from './otlp';
import { looksLikeZipkinSpan, readZipkinDocument } from './zipkin';
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
    if (looksLikeZipkinSpan(first) || (Array.isArray(first) && looksLikeZipkinSpan(first[0]))) {
      return 'zipkin';
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

/** The first characters of some text, printable, for messages. */
function textHead(text: string): string {
  return JSON.stringify(
    text
      .trimStart()
      .slice(0, 80)
      .replace(/\s+/g, ' ')
      .replace(/[\u0000-\u001f\u007f-\u009f\ufffd]/g, '?')
  );
}

const errorMessage = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** JSON text to a value, with a typed error that says where the text stops being JSON. */
export function parseJsonText(text: string): unknown {
  const docs = parseJsonDocuments(text);
  if (docs.length > 1) {
    throw new TraceInputError(
      'not-json',
      'line 2',
      `the input holds ${docs.length} JSON documents, one per line (JSON Lines), where one was expected`,
      'parseTrace and parseTraces read JSON Lines'
    );
  }
  return docs[0];
}

/**
 * JSON text to the documents it holds: one JSON value, or JSON Lines (one value per line, as the
 * OpenTelemetry Collector's file exporter writes). A leading byte order mark is skipped. Throws
 * `not-json` with the line (`path` "line N") where JSON Lines stop being JSON.
 */
export function parseJsonDocuments(text: string): unknown[] {
  return readJsonDocuments(text).docs;
}

interface JsonDocuments {
  docs: unknown[];
  /** the line of each document (1-based), empty for a single JSON value */
  lines: number[];
}

function readJsonDocuments(text: string): JsonDocuments {
  if (text.charCodeAt(0) === 0xfeff) {
    text = text.slice(1);
  }
  if (text.trim() === '') {
    throw new TraceInputError(
      'empty-input',
      '',
      'the input is empty',
      "Tempo's /api/traces/<id> answers 404 with an empty body when it does not have the trace"
    );
  }
  try {
    return { docs: [JSON.parse(text)], lines: [] };
  } catch (e) {
    const lines = jsonLines(text);
    if (lines !== null) {
      return lines;
    }
    throw new TraceInputError(
      'not-json',
      '',
      `the input is not JSON (${errorMessage(e)}); it begins with ${textHead(text)}`
    );
  }
}

/**
 * The documents of a JSON Lines text, or null when the text is not JSON Lines (its first line is
 * not JSON on its own, or it holds only one document): then the whole text's JSON error says more.
 */
function jsonLines(text: string): JsonDocuments | null {
  const docs: unknown[] = [];
  const lines: number[] = [];
  let line = 0;
  let from = 0;
  while (from <= text.length) {
    let to = text.indexOf('\n', from);
    if (to < 0) {
      to = text.length;
    }
    line++;
    const s = text.slice(from, to).trim();
    from = to + 1;
    if (s === '') {
      continue;
    }
    try {
      docs.push(JSON.parse(s));
      lines.push(line);
    } catch (e) {
      if (docs.length === 0) {
        return null;
      }
      throw new TraceInputError(
        'not-json',
        `line ${line}`,
        `not JSON (${errorMessage(e)}); the line begins with ${textHead(s)}`,
        'in JSON Lines each line holds one whole JSON document'
      );
    }
  }
  return docs.length > 1 ? { docs, lines } : null;
}

/** Reads any supported document into a batch of spans (possibly of several traces). */
export function readBatch(input: unknown): SpanBatch {
  return readInto(input, null);
}

function readInto(input: unknown, batch: SpanBatch | null): SpanBatch {
  if (typeof input !== 'string') {
    return readDocument(input, batch, '');
  }
  const { docs, lines } = readJsonDocuments(input);
  if (docs.length === 1) {
    return readDocument(docs[0], batch, '');
  }
  // JSON Lines: every line's document read into one batch, so that a trace whose spans are
  // spread over several lines (exports) is one trace.
  let b = batch;
  for (let i = 0; i < docs.length; i++) {
    b = readDocument(docs[i], b, `line ${lines[i]}`);
  }
  return b!;
}

function readDocument(doc: unknown, batch: SpanBatch | null, where: string): SpanBatch {
  if (where === '') {
    return readOne(doc, batch);
  }
  try {
    const b = readOne(doc, batch, `${where}: `);
    b.where = '';
    return b;
  } catch (e) {
    throw e instanceof TraceInputError ? e.within(where) : e;
  }
}

function readOne(doc: unknown, batch: SpanBatch | null, where = ''): SpanBatch {
  const format = detectFormat(doc);
  if (format === null) {
    const keys = isObj(doc) ? Object.keys(doc).slice(0, 8) : [];
    throw new TraceInputError(
      'unknown-format',
      '',
      keys.length > 0
        ? `not a trace: an object with keys ${keys.map((k) => JSON.stringify(k)).join(', ')}`
        : `not a trace: ${describeValue(doc)}`,
      'expected Tempo /api/v2/traces or /api/traces JSON, OTLP/JSON (or JSON Lines of it), Jaeger /api/traces JSON, ' +
        'Zipkin v2 JSON or Grafana trace frames'
    );
  }
  const b = batch ?? new SpanBatch(format);
  b.where = where;
  if (format === 'jaeger') {
    readJaegerDocument(doc, b);
  } else if (format === 'zipkin') {
    readZipkinDocument(doc, b);
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
