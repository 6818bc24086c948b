import { SpanBatch } from './batch';
import { describeShape, TraceInputError } from './errors';
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

const count = (n: number, one: string, many: string) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/**
 * What a text that is not JSON looks like, for messages: its size and shape (`looks like HTML`,
 * `looks like YAML or INI text`, `begins with a letter`), never its content. The text may be
 * anything a user points the CLI at (`/etc/shadow`, a key file), and messages end up in logs.
 */
export function describeText(text: string): string {
  const size = count(text.length, 'character', 'characters');
  const t = text.trimStart();
  const firstLine = t.slice(0, Math.min(t.length, 200)).split(/\r?\n/, 1)[0];
  const c = t.charAt(0);
  let shape: string;
  if (/^<(!doctype\s+html|html|head|body)\b/i.test(t)) {
    shape = 'looks like HTML (an error page?)';
  } else if (c === '<') {
    shape = 'looks like HTML or XML';
  } else if (c === '{' || c === '[') {
    shape = `begins like JSON ("${c}") but is not JSON`;
  } else if (
    t.startsWith('---') ||
    /^\[[^\]\n]{1,100}\]\s*$/.test(firstLine) ||
    /^[\w.-]{1,100}\s*[:=]/.test(firstLine) ||
    /^#/.test(firstLine)
  ) {
    shape = 'looks like YAML, INI or other key-value text';
  } else if (/^[A-Za-z]/.test(c)) {
    shape = 'begins with a letter';
  } else if (/^[0-9]/.test(c)) {
    shape = 'begins with a digit';
  } else if (/^[\x21-\x7e]/.test(c)) {
    shape = `begins with "${c}"`;
  } else {
    shape = 'begins with a character that is not ASCII';
  }
  const lines = count(text.split('\n', 10_001).length, 'line', 'lines');
  return `${shape}; ${size}, ${lines.startsWith('10,001') ? 'over 10,000 lines' : lines}`;
}

/**
 * What is wrong with a text that JSON.parse refused, without V8's own message: that quotes the
 * text (`Unexpected token 'r', "root:x:0:0"... is not valid JSON`). Positions are kept.
 */
function jsonProblem(e: unknown): string {
  const msg = e instanceof Error ? e.message : '';
  const at = /at position (\d+)/.exec(msg);
  const where = at ? ` at character ${Number(at[1]).toLocaleString('en-US')}` : '';
  if (/Unexpected end of JSON input/.test(msg)) {
    return 'it ends in the middle of a JSON value';
  }
  if (/Unterminated string/.test(msg)) {
    return `a string is not terminated${where}`;
  }
  if (/Bad control character|Bad escaped character|Bad Unicode escape/.test(msg)) {
    return `a string holds a bad character or escape${where}`;
  }
  if (/after JSON/.test(msg)) {
    return `more text follows the JSON value${where}`;
  }
  return `unexpected text${where || ' early on'}`;
}

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
    throw new TraceInputError('not-json', '', `the input is not JSON (${jsonProblem(e)}); it ${describeText(text)}`);
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
        `not JSON (${jsonProblem(e)}); the line ${describeText(s)}`,
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
    // keys say what the document is; values may be anything (secrets), so only their shape is told
    const keys = isObj(doc) ? Object.keys(doc).slice(0, 8) : [];
    throw new TraceInputError(
      'unknown-format',
      '',
      keys.length > 0
        ? `not a trace: an object with keys ${keys.map((k) => JSON.stringify(k.length > 40 ? k.slice(0, 40) + '...' : k)).join(', ')}`
        : `not a trace: ${describeShape(doc)}`,
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
    // the message of an unexpected error names the problem, not the input (e.g. "Maximum call stack size exceeded")
    const msg = e instanceof Error ? `${e.name}: ${e.message}` : typeof e;
    throw new TraceInputError('bad-structure', '', `the input could not be read: ${msg.slice(0, 200)}`);
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
